"""State machines under simultaneous requests, on SQLite and PostgreSQL: eight threads in their own
transactions through the service functions, released together by a barrier. Each test asserts the
rule's invariant (one decision, one measure, points counted once) and that every loser is refused
with a problem the API maps to a 4xx: a ShopwardenError, or an IntegrityError (409 "Conflicting
write"). Anything else would be a 500."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shopwarden.errors import AlreadyDecided, Conflict, NotFound, ShopwardenError
from shopwarden.service import internal_complaints, joint, notices, products, shops, webhooks
from shopwarden.service import violations as violation_service
from shopwarden.service.auth import Principal
from shopwarden.store import notices as notice_store
from shopwarden.store import webhooks as hook_store
from shopwarden.store.violations import Violation

N = 8
PLATFORM = Principal("k-platform", "platform", None)
OPERATOR = Principal("k-operator", "operator", None)
SELLER = Principal("k-seller", "seller", "eu1")
EU = "tiktok-shop-eu"


def burst(fn: Callable[[int], object], n: int = N) -> tuple[list, list[Exception]]:
    """`fn(i)` in `n` threads released at once: their results, and their errors (each one a 4xx)."""
    gate = threading.Barrier(n)
    results: list = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        gate.wait()
        try:
            out = fn(i)
        except Exception as exc:  # sorted below: a refusal, or a 500 the test names
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(out)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server_errors = [repr(e) for e in errors if not isinstance(e, (ShopwardenError, IntegrityError))]
    assert not server_errors, server_errors
    return results, errors


def refused_by(errors: list[Exception], kind: type[ShopwardenError], rule: str | None) -> None:
    assert all(isinstance(e, kind) for e in errors), [repr(e) for e in errors]
    assert {getattr(e, "rule", None) for e in errors} <= {rule}, [repr(e) for e in errors]


# ---------------------------------------------------------------- notices (DSA Art. 16(6), E-Commerce Law art. 43, DSA Art. 20)


def _listing(ctx, product_id: str = "p1") -> None:
    shops.put_shop(ctx, PLATFORM, "eu1", "Shop", "enterprise", EU)
    products.put(ctx, PLATFORM, product_id, {"shop_id": "eu1", "title": "Sneakers", "description": "", "skus": [{"sku_id": "k", "price": 9.0}]})


def _notice(ctx, target: str = "p1") -> str:
    n = notices.NoticeInput("acme-legal", "rights_owner", "listing", target, "counterfeit", "Acme GmbH legal", "legal@acme.example",
                            f"https://shop.example/p/{target}", "The listing sells shoes bearing our registered mark; not ours.", True)
    return notices.file(ctx, PLATFORM, n)["id"]


def _events(ctx, notice_id: str) -> dict:
    with ctx.db.read() as s:
        return notice_store.events(s, [notice_id]).get(notice_id, {})


def _versions(ctx, product_id: str) -> list:
    from shopwarden.store.products import ProductVersion

    with ctx.db.read() as s:
        return list(s.scalars(select(ProductVersion).where(ProductVersion.product_id == product_id).order_by(ProductVersion.version)))


def test_a_notice_is_decided_once_and_its_listing_taken_down_once(ctx):
    # rule DSA Art. 16(6): a decision is final; of eight simultaneous decisions (half of them taking the listing down) one stands,
    # and a losing decision leaves no take-down behind
    _listing(ctx)
    notice_id = _notice(ctx)
    outcomes = ("action", "no_action")
    ok, errors = burst(lambda i: notices.decide(ctx, OPERATOR, notice_id, notices.Decision(outcomes[i % 2], f"judged ({i})")))
    assert len(ok) == 1, (ok, errors)
    refused_by(errors, AlreadyDecided, "DSA Art. 16(6)")
    decided = _events(ctx, notice_id)["decided"]
    assert decided.data["outcome"] == ok[0]["status"]
    statuses = [v.status for v in _versions(ctx, "p1")]
    assert statuses.count("taken_down") == (1 if decided.data["outcome"] == "action" else 0), statuses


def test_a_counter_notice_is_filed_once(ctx):
    # rule E-Commerce Law art. 43: one counter-notice per measure; the period runs from the one stored
    _listing(ctx)
    notice_id = _notice(ctx)
    notices.decide(ctx, OPERATOR, notice_id, notices.Decision("action", "the mark is Acme's"))
    ok, errors = burst(lambda i: notices.counter_notice(ctx, SELLER, notice_id, f"bought from Acme's own distributor ({i})"))
    assert len(ok) == 1, errors
    refused_by(errors, AlreadyDecided, "E-Commerce Law art. 43")
    assert _events(ctx, notice_id)["counter_notice"].data["reason"] == ok[0]["counter_notice"]["reason"]


def test_an_internal_complaint_is_decided_once_and_the_measure_lifted_once(ctx):
    # rule DSA Art. 20: a complaint's decision is final; a granted one lifts the notice's measure, once
    _listing(ctx)
    notice_id = _notice(ctx)
    notices.decide(ctx, OPERATOR, notice_id, notices.Decision("action", "the mark is Acme's"))
    complaint = internal_complaints.on_notice(ctx, SELLER, notice_id, internal_complaints.ComplaintInput("these are genuine, invoices attached")).as_json()
    outcomes = ("granted", "rejected")
    ok, errors = burst(lambda i: internal_complaints.decide(ctx, OPERATOR, complaint["id"],
                                                            internal_complaints.DecisionInput(outcomes[i % 2], f"read the invoices ({i})")))
    assert len(ok) == 1, errors
    refused_by(errors, AlreadyDecided, "DSA Art. 20")
    granted = ok[0].as_json()["decision"]["outcome"] == "granted"
    assert ("lifted" in _events(ctx, notice_id)) == granted
    statuses = [v.status for v in _versions(ctx, "p1")]
    assert statuses[-1] == ("published" if granted else "taken_down"), statuses


# ---------------------------------------------------------------- CR-12: a creator's violation extended to a shop


def _creator_violation(ctx) -> str:
    from shopwarden.service import creators

    shops.put_shop(ctx, PLATFORM, "s1", "Shop", "enterprise", "tiktok-shop")
    creators.put(ctx, PLATFORM, "c1", creators.CreatorInput("creator c1", "tiktok-shop-chr"))
    body = {"creator_id": "c1", "type": "misleading_promotion", "severity": "serious", "issued_at": ctx.clock() - timedelta(days=2),
            "evidence": [{"kind": "text", "value": "最好的面霜，第一品牌"}]}
    return violation_service.issue(ctx, PLATFORM, violation_service.ViolationInput(**body)).id


def _shares(ctx, violation_id: str) -> list[Violation]:
    with ctx.db.read() as s:
        return list(s.scalars(select(Violation).where(Violation.joint_of == violation_id)))


def test_cr_12_an_extension_to_a_shop_counts_once_under_a_burst(ctx):
    # rule CR-12: one share of a creator's violation per shop; eight simultaneous extensions store one, its points counted once
    vid = _creator_violation(ctx)
    ok, errors = burst(lambda i: joint.extend(ctx, OPERATOR, vid, "s1", f"the shop scripted the claim ({i})"))
    assert len(_shares(ctx, vid)) == 1 and len(ok) == 1, (len(_shares(ctx, vid)), errors)
    refused_by(errors, Conflict, "CR-12")


def test_cr_12_an_extension_racing_a_revocation_never_outlives_it(ctx):
    # rule CR-12 with TT-APL-5: a revoked violation counts nowhere; an extension filed at the same moment as the revocation
    # is either refused or revoked with it
    from shopwarden.store import revocations

    for r in range(3):
        vid = _creator_violation(ctx)

        def either(i: int, vid: str = vid) -> object:
            if i % 2:
                return violation_service.revoke(ctx, OPERATOR, vid, violation_service.RevocationInput(f"wrong ticket ({i})"))
            return joint.extend(ctx, OPERATOR, vid, "s1", f"the shop scripted the claim ({i})")

        burst(either)
        with ctx.db.read() as s:
            live = [v.violation_id for v in _shares(ctx, vid) if revocations.get(s, v.violation_id) is None]
        assert live == [], (r, live)


# ---------------------------------------------------------------- webhooks (API.md "Operating it")


def _hook_with_failed_delivery(ctx) -> tuple[str, str]:
    hook = webhooks.register(ctx, PLATFORM, webhooks.Registration("http://hooks.example/in", ("violation.issued",), "x" * 40),
                             frozenset({"hooks.example"})).as_json()
    did = webhooks.delivery_id(hook["id"], "e1")
    now = ctx.clock()
    with ctx.db.transaction() as s:
        hook_store.add_deliveries(s, [{"delivery_id": did, "webhook_id": hook["id"], "event_id": "e1", "event": "violation.issued", "body": "{}",
                                       "status": "failed", "attempts": 5, "next_at": now, "last_status": 500, "last_error": "HTTP 500",
                                       "created_at": now, "delivered_at": None}])
    return hook["id"], did


def test_a_webhook_is_deleted_once(ctx):
    # API.md webhooks: DELETE is 204 once; the others find nothing to delete (404)
    hook_id, _ = _hook_with_failed_delivery(ctx)
    ok, errors = burst(lambda i: webhooks.delete(ctx, PLATFORM, hook_id))
    assert len(ok) == 1, errors
    refused_by(errors, NotFound, None)


def test_a_deleted_webhook_is_never_sent_a_delivery_redelivered_at_the_same_moment(ctx):
    # API.md webhooks: after DELETE nothing more is delivered to the hook; a redelivery racing the delete either is
    # refused (404) or is given up with the hook's other pending deliveries
    for r in range(3):
        hook_id, did = _hook_with_failed_delivery(ctx)

        def either(i: int, hook_id: str = hook_id, did: str = did) -> object:
            if i == 0:
                return webhooks.delete(ctx, PLATFORM, hook_id)
            return webhooks.redeliver(ctx, PLATFORM, hook_id, did) if i % 2 else webhooks.redeliver_failed(ctx, PLATFORM, hook_id)

        burst(either)
        with ctx.db.transaction() as s:
            due = hook_store.claim_due(s, ctx.clock() + timedelta(days=1), ctx.clock() + timedelta(days=2), 100)
        assert [d.delivery_id for d in due] == [], r


def test_cr_12_a_violation_cancelled_by_a_granted_appeal_is_not_extended(ctx):
    # rule CR-12 with TT-APL-5 / CR-11: a granted appeal cancels the violation; an extension after it would count cancelled
    # points on the shop (found: only an outright revocation was checked)
    from shopwarden.service import appeals

    vid = _creator_violation(ctx)
    creator = Principal("k-creator", "creator", None, "c1")
    appeal = appeals.file(ctx, creator, vid, appeals.AppealInput("a registered slogan", [{"kind": "text", "value": "certificate"}]))
    appeals.decide(ctx, OPERATOR, appeal.id, appeals.DecisionInput("granted", "the slogan is registered"))
    try:
        joint.extend(ctx, OPERATOR, vid, "s1", "the shop scripted the claim")
    except Conflict as refused:
        assert refused.rule == "CR-12"
    else:
        raise AssertionError("a cancelled violation was extended to a shop")
    assert _shares(ctx, vid) == []


# ---------------------------------------------------------------- DSA Art. 23: misuse judged over simultaneous decisions


def test_dsa_23_manifestly_unfounded_notices_decided_at_once_warn_exactly_once(ctx):
    # rule DSA Art. 23(1)-(3): eight manifestly unfounded notices of one notifier (the pack's minimum is five), decided at
    # the same moment by eight operators: the notifier is warned once (not never: each decision's judgement must see the others)
    from shopwarden.store import notices as store

    _listing(ctx)
    ids = [_notice(ctx) for _ in range(N)]
    ok, errors = burst(lambda i: notices.decide(ctx, OPERATOR, ids[i], notices.Decision("manifestly_unfounded", f"no mark of theirs ({i})")))
    assert len(ok) == N, errors
    with ctx.db.read() as s:
        actions = [a.action for a in store.misuse(s, "notifier", "acme-legal")]
    assert actions == ["warning"], actions


# ---------------------------------------------------------------- DY-QL-1 inputs: the same id sent again at the same moment


def _order(ctx) -> str:
    from shopwarden.service import reviews

    shops.put_shop(ctx, PLATFORM, "d1", "Shop", "enterprise", "douyin")
    products.put(ctx, PLATFORM, "dp1", {"shop_id": "d1", "title": "陶瓷马克杯", "category": "home/cups", "description": "",
                                        "skus": [{"sku_id": "k", "price": 29.0}]})
    reviews.post_order(ctx, PLATFORM, {"order_id": "do1", "shop_id": "d1", "product_id": "dp1", "buyer_id": "b1", "status": "delivered",
                                       "ordered_at": ctx.clock() - timedelta(days=3)})
    return "do1"


def test_dy_ql_1_an_after_sale_and_a_complaint_retried_at_once_are_one_201_and_200s(ctx):
    # rule DY-QL-1 (and API.md "the same again: 200"): a platform retrying one after-sales request or complaint eight times at
    # once stores it once, counts it once, and hears 201 once and 200 for the others (found: 409 "Conflicting write")
    from shopwarden.service import after_sales
    from shopwarden.store.experience import AfterSaleRow, ComplaintRow

    order_id = _order(ctx)
    at = ctx.clock() - timedelta(days=1)
    sale = after_sales.AfterSaleInput("as1", order_id, "return", "quality", at)
    ok, errors = burst(lambda i: after_sales.post_after_sale(ctx, PLATFORM, sale))
    assert not errors and sorted(status for _, status in ok) == [200] * (N - 1) + [201], errors
    complaint = after_sales.ComplaintInput("cp1", order_id, "quality", at)
    ok, errors = burst(lambda i: after_sales.post_complaint(ctx, PLATFORM, complaint))
    assert not errors and sorted(status for _, status in ok) == [200] * (N - 1) + [201], errors
    with ctx.db.read() as s:
        assert len(list(s.scalars(select(AfterSaleRow)))) == 1 and len(list(s.scalars(select(ComplaintRow)))) == 1


def test_idempotent_creates_sent_eight_times_at_once_all_succeed(ctx):
    # rule API.md: PUT of a shop, creator or brand is idempotent, and an image is stored by its SHA-256 (the same again: 200);
    # eight identical requests at once are all answered 2xx, and one record is stored
    import io

    from PIL import Image

    from shopwarden.service import brands, creators, images

    out = io.BytesIO()
    Image.new("RGB", (40, 40), (9, 90, 200)).save(out, "PNG")
    png = out.getvalue()
    brand = brands.BrandInput("Acme", (), False, True, None)
    calls = {
        "shop": lambda i: shops.put_shop(ctx, PLATFORM, "race-shop", "Shop", "enterprise", "tiktok-shop"),
        "creator": lambda i: creators.put(ctx, PLATFORM, "race-creator", creators.CreatorInput("Lin", "tiktok-shop-chr")),
        "brand": lambda i: brands.put_brand(ctx, PLATFORM, "race-brand", brand),
        "image": lambda i: images.upload(ctx, PLATFORM, png, "race-shop"),
    }
    for name, call in calls.items():
        ok, errors = burst(call)
        assert not errors and len(ok) == N, (name, errors)


# ---------------------------------------------------------------- CR-8: the repeat rule reached by simultaneous violations


def test_cr_8_the_sixth_repeat_reached_by_violations_at_once_starts_its_measures_once(ctx):
    # rule CR-8 (and CR-9: each measure stated once): eight violations of one policy issued at once by eight requests cross the
    # 6-in-90-days line together; the measures started and their statements are those of the same violations sent one by one
    from collections import Counter

    from shopwarden.core.ledger.creator_score import creator_fold
    from shopwarden.service import creators
    from shopwarden.store.statements import StatementRow

    def issue(cid: str, i: int) -> object:
        body = violation_service.ViolationInput("misleading_promotion", "minor", creator_id=cid, evidence=[{"kind": "text", "value": "最好的面霜"}])
        return violation_service.issue(ctx, PLATFORM, body)

    def outcome(cid: str) -> tuple[Counter, Counter]:
        with ctx.db.read() as s:
            ledger_events, credits = creators.ledger(s, cid)
            history = creator_fold(creators.rules_of(ctx.pack("tiktok-shop-chr")), ledger_events, ctx.clock(), credits).history
            stated = Counter(s.scalars(select(StatementRow.measure_kind).where(StatementRow.creator_id == cid)))
        return Counter(m.kind for m in history), stated

    for cid in ("one-by-one", "at-once"):
        creators.put(ctx, PLATFORM, cid, creators.CreatorInput(f"creator {cid}", "tiktok-shop-chr"))
    for i in range(N):
        issue("one-by-one", i)
    ok, errors = burst(lambda i: issue("at-once", i))
    assert not errors and len(ok) == N, errors
    measures, stated = outcome("one-by-one")
    assert measures["rights_removed"] == 1 and measures["commission_frozen"] == 1, measures
    assert stated == Counter({f"creator.{kind}": n for kind, n in measures.items()}), (measures, stated)
    assert outcome("at-once") == (measures, stated)


# ---------------------------------------------------------------- DY-QL-2: orders coming in while the peers are rolled


def test_dy_ql_2_orders_posted_while_the_market_rolls_are_in_its_peers(ctx):
    # rule DY-QL-2: the industries' peers kept incrementally equal a build from the day sums, also when orders of days inside
    # the window commit while `experience roll` moves the market's state (one thread rolls, seven post orders)
    from shopwarden.core.quality.window import start_of
    from shopwarden.service import experience, reviews
    from shopwarden.store import experience as store
    from tests.store.test_experience_counts import SHOPS, from_scratch, small_market

    pack, rules = small_market(ctx, 11, 60)
    day = (ctx.clock() - timedelta(days=80)).date()
    ctx.clock.now = start_of(day) + timedelta(hours=5)
    market = experience.market_of(pack, rules)
    shop_ids = sorted(SHOPS)

    def either(i: int) -> object:
        if i == 0:
            return experience.roll(ctx, PLATFORM)
        shop = shop_ids[i % len(shop_ids)]
        t = ctx.clock() - timedelta(days=i, hours=3)
        return reviews.post_order(ctx, PLATFORM, {"order_id": f"race-o{i}", "shop_id": shop, "product_id": f"{shop}-p1", "buyer_id": f"rb{i}",
                                                  "ordered_at": t, "paid_at": t, "status": "paid"})

    ok, errors = burst(either)
    assert not errors, errors
    experience.roll(ctx, PLATFORM)
    ctx.clock.now += timedelta(days=1)
    experience.roll(ctx, PLATFORM)
    with ctx.db.read() as s:
        kept = store.snapshot(s, day + timedelta(days=1), market.key)
    assert kept == from_scratch(ctx, rules, day + timedelta(days=1))
