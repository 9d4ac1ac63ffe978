"""Every /v1 operation of the served OpenAPI, probed the way the hardening issue's probes did:

- bad keys (none, malformed, another scheme, a wrong secret, a revoked key) → 401 problem+json;
- a seller's key against another shop's ids (cross-tenant) → 403 or 404, never a 2xx with that
  shop's data; the lists a seller may read do not leak the other shop's records either.

Both walk the OpenAPI document, so a new operation is covered without touching this file; a new
operation that takes an id needs its id in `_ids` (the test fails until then).
"""

from __future__ import annotations

import base64
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from shopwarden.service import (
    appeals,
    brands,
    cases,
    content,
    creators,
    declarations,
    images,
    internal_complaints,
    messages,
    notices,
    products,
    review_reports,
    reviews,
    shops,
    violations,
    webhooks,
)
from shopwarden.service.auth import Principal, create_key
from shopwarden.store.keys import ApiKey

PLATFORM = Principal("probe", "platform", None)
EVIDENCE = [{"kind": "text", "value": "a screenshot of the chat"}]


def _operations(api) -> list[tuple[str, str]]:
    doc = api.client.get("/openapi.json").json()
    return [(method.upper(), path) for path, ops in doc["paths"].items() if path.startswith("/v1/") for method in ops]


def _png(shade: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), (shade, 90, 200)).save(out, "PNG")
    return out.getvalue()


def _victim(ctx) -> dict[str, str]:
    """Shop "victim" with one of everything a seller could reach for; returns the ids by path parameter."""
    now = ctx.clock()
    hook = webhooks.register(ctx, PLATFORM, webhooks.Registration("http://hooks.example/in", ("violation.issued",), "x" * 40), frozenset({"hooks.example"}))
    shops.put_shop(ctx, PLATFORM, "victim", "Victim", "enterprise", "tiktok-shop")
    shops.put_shop(ctx, PLATFORM, "intruder", "Intruder", "enterprise", "tiktok-shop")
    v = violations.issue(ctx, PLATFORM, violations.ViolationInput(shop_id="victim", type="counterfeit", severity="general", issued_at=now - timedelta(days=2), evidence=EVIDENCE))
    a = appeals.file(ctx, PLATFORM, v.id, appeals.AppealInput(reason="the item is genuine", evidence=EVIDENCE, filed_at=now - timedelta(days=1)))
    products.put(ctx, PLATFORM, "victim-p", {"shop_id": "victim", "title": "加微信 lin_8899 下单便宜", "description": "", "skus": [{"sku_id": "k", "price": 9.0}]})
    messages.post(ctx, PLATFORM, messages.MessageInput("victim", "seller", "亲，加我薇信 lin_8899，私下转账便宜20"))
    reviews.post_order(ctx, PLATFORM, {"order_id": "victim-o", "shop_id": "victim", "product_id": "victim-p", "buyer_id": "b1",
                                       "ordered_at": now - timedelta(days=3), "status": "completed"})
    reviews.post_review(ctx, PLATFORM, {"review_id": "victim-r", "order_id": "victim-o", "rating": 1, "text": "垃圾，去隔壁店买",
                                        "images": [], "posted_at": now - timedelta(days=1)})
    report = review_reports.file(ctx, Principal("victim-seller", "seller", "victim"), "victim-r",
                                 review_reports.ReportInput("competitor", "a rival's review", EVIDENCE))
    brands.put_brand(ctx, PLATFORM, "acme", brands.BrandInput(name="Acme", aliases=[], restricted=False, registered=True, owner=None, categories=[]))
    q = brands.file(ctx, PLATFORM, "victim", brands.QualificationInput(brand_id="acme", trademark_no="G1234", mark="R", categories=[], valid_from=now, valid_to=None))
    declarations.file(ctx, PLATFORM, "victim", declarations.DeclarationInput("phone", "13800138000", "after-sales line"))
    image, _ = images.upload(ctx, PLATFORM, _png(7), "victim")
    found = cases.search(ctx, PLATFORM, None, None, "victim", 10, None)
    assert found, "the probe needs a case of the victim's"
    creators.put(ctx, PLATFORM, "victim-c", creators.CreatorInput("Victim's own account", "tiktok-shop-chr", "victim"))
    content.put(ctx, PLATFORM, "victim-v", content.ContentInput("victim-c", "live", now - timedelta(hours=1), title="震惊！出大事了"))
    notice = notices.file(ctx, PLATFORM, notices.NoticeInput("acme-legal", "rights_owner", "listing", "victim-p", "counterfeit", "Acme legal",
                                                             "legal@acme.example", "https://shop.example/p/victim-p",
                                                             "The listing sells goods bearing our mark that are not ours.", True))
    acted = notices.file(ctx, PLATFORM, notices.NoticeInput("acme-legal", "rights_owner", "shop", "victim", "counterfeit", "Acme legal",
                                                            "legal@acme.example", "https://shop.example/victim",
                                                            "The shop passes itself off as Acme's own store.", True))
    notices.decide(ctx, PLATFORM, acted["id"], notices.Decision("action", "the storefront uses Acme's mark", "agent-7"))
    complaint = internal_complaints.on_notice(ctx, Principal("victim-seller", "seller", "victim"), acted["id"],
                                              internal_complaints.ComplaintInput("we are Acme's licensed reseller"))
    shadow_id = _shadow_disagreement(ctx, now)
    webhooks.Dispatcher(ctx, frozenset()).fan_out()  # the violation's delivery, not sent
    delivery = webhooks.deliveries(ctx, PLATFORM, hook.id, None, 1)[0]
    return {"webhook_id": hook.id, "delivery_id": delivery.id, "creator_id": "victim-c", "content_id": "victim-v", "determination_id": "victim-det", "notice_id": notice["id"], "notifier_id": "acme-legal",
            "complaint_id": complaint.id, "action_id": "victim-misuse","shop_id": "victim", "violation_id": v.id, "appeal_id": a.id, "product_id": "victim-p", "review_id": "victim-r",
            "report_id": report.report_id, "qualification_id": q.id, "case_id": found[0].id,
            "image_id": image.image_id, "policy_id": "tiktok-shop", "brand_id": "acme", "shadow_id": shadow_id}


