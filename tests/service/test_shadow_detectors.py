"""Shadow detectors in the service (issue 17): a pack switch runs a detector version in shadow; its
findings are stored beside the live ones and never acted on — no case, no violation, no ledger entry,
no change to the decision — and an operator labels where the two disagree; the backtest counts the
labels (DY-DV)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from shopwarden.core.policy.schema import DetectorSettings, ShadowSettings
from shopwarden.errors import Forbidden, InvalidInput, NotFound
from shopwarden.service import backtests, messages, products, shadows
from shopwarden.service.auth import Principal
from shopwarden.service.shops import put_shop
from tests.conftest import T0

PLATFORM = Principal("t", "platform", None)
OPERATOR = Principal("op", "operator", None)
SELLER = Principal("k", "seller", "s-shadow")
DIVERSION = "保温杯 加微信 abc12345 详聊 电话13812345678"


def _with_shadow(ctx, live_enabled: bool, **shadow) -> None:
    pack = ctx.packs["douyin"]
    detectors = {**pack.detectors, "contact_diversion": DetectorSettings(enabled=live_enabled, shadow=ShadowSettings(version="dv-next", **shadow), source="test")}
    ctx.packs["douyin"] = pack.model_copy(update={"detectors": detectors})


def _count(ctx, table: str) -> int:
    with ctx.db.engine.connect() as c:
        return c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


LEDGER = ("violations", "cases", "rectification_tasks", "revocations", "appeals", "statements")


def test_a_shadow_detector_is_stored_and_never_acted_on(ctx):
    # DY-DV: live contact_diversion switched off, its candidate on in shadow: the shadow finds the WeChat id
    _with_shadow(ctx, live_enabled=False)
    put_shop(ctx, PLATFORM, "s-shadow", "s", "enterprise", "douyin")
    before = {t: _count(ctx, t) for t in LEDGER}
    out = products.put(ctx, PLATFORM, "p1", {"shop_id": "s-shadow", "title": DIVERSION, "description": "不锈钢"}).as_json()
    msg = messages.post(ctx, PLATFORM, messages.MessageInput("s-shadow", "seller", "V信: abc_8888"))
    assert out["decision"] == "allow" and out["violations"] == [] and out["cases"] == [] and out["findings"] == []
    assert msg.decision == "allow" and msg.consequences["violations"] == [] and msg.consequences["cases"] == []
    assert {t: _count(ctx, t) for t in LEDGER} == before  # no case, no violation, no ledger entry
    rows = shadows.disagreements(ctx, OPERATOR, shadows.DisagreementQuery(T0.replace(year=2000), T0))
    assert {(r.subject_kind, r.verdict, r.version) for r in rows} == {("listing", "shadow_only", "dv-next"), ("message", "shadow_only", "dv-next")}
    listing = next(r for r in rows if r.subject_kind == "listing")
    assert listing.live == [] and listing.shadow[0]["rule"] == "DY-DV" and listing.shadow[0]["evidence"]
    assert listing.subject_id == "p1" and listing.subject_version == 1 and listing.shop_id == "s-shadow"
    # the same listing with the detector live is acted on: the shadow alone was what kept it from acting
    _with_shadow(ctx, live_enabled=True)
    live = products.put(ctx, PLATFORM, "p2", {"shop_id": "s-shadow", "title": DIVERSION, "description": "不锈钢"}).as_json()
    assert live["decision"] != "allow" and live["findings"]


def test_operators_label_disagreements_and_the_backtest_counts_them(ctx):
    # DY-DV: a shadow that finds nothing (min_score above any score) beside the live version that finds it
    _with_shadow(ctx, live_enabled=True, thresholds={"min_score": 1.0, "learned": 0})
    put_shop(ctx, PLATFORM, "s-shadow", "s", "enterprise", "douyin")
    messages.post(ctx, PLATFORM, messages.MessageInput("s-shadow", "buyer", "V信: abc_8888"))
    messages.post(ctx, PLATFORM, messages.MessageInput("s-shadow", "buyer", "请问有M码吗"))  # both find nothing: agree
    period = shadows.DisagreementQuery(T0.replace(year=2000), T0)
    (row,) = shadows.disagreements(ctx, OPERATOR, period)
    assert row.verdict == "live_only" and row.live and row.shadow == [] and row.label is None
    shadows.label(ctx, OPERATOR, shadows.LabelInput(row.shadow_id, "live", "a real WeChat id"))
    (row,) = shadows.disagreements(ctx, OPERATOR, period)
    assert (row.label, row.label_note, row.labelled_by) == ("live", "a real WeChat id", "op")
    assert shadows.disagreements(ctx, OPERATOR, shadows.DisagreementQuery(period.lo, period.hi, unlabelled=True)) == []
    (bt,) = backtests.run(ctx, OPERATOR, backtests.BacktestInput(period.lo, period.hi)).shadow
    assert (bt.detector, bt.version, bt.agree, bt.live_only, bt.live_right, bt.shadow_right, bt.unlabelled) == ("contact_diversion", "dv-next", 1, 1, 1, 0, 0)
    assert bt.shadow_right_share == 0.0
    # bad input: a label that is not one, a note too long, an unknown id, a seller
    with pytest.raises(InvalidInput) as err:
        shadows.label(ctx, OPERATOR, shadows.LabelInput(row.shadow_id, "both"))
    assert err.value.errors[0].field == "label" and "live, shadow, neither" in err.value.errors[0].message
    with pytest.raises(InvalidInput):
        shadows.label(ctx, OPERATOR, shadows.LabelInput(row.shadow_id, "live", "x" * 2001))
    with pytest.raises(NotFound):
        shadows.label(ctx, OPERATOR, shadows.LabelInput("sh_nope", "live"))
    with pytest.raises(Forbidden):
        shadows.label(ctx, SELLER, shadows.LabelInput(row.shadow_id, "live"))
    with pytest.raises(InvalidInput):
        shadows.disagreements(ctx, OPERATOR, shadows.DisagreementQuery(period.hi, period.lo))
