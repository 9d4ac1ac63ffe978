"""Heavy analysis off the request path (issue 14), without NATS: `PUT /v1/products` answers from the
fast detectors, the listing is `pending_review` with what is `pending`, and the in-process runner
(service/analysis.py) reads its images and scans it again; `?wait=` keeps the synchronous answer.
The same jobs run exactly once whatever happens to a batch (the NATS workers: tests/consume/test_work.py)."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from shopwarden.service import analysis, products
from shopwarden.store.consumed import ConsumedEvent
from shopwarden.store.outbox import OutboxRow
from shopwarden.store.products import ProductVersion

QR_PAYLOAD = "https://weixin.qq.com/r/abc123"


def _upload(api, data: bytes) -> str:
    r = api.call("POST", "/v1/images", json={"data": base64.b64encode(data).decode()})
    assert r.status_code in (200, 201), r.text
    return r.json()["image_id"]


def _qr_image(api, seed: int = 5) -> str:
    from tests.images.drawn import png, product_photo, with_qr

    return _upload(api, png(with_qr(product_photo(seed=seed), QR_PAYLOAD)))


def _listing(images: list[str]) -> dict:
    return {"shop_id": "d1", "title": "加厚保温杯 316不锈钢 500ml", "category": "home/cups",
            "skus": [{"sku_id": "a", "name": "500ml 白", "price": 59, "shipping_fee": 0}], "images": images}


def _count(api, model, *where) -> int:
    with api.ctx.db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _work_rows(api) -> list:
    from shopwarden.store import outbox

    with api.ctx.db.read() as s:
        return [r for r in outbox.after(s, 0, 10_000) if r.kind == analysis.LISTING]


@pytest.fixture
def shop(api):
    r = api.call("PUT", "/v1/shops/d1", json={"name": "好物小店", "kind": "enterprise", "policy": "douyin"})
    assert r.status_code in (200, 201), r.text
    return api


def test_a_listing_with_images_is_answered_pending_and_its_findings_follow(shop):
    api = shop
    qr = _qr_image(api)
    first = api.call("PUT", "/v1/products/p1", json=_listing([qr]))
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["version"], body["status"], body["pending"], body["images_pending"]) == (1, "pending_review", ["image_text", "copied_image"], [qr])
    assert not any(f["rule"] == "DY-DV" for f in body["findings"])  # the text is clean: the QR code is not read yet
    analysis.drain(api.ctx, timeout=300)
    after = api.call("GET", "/v1/products/p1").json()
    assert (after["version"], after["status"]) == (2, "rejected")  # the QR code's diversion, found by the runner
    assert any(f["rule"] == "DY-DV" for f in after["findings"])
    with api.ctx.db.read() as s:
        decided = list(s.execute(select(OutboxRow.payload).where(OutboxRow.kind == "listing.decided")).scalars())
    assert [(d["version"], d["status"], d["pending"]) for d in decided] == [(1, "pending_review", ["image_text", "copied_image"]), (2, "rejected", [])]


def test_a_listing_without_images_is_decided_at_once(shop):
    r = shop.call("PUT", "/v1/products/p1", json=_listing([])).json()
    assert (r["status"], r["pending"]) == ("published", [])
    assert _work_rows(shop) == []


def test_wait_keeps_the_synchronous_answer(shop):
    qr = _qr_image(shop)
    r = shop.call("PUT", "/v1/products/p1?wait=60", json=_listing([qr])).json()
    assert (r["version"], r["status"], r["pending"]) == (1, "rejected", [])
    assert any(f["rule"] == "DY-DV" for f in r["findings"]) and _work_rows(shop) == []


@pytest.mark.parametrize("wait", ["61", "-1", "soon"])
def test_wait_is_bounded(shop, wait):
    r = shop.call("PUT", f"/v1/products/p1?wait={wait}", json=_listing([]))
    assert r.status_code == 422, r.text
    assert any("wait" in str(e.get("field", "")) for e in r.json()["errors"]), r.json()
    assert shop.call("GET", "/v1/products/p1").status_code == 404


def test_wait_that_runs_out_answers_pending(shop, monkeypatch):
    monkeypatch.setattr(analysis, "read_within", lambda ctx, ids, seconds: False)  # the bound passed before the images were read
    qr = _qr_image(shop)
    r = shop.call("PUT", "/v1/products/p1?wait=1", json=_listing([qr])).json()
    assert (r["status"], r["pending"]) == ("pending_review", ["image_text", "copied_image"])
    analysis.drain(shop.ctx, timeout=300)
    assert shop.call("GET", "/v1/products/p1").json()["status"] == "rejected"


def test_a_batch_that_fails_midway_is_run_again_and_applies_each_job_once(shop, monkeypatch):
    api = shop
    monkeypatch.setattr(analysis, "notify", lambda ctx: None)  # the test feeds the batches itself
    images = [_qr_image(api, seed) for seed in (1, 2, 3)]
    for n, image in enumerate(images):
        assert api.call("PUT", f"/v1/products/p{n}", json=_listing([image])).json()["status"] == "pending_review"
    jobs = [analysis.incoming(r) for r in _work_rows(api)]
    assert len(jobs) == 3
    real, calls = products.rescan, []

    def crash_on_third(ctx, job):
        calls.append(job.product_id)
        if len(calls) == 3:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))  # the database gone mid-batch
        return real(ctx, job)

    monkeypatch.setattr(products, "rescan", crash_on_third)
    with pytest.raises(OperationalError):
        analysis.run(api.ctx, jobs)
    # PostgreSQL rolls the batch back whole; SQLite's driver commits each job's savepoint: either way
    # a job's new version stands exactly when its claim does, and the failed one left nothing
    claimed = _count(api, ConsumedEvent, ConsumedEvent.kind == analysis.LISTING)
    assert claimed in (0, 2) and _count(api, ProductVersion) == 3 + claimed
    monkeypatch.setattr(products, "rescan", real)
    again = [o.status for o in analysis.run(api.ctx, jobs)]  # delivered again
    assert again.count("applied") == 3 - claimed and again[2] == "applied"
    assert [o.status for o in analysis.run(api.ctx, jobs)] == ["duplicate"] * 3  # and again: nothing twice
    assert _count(api, ProductVersion) == 6 and _count(api, ConsumedEvent, ConsumedEvent.kind == analysis.LISTING) == 3
    assert {api.call("GET", f"/v1/products/p{n}").json()["status"] for n in range(3)} == {"rejected"}


def test_a_newer_version_makes_the_older_ones_analysis_moot(shop, monkeypatch):
    monkeypatch.setattr(analysis, "notify", lambda ctx: None)
    qr = _qr_image(shop)
    shop.call("PUT", "/v1/products/p1", json=_listing([qr]))
    later = shop.call("PUT", "/v1/products/p1?wait=60", json=_listing([qr])).json()
    assert (later["version"], later["status"]) == (2, "rejected")
    jobs = [analysis.incoming(r) for r in _work_rows(shop)]
    assert [o.status for o in analysis.run(shop.ctx, jobs)] == ["applied"]  # claimed, and nothing done: version 2 was scanned in full
    assert shop.call("GET", "/v1/products/p1").json()["version"] == 2