def _shadow_disagreement(ctx, now) -> str:
    """A shadow detector's disagreement about the victim's listing (issue 17), as a scan stores one."""
    from shopwarden.store import shadows as shadow_store

    with ctx.db.transaction() as s:
        shadow_store.add(s, [{"shadow_id": "victim-sh", "subject_kind": "listing", "subject_id": "victim-p", "subject_version": 1, "shop_id": "victim",
                              "policy_id": "tiktok-shop", "policy_version": "1", "detector": "contact_diversion", "version": "dv-next",
                              "verdict": "shadow_only", "rules": ["DY-DV"], "live": [], "shadow": [{"rule": "DY-DV"}], "at": now}])
    return "victim-sh"


# A valid body for each write, so that the answer is about the caller, not about the body.
BODIES = {
    "PUT /v1/shops/{shop_id}": {"name": "Mine now", "kind": "enterprise", "policy": "tiktok-shop"},
    "POST /v1/violations": {"shop_id": "victim", "type": "counterfeit", "severity": "minor", "evidence": EVIDENCE},
    "POST /v1/violations/{violation_id}/appeals": {"reason": "appealing another shop's violation", "evidence": EVIDENCE},
    "POST /v1/violations/{violation_id}/revocations": {"reason": "revoke theirs"},
    "POST /v1/appeals/{appeal_id}/decision": {"outcome": "granted", "reason": "decide theirs"},
    "POST /v1/scan": {"kind": "message", "shop_id": "victim", "text": "hello"},
    "PUT /v1/products/{product_id}": {"shop_id": "victim", "title": "overwritten", "skus": [{"sku_id": "k", "price": 1.0}]},
    "POST /v1/messages": {"shop_id": "victim", "sender": "seller", "text": "hello"},
    "POST /v1/cases/{case_id}/decision": {"outcome": "dismiss", "reason": "dismiss theirs"},
    "POST /v1/shops/{shop_id}/contact-declarations": {"kind": "phone", "value": "13900139000", "reason": "theirs"},
    "PUT /v1/brands/{brand_id}": {"name": "Acme"},
    "POST /v1/shops/{shop_id}/brand-qualifications": {"brand_id": "acme", "trademark_no": "G9999", "mark": "R", "valid_from": "2026-01-01T00:00:00Z"},
    "POST /v1/brand-qualifications/{qualification_id}/review": {"status": "approved", "reason": "approve theirs"},
    "POST /v1/images": {"data": base64.b64encode(_png(8)).decode(), "shop_id": "victim"},
    "POST /v1/protected-images": {"image_id": "", "owner": "victim"},
    "POST /v1/products/{product_id}/ban": {"reason": "poor_quality", "severity": "minor", "statement": "ban theirs"},
    "POST /v1/products/{product_id}/match-disputes": {"banned_product_id": "victim-p", "reason": "dispute theirs"},
    "POST /v1/orders": {"order_id": "victim-o", "shop_id": "victim", "product_id": "victim-p", "buyer_id": "b1", "status": "refunded"},
    "POST /v1/reviews": {"review_id": "victim-r2", "order_id": "victim-o", "rating": 5, "text": "great"},
    "PUT /v1/shops/{shop_id}/identity": {"device": ["d1"]},
    "POST /v1/reviews/{review_id}/reports": {"kind": "competitor", "reason": "again", "evidence": EVIDENCE},
    "POST /v1/review-reports/{report_id}/decision": {"outcome": "granted", "reason": "grant theirs"},
    "PUT /v1/creators/{creator_id}": {"name": "Mine now", "policy": "tiktok-shop-chr", "shop_id": "victim"},
    "POST /v1/creators/{creator_id}/credits": {"kind": "quiz", "ref": "theirs"},
    "PUT /v1/content/{content_id}": {"creator_id": "victim-c", "kind": "live", "title": "overwritten"},
    "POST /v1/content/{content_id}/segments": {"transcript": "theirs"},
    "POST /v1/content/{content_id}/decision": {"outcome": "dismiss", "reason": "decide theirs"},
    "POST /v1/violations/{violation_id}/extensions": {"shop_id": "victim", "reason": "extend theirs"},
    "POST /v1/after-sales": {"after_sale_id": "as-theirs", "order_id": "victim-o", "kind": "return", "reason": "quality"},
    "POST /v1/complaints": {"complaint_id": "cp-theirs", "order_id": "victim-o", "kind": "service"},
    "POST /v1/shops/{shop_id}/experience/determinations": {},
    "POST /v1/determinations/{determination_id}/fraud": {"kind": "intent", "reason": "theirs", "amount_per_order": 1.0},
    "POST /v1/notices": {"notifier": {"id": "n1", "kind": "individual", "name": "N", "email": "n@example.com"}, "target_kind": "listing",
                         "target_id": "victim-p", "ground": "counterfeit", "location": "https://shop.example/p/victim-p",
                         "explanation": "goods bearing a mark that are not the brand's", "good_faith": True},
    "POST /v1/notices/{notice_id}/decision": {"outcome": "no_action", "reason": "decide theirs"},
    "POST /v1/notices/{notice_id}/counter-notice": {"reason": "counter-notice theirs"},
    "POST /v1/notices/{notice_id}/proceedings": {"kind": "court", "reference": "theirs"},
    "PUT /v1/trusted-flaggers/{notifier_id}": {"name": "Mine", "awarded_by": "a DSC"},
    "POST /v1/trusted-flaggers/{notifier_id}/revocation": {"reason": "revoke another's status"},
    "POST /v1/notices/{notice_id}/complaints": {"reason": "complain of another shop's notice"},
    "POST /v1/misuse-actions/{action_id}/complaints": {"reason": "complain of another's suspension"},
    "POST /v1/internal-complaints/{complaint_id}/decision": {"outcome": "granted", "reason": "decide theirs", "decided_by": "me"},
    "POST /v1/shadow-disagreements/{shadow_id}/label": {"label": "shadow", "note": "label theirs"},
    "POST /v1/webhooks": {"url": "http://hooks.example/mine", "events": ["sanction.started"], "secret": "y" * 40},
}


