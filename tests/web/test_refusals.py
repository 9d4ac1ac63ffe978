"""The services' refusals shown on Chinese pages (web/refusals.py), rendered from each error's code
and params. Each refusal here is raised by its own service with the seeded marketplace, so a raise
site that loses its code (or a param its text names) fails this test instead of quietly falling back
to English on the seller's page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from babel.messages.pofile import read_po

from shopwarden.errors import Code, FieldProblem, ShopwardenError
from shopwarden.service import appeals, bans, claims, images, review_reports
from shopwarden.service.auth import Principal
from shopwarden.web import forms, i18n
from shopwarden.web.refusals import TEXTS, say
from tests.images.drawn import jpeg, product_photo
from tests.web.seed import EVIDENCE, seed_console, seed_reviews
from tests.web.test_catalogues import LOCALE, PLACEHOLDER

CJK = re.compile(r"[\u4e00-\u9fff]")


class ZhPage:
    lang = "zh-CN"
    fmt = i18n.Formats("zh-CN")

    def _(self, message: str, **params) -> str:
        text = i18n.translations(self.lang).gettext(message)
        return text % params if params else text


def _said(fn) -> list[ShopwardenError | FieldProblem]:
    """What the service refused with: the error, or each field's problem."""
    with pytest.raises(ShopwardenError) as caught:
        fn()
    exc = caught.value
    return list(getattr(exc, "errors", [])) or [exc]


def _catalogue(lang: str) -> dict[str, str]:
    with (LOCALE / lang / "LC_MESSAGES/messages.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def test_every_code_has_chinese_and_english_text():
    zh, en = _catalogue("zh_CN"), _catalogue("en")
    assert set(TEXTS) == set(Code), "a code without a text, or a text without a code"
    for code, msgid in TEXTS.items():
        assert zh.get(msgid) and CJK.search(zh[msgid]), f"no Chinese for {code}"
        assert msgid in en and i18n.translations("en").gettext(msgid), f"no English for {code}"
        assert set(PLACEHOLDER.findall(zh[msgid])) == set(PLACEHOLDER.findall(msgid)), code


def test_refusals_a_seller_meets_read_in_chinese(web_ctx, seeded):
    seed_reviews(web_ctx, seeded)
    seed_console(web_ctx, seeded, (jpeg(product_photo(400, 400, seed=5)), jpeg(product_photo(200, 300, seed=8).rotate(90, expand=True))))
    ctx, ids = web_ctx, seeded.ids
    seller_a, seller_b = Principal("k-a", "seller", "web-a"), Principal("k-b", "seller", "web-b")
    seller_d = Principal("k-d", "seller", "web-d")
    op, op2 = Principal("k-op", "operator", None), Principal("k-op2", "operator", None)
    report = review_reports.ReportInput("coercive", "要挟", EVIDENCE)
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
    texts += _said(lambda: review_reports.file(ctx, seller_a, ids["a_review_bad"], review_reports.ReportInput(evidence=[])))  # RV-5, each field
    texts += _said(lambda: appeals.file(ctx, seller_b, ids["b_snad"], appeals.AppealInput(reason="again", evidence=EVIDENCE)))  # pending
    texts += _said(lambda: appeals.file(ctx, seller_a, ids["a_chat"], appeals.AppealInput(reason="late", evidence=EVIDENCE)))  # window closed
    texts += _said(lambda: appeals.decide(ctx, op, ids["b_appeal"], appeals.DecisionInput(outcome="rejected", reason="x")) and
                   appeals.decide(ctx, op, ids["b_appeal"], appeals.DecisionInput(outcome="granted", reason="x")))  # final
    texts += _said(lambda: appeals.file(ctx, seller_a, ids["b_snad"], appeals.AppealInput(reason="not mine", evidence=EVIDENCE)))  # another shop
    texts += _said(lambda: appeals.decide(ctx, seller_a, ids["d_appeal"], appeals.DecisionInput(outcome="granted", reason="x")))  # role
    texts += _said(lambda: appeals.file(ctx, seller_a, "v_nothing", appeals.AppealInput(reason="x", evidence=EVIDENCE)))  # not found
    texts += _said(lambda: bans.dispute(ctx, seller_d, "d-bedding", bans.DisputeInput(banned_product_id="e-bedding", reason="again")))
    claims.claim(ctx, op, "appeal", ids["d_appeal"])
    texts += _said(lambda: claims.claim(ctx, op2, "appeal", ids["d_appeal"]))
    texts += _said(lambda: claims.decide_holding(ctx, op2, "case", ids["d_dispute"], lambda: {}))
    texts += _said(lambda: claims.claim(ctx, op, "appeal", ids["b_appeal"]))  # decided

    page = ZhPage()
    unread = [(t.code, t) for t in texts if not CJK.search(say(page, t))]
    assert unread == [], f"no Chinese for: {unread}"
    assert all(isinstance(t.code, Code) for t in texts)
    assert len(texts) >= 20


def test_the_limit_and_the_rv4_block_read_in_chinese(web_ctx, seeded):
    """TT-APL-1's appeal limit (appeal, reject, appeal again until refused) and RV-4's block."""
    ctx, ids = web_ctx, seeded.ids
    seller_a, op = Principal("k-a", "seller", "web-a"), Principal("k-op", "operator", None)
    texts = []
    for _ in range(10):
        try:
            a = appeals.file(ctx, seller_a, ids["a_counterfeit"], appeals.AppealInput(reason="正品 genuine", evidence=EVIDENCE))
        except ShopwardenError as exc:
            texts.append(exc)
            break
        appeals.decide(ctx, op, a.id, appeals.DecisionInput(outcome="rejected", reason="证据不足"))
    seed_reviews(ctx, seeded)
    from shopwarden.store import review_reports as report_store

    with ctx.db.transaction() as s:
        report_store.add_action(s, {"action_id": "ra-t", "shop_id": "web-a", "kind": "block", "at": ctx.clock() - timedelta(days=1),
                                    "until": ctx.clock() + timedelta(days=6), "figures": {"decided": 10, "rejected": 9}, "report_id": "rr-x",
                                    "policy_version": "1"})
    texts += _said(lambda: review_reports.file(ctx, seller_a, ids["a_review_bad"], review_reports.ReportInput("coercive", "x", EVIDENCE)))
    assert [t.code for t in texts] == [Code.APPEAL_LIMIT_REACHED, Code.REPORTING_BLOCKED], texts  # TT-APL-1, RV-4
    assert texts[0].params["limit"] == texts[0].params["filed"] and texts[1].params["until"] == ctx.clock() + timedelta(days=6)
    assert all(CJK.search(say(ZhPage(), t)) for t in texts), texts


def test_an_error_whose_code_has_no_text_is_shown_as_written():
    from shopwarden.errors import Conflict, NotFound

    assert say(ZhPage(), Conflict("something new went wrong")) == "something new went wrong"
    assert say(ZhPage(), NotFound("policy 'x' is not loaded")) == "policy 'x' is not loaded"  # not_found without its params
    assert say(ZhPage(), NotFound.no("shop", "s-1")) == "未找到：s-1"
    assert say(ZhPage(), FieldProblem("x", "is odd")) == "is odd"
    assert say(ZhPage(), None) == ""
