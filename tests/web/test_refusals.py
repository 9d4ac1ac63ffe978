"""The services' refusals shown on Chinese pages (web/refusals.py). Each refusal here is raised by
its own service with the seeded marketplace, so a service whose wording changes fails this test
instead of quietly falling back to English on the seller's page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from shopwarden.errors import ShopwardenError
from shopwarden.service import appeals, bans, claims, images, review_reports
from shopwarden.service.auth import Principal
from shopwarden.web import forms, i18n
from shopwarden.web.refusals import SAYINGS, say
from tests.images.drawn import jpeg, product_photo
from tests.web.seed import EVIDENCE, PLATFORM, seed_console, seed_reviews

CJK = re.compile(r"[\u4e00-\u9fff]")


class ZhPage:
    lang = "zh-CN"
    fmt = i18n.Formats("zh-CN")

    def _(self, message: str, **params) -> str:
        text = i18n.translations(self.lang).gettext(message)
        return text % params if params else text


def _said(fn) -> list[str]:
    """What the service wrote when it refused: its detail, or each field's problem."""
    with pytest.raises(ShopwardenError) as caught:
        fn()
    exc = caught.value
    return [p.message for p in getattr(exc, "errors", [])] or [exc.detail]


def test_every_pattern_has_its_placeholders_as_named_groups():
    for pattern, msgid in SAYINGS:
        wanted = set(re.findall(r"%\((\w+)\)s", msgid))
        assert wanted <= set(pattern.groupindex), msgid


def test_refusals_a_seller_meets_read_in_chinese(web_ctx, seeded):
    seed_reviews(web_ctx, seeded)
    seed_console(web_ctx, seeded, (jpeg(product_photo(400, 400, seed=5)), jpeg(product_photo(200, 300, seed=8).rotate(90, expand=True))))
    ctx, ids = web_ctx, seeded.ids
    seller_a, seller_b = Principal("k-a", "seller", "web-a"), Principal("k-b", "seller", "web-b")
    seller_d = Principal("k-d", "seller", "web-d")
    op, op2 = Principal("k-op", "operator", None), Principal("k-op2", "operator", None)
    report = {"kind": "coercive", "reason": "要挟", "evidence": EVIDENCE}
    review_reports.file(ctx, seller_a, ids["a_review_bad"], report)

    texts = []
    texts += _said(lambda: forms.text({}, "reason", 10, required=True))
    texts += _said(lambda: forms.text({"reason": "x" * 11}, "reason", 10))
    texts += _said(lambda: forms.choice({"kind": "slander"}, "kind", ("coercive", "repeated")))
    texts += _said(lambda: images.upload(ctx, seller_a, b"", "web-a"))
    texts += _said(lambda: images.upload(ctx, seller_a, b"%PDF-1.4 not an image", "web-a"))
    texts += _said(lambda: review_reports.file(ctx, seller_a, ids["a_review_good"], report))  # RV-2: not negative
    texts += _said(lambda: review_reports.file(ctx, seller_a, ids["a_review_old"], report))  # RV-2: too old
    texts += _said(lambda: review_reports.file(ctx, seller_a, ids["a_review_bad"], report))  # RV-3
    texts += _said(lambda: review_reports.file(ctx, seller_a, ids["a_review_bad"], {"evidence": []}))  # RV-5, each field
    texts += _said(lambda: appeals.file(ctx, seller_b, ids["b_snad"], {"reason": "again", "evidence": EVIDENCE}))  # pending
    texts += _said(lambda: appeals.file(ctx, seller_a, ids["a_chat"], {"reason": "late", "evidence": EVIDENCE}))  # window closed
    texts += _said(lambda: appeals.decide(ctx, op, ids["b_appeal"], {"outcome": "rejected", "reason": "x"}) and
                   appeals.decide(ctx, op, ids["b_appeal"], {"outcome": "granted", "reason": "x"}))  # final
    texts += _said(lambda: appeals.file(ctx, seller_a, ids["b_snad"], {"reason": "not mine", "evidence": EVIDENCE}))  # another shop
    texts += _said(lambda: appeals.decide(ctx, seller_a, ids["d_appeal"], {"outcome": "granted", "reason": "x"}))  # role
    texts += _said(lambda: appeals.file(ctx, seller_a, "v_nothing", {"reason": "x", "evidence": EVIDENCE}))  # not found
    texts += _said(lambda: bans.dispute(ctx, seller_d, "d-bedding", {"banned_product_id": "e-bedding", "reason": "again"}))
    claims.claim(ctx, op, "appeal", ids["d_appeal"])
    texts += _said(lambda: claims.claim(ctx, op2, "appeal", ids["d_appeal"]))
    texts += _said(lambda: claims.decide_holding(ctx, op2, "case", ids["d_dispute"], lambda: {}))
    texts += _said(lambda: claims.claim(ctx, op, "appeal", ids["b_appeal"]))  # decided

    page = ZhPage()
    unread = [t for t in texts if not CJK.search(say(page, t))]
    assert unread == [], f"no Chinese for: {unread}"
    assert len(texts) >= 20


def test_the_limit_and_the_rv4_block_read_in_chinese(web_ctx, seeded):
    """TT-APL-1's appeal limit (appeal, reject, appeal again until refused) and RV-4's block."""
    ctx, ids = web_ctx, seeded.ids
    seller_a, op = Principal("k-a", "seller", "web-a"), Principal("k-op", "operator", None)
    texts = []
    for _ in range(10):
        try:
            a = appeals.file(ctx, seller_a, ids["a_counterfeit"], {"reason": "正品 genuine", "evidence": EVIDENCE})
        except ShopwardenError as exc:
            texts.append(exc.detail)
            break
        appeals.decide(ctx, op, a["id"], {"outcome": "rejected", "reason": "证据不足"})
    seed_reviews(ctx, seeded)
    from shopwarden.store import review_reports as report_store

    with ctx.db.transaction() as s:
        report_store.add_action(s, {"action_id": "ra-t", "shop_id": "web-a", "kind": "block", "at": ctx.clock() - timedelta(days=1),
                                    "until": ctx.clock() + timedelta(days=6), "figures": {"decided": 10, "rejected": 9}, "report_id": "rr-x",
                                    "policy_version": "1"})
    texts += _said(lambda: review_reports.file(ctx, seller_a, ids["a_review_bad"], {"kind": "coercive", "reason": "x", "evidence": EVIDENCE}))
    assert texts[0].startswith("at most ") and "RV-4" in texts[1], texts
    assert all(CJK.search(say(ZhPage(), t)) for t in texts), texts


def test_a_text_no_pattern_knows_is_shown_as_written():
    assert say(ZhPage(), "something new went wrong") == "something new went wrong"
    assert say(ZhPage(), None) == ""