def _url(path: str, ids: dict[str, str]) -> str:
    names = re.findall(r"{(\w+)}", path)
    missing = [n for n in names if n not in ids]
    assert not missing, f"{path}: add an id for {missing} to the probe's victim"
    return path.format(**{n: ids[n] for n in names})


def _body(label: str, ids: dict[str, str]):
    body = BODIES.get(label)
    if body is not None and "image_id" in body:
        body = body | {"image_id": ids["image_id"]}
    return body


def _is_problem(r, status: int) -> bool:
    return r.status_code == status and r.headers["content-type"].startswith("application/problem+json") and r.json()["status"] == status


def test_every_operation_answers_bad_keys_with_401(api):
    ids = _victim(api.ctx)
    real = create_key(api.ctx, "platform")
    revoked = create_key(api.ctx, "platform")
    key_id = revoked.split("_", 2)[1]
    with api.ctx.db.transaction() as s:
        s.execute(sa.update(ApiKey).where(ApiKey.key_id == key_id).values(revoked_at=api.ctx.clock()))
    bad = {
        "none": {},
        "empty bearer": {"Authorization": "Bearer "},
        "malformed": {"Authorization": "Bearer not-a-key"},
        "malformed sw_": {"Authorization": "Bearer sw__"},
        "another scheme": {"Authorization": f"Basic {real}"},
        "unknown id": {"Authorization": "Bearer sw_nope_nope"},
        "wrong secret": {"Authorization": f"Bearer {real.rsplit('_', 1)[0]}_{'x' * 20}"},
        "revoked": {"Authorization": f"Bearer {revoked}"},
        "non-ascii": {"Authorization": "Bearer sw_ключ_秘密".encode()},
    }
    failures = []
    for method, path in _operations(api):
        label = f"{method} {path}"
        for name, headers in bad.items():
            body = _body(label, ids)
            r = api.call(method, _url(path, ids), key=headers, json=body if body is not None else ({} if method != "GET" else None))
            if not _is_problem(r, 401):
                failures.append(f"{label} with {name} key: {r.status_code} {r.text[:120]}")
    assert not failures, "\n".join(failures)


