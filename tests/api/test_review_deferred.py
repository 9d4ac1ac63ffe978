"""Issue 14 for reviews: POST /v1/reviews answers from the fast signals and names the encoder's
(RV-K-5, RV-K-6's "about no product") as pending; the analysis workers write them through the same
`compute_signals`; `?wait=` keeps the synchronous answer."""

from __future__ import annotations

from sqlalchemy import select

from shopwarden.service import analysis
from shopwarden.service import reviews as service_reviews
from shopwarden.store import outbox
from shopwarden.store.outbox import OutboxRow
from tests.api.test_reviews import order, review, setup_shop

TEXT = "被套洗了一次就起球，颜色也和图片不一样，失望"


def test_a_review_is_answered_from_the_fast_signals_and_completed_by_the_workers(api):  # RV-K-5, RV-K-6
    setup_shop(api)
    order(api, "o1")
    posted = review(api, "r1", "o1", 2, TEXT)
    assert posted["pending"] == ["RV-K-5", "RV-K-6"] and posted["product_similarity"] is None
    with api.ctx.db.read() as s:
        work = [r.payload for r in s.scalars(select(OutboxRow).where(OutboxRow.kind == analysis.REVIEW))]
    assert work == [{"review_id": "r1"}]  # written in the review's own transaction

    analysis.drain(api.ctx, timeout=300)
    done = api.call("GET", "/v1/reviews/r1", api.operator).json()
    assert done["pending"] == [] and isinstance(done["product_similarity"], float)
    assert service_reviews.complete(api.ctx, "r1") is None  # a job delivered again does nothing

    # one code path: what the worker stored is what the synchronous computation gives for the review
    with api.ctx.db.read() as s:
        row = service_reviews.reviews.get(s, "r1")
        shop = service_reviews.shops.get(s, row.shop_id)
        view = service_reviews.ReviewView(row.review_id, row.order_id, row.shop_id, row.product_id, row.buyer_id, row.rating, row.text,
                                          row.posted_at)
        findings, similarity, _ = service_reviews.compute_signals(api.ctx, s, shop, api.ctx.pack(shop.policy_id), view,
                                                                  service_reviews.product_view(s, row.product_id), row.posted_at)
    assert done["signals"] == [service_reviews.finding_json(f) for f in findings]
    assert abs(done["product_similarity"] - similarity) < 1e-3
    with api.ctx.db.read() as s:  # what the counts and RV-K-5's calibration read is the worker's row
        counts = service_reviews.reviews.signal_counts(s, "p1")
        sample = service_reviews.reviews.genuine_sample(s, 10)
    assert counts == {f["rule"]: 1 for f in done["signals"]}
    if done["signals"]:
        assert sample == []  # a flagged review is no genuine example
    else:
        assert len(sample) == 1 and abs(sample[0][1] - done["product_similarity"]) < 1e-3 and sample[0][2] is not None


def test_wait_keeps_the_synchronous_answer_and_an_empty_text_owes_nothing(api):
    setup_shop(api)
    order(api, "o1")
    order(api, "o2", buyer="b2")
    r = api.call("POST", "/v1/reviews?wait=5", json={"review_id": "r1", "order_id": "o1", "rating": 2, "text": TEXT})
    assert r.status_code == 201, r.text
    assert r.json()["pending"] == [] and isinstance(r.json()["product_similarity"], float)
    assert review(api, "r2", "o2", 5, "")["pending"] == []
    bad = api.call("POST", "/v1/reviews?wait=-1", json={"review_id": "r3", "order_id": "o2", "rating": 5, "text": "好"})
    assert bad.status_code == 422 and "wait" in [e["field"] for e in bad.json()["errors"]]


def test_a_worker_batch_completes_its_reviews_at_once_as_one_at_a_time_would(api):  # RV-K-5, RV-K-6
    """Issue 18: the workers take reviews in batches (`complete_many`: one transaction, one statement
    for the signals' rows); each review's signals are what the synchronous computation gives it, a
    job delivered again does nothing, and gibberish is never encoded (RV-K-6 holds without it)."""
    setup_shop(api)
    texts = [TEXT, "床单很软，洗了两次没有掉色，尺寸合适", "asdfghjkl qwertyuiop zxcvbnm asdf", "包装严实，物流很快，和描述一致，好评"]
    api.ctx.work = "bench"  # no in-process runner: the batch below is the worker
    for i, text in enumerate(texts):
        order(api, f"o{i}", buyer=f"b{i}")
        assert review(api, f"r{i}", f"o{i}", 2 if i % 2 == 0 else 5, text)["pending"]
    with api.ctx.db.read() as s:
        jobs = [analysis.incoming(r) for r in outbox.after(s, 0, 1000) if r.kind == analysis.REVIEW]
    outcomes = analysis.run(api.ctx, jobs + jobs[:1])  # the first job twice: its second delivery is a duplicate
    assert [o.status for o in outcomes] == ["applied"] * 4 + ["duplicate"]
    assert service_reviews.complete_many(api.ctx, ["r0", "r1"]) == [None, None]
    for i in range(len(texts)):
        done = api.call("GET", f"/v1/reviews/r{i}", api.operator).json()
        with api.ctx.db.read() as s:
            row = service_reviews.reviews.get(s, f"r{i}")
            shop = service_reviews.shops.get(s, row.shop_id)
            findings, similarity, _ = service_reviews.compute_signals(api.ctx, s, shop, api.ctx.pack(shop.policy_id), service_reviews._view_of(row),
                                                                      service_reviews.product_view(s, row.product_id), row.posted_at)
        assert done["pending"] == [] and done["signals"] == [service_reviews.finding_json(f) for f in findings]
        if i == 2:
            assert done["product_similarity"] is None and [f["rule"] for f in done["signals"]] == ["RV-K-6"]
        else:
            assert abs(done["product_similarity"] - similarity) < 1e-3