def test_a_seller_reaches_no_other_shop_through_any_operation(api):
    """Seller "intruder" with shop "victim"'s ids: 403/404 (or 422 for a body only operators may
    send), never a 2xx — except reads that are the seller's own (lists filtered to its shop, the
    public policy packs and brand registry), which must not mention the victim's records."""
    ids = _victim(api.ctx)
    seller = api.key("seller", "intruder")
    victim_ids = {v for k, v in ids.items() if k not in ("policy_id", "brand_id", "notifier_id")}
    # Shared by design: the packs, the brand registry, a stateless scan, and images, which are stored
    # once by SHA-256 for everyone (whoever knows the hash has the bytes; the metadata is no shop's).
    shared = {"GET /v1/policies", "GET /v1/policies/{policy_id}", "GET /v1/brands", "POST /v1/scan",
              "GET /v1/images/{image_id}", "GET /v1/protected-images/{image_id}"}
    failures = []
    for method, path in _operations(api):
        label = f"{method} {path}"
        body = _body(label, ids)
        r = api.call(method, _url(path, ids), key=seller, json=body if body is not None else ({} if method != "GET" else None))
        if r.status_code >= 500:
            failures.append(f"{label}: {r.status_code} {r.text[:200]}")
        elif 200 <= r.status_code < 300:
            leaked = sorted(v for v in victim_ids if v in r.text)
            if label in shared:
                continue
            if method == "GET" and "{" not in path and not leaked:
                continue  # a list or queue, filtered to the seller's own shop
            failures.append(f"{label}: {r.status_code} {'leaks ' + str(leaked) if leaked else 'a write on another shop succeeded'} {r.text[:200]}")
        elif r.status_code not in (403, 404):
            failures.append(f"{label}: {r.status_code} {r.text[:200]}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("query", ["shop_id=victim", ""])
def test_a_seller_lists_nothing_of_another_shop(api, query):
    ids = _victim(api.ctx)
    seller = api.key("seller", "intruder")
    for path in ("/v1/appeals", "/v1/cases", "/v1/review-reports", "/v1/brand-qualifications", "/v1/statements", "/v1/notices"):
        r = api.call("GET", f"{path}?{query}", key=seller)
        assert r.status_code in (200, 403, 404), (path, r.status_code, r.text[:200])
        if r.status_code == 200:
            assert not [v for v in ids.values() if v not in ("tiktok-shop", "acme") and v in r.text], (path, r.text[:300])
