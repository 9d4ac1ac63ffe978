"""The shipped policy packs: they validate, and their numbers are the ones of spec/RULES.md."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shopwarden.core.ledger.events import ViolationIssued
from shopwarden.core.ledger.standing import fold
from shopwarden.core.periods import add_working_days
from shopwarden.core.policy.loader import parse_pack
from shopwarden.service.policies import builtin_pack_texts, load_builtin_packs

PACKS = load_builtin_packs()
TT = PACKS["tiktok-shop"]
DY = PACKS["douyin"]
UTC = UTC


@pytest.mark.parametrize("stem", sorted(builtin_pack_texts()))
def test_every_builtin_pack_validates_and_is_named_after_its_file(stem):
    pack = parse_pack(builtin_pack_texts()[stem], source=f"{stem}.yaml", bases=builtin_pack_texts())
    assert pack.id == stem


def test_the_packs_ship():
    assert set(PACKS) == {"tiktok-shop", "tiktok-shop-chr", "tiktok-shop-eu", "douyin", "shopee"}


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_every_entry_says_where_it_comes_from(pack_id):
    pack = PACKS[pack_id]
    entries = [*pack.levels, *pack.privileges, *pack.sanction_kinds, *pack.appeals.windows]
    assert all(e.source and len(e.source) > 10 for e in entries)


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_every_severity_lies_inside_its_type_range(pack_id):
    for t in PACKS[pack_id].violation_types:
        assert all(t.min_points <= s.points <= t.max_points for s in t.severities.values()), t.type


# ---- tiktok-shop: RULES.md section 1 ----


def test_tiktok_points_roll_off_after_180_days():
    # rule TT-PTS-2
    expiry = TT.classes["default"].expiry
    assert (expiry.kind, expiry.days) == ("rolling", 180)
    assert [c.id for c in TT.point_classes] == ["default"] and TT.primary == "default"


def test_tiktok_threshold_ladder():
    # rule TT-PTS-3
    ladder = [(t.points, t.level, [(s.kind, s.days) for s in t.sanctions]) for t in TT.ladders["default"]]
    assert ladder == [
        (12, "medium", [("no_campaigns", 30)]),
        (24, "high", [("no_affiliate", 30), ("no_campaigns", 30)]),
        (36, "very_high", [("no_affiliate", 60), ("no_campaigns", 60), ("suspended", 30)]),
        (48, "very_high", [("deactivated", None)]),
    ]
    assert [lv.id for lv in TT.levels] == ["low", "medium", "high", "very_high"]


def test_tiktok_sanctions_take_away_privileges():
    # rule TT-PTS-3
    assert [p.id for p in TT.privileges] == ["campaigns", "affiliate", "selling"]
    assert TT.sanction_removes == {
        "no_campaigns": {"campaigns"},
        "no_affiliate": {"affiliate"},
        "suspended": {"selling", "campaigns", "affiliate"},
        "deactivated": {"selling", "campaigns", "affiliate"},
    }


def test_tiktok_warning_lines_are_five_points_below_each_threshold():
    # rule TT-PTS-4
    assert TT.warning_margin == 5
    assert [t.points - TT.margin_for("default") for t in TT.ladders["default"]] == [7, 19, 31, 43]


def test_tiktok_appeals():
    # rule TT-APL-1, TT-APL-2, TT-APL-3, TT-APL-4
    appeals = TT.appeals
    assert appeals.max_appeals == 2
    assert [(w.number, w.days, w.after) for w in appeals.windows] == [(1, 30, "violation_issued"), (2, 15, "previous_rejected")]
    assert appeals.evidence_required is True
    assert appeals.decision_sla is None and "silent" in appeals.source


TIKTOK_RANGES = {
    "missing_qualifications": (6, 48),
    "expired_qualifications": (4, 48),
    "inauthentic_qualifications": (12, 48),
    "ip_infringement": (1, 48),
    "counterfeit": (4, 48),
    "knockoff": (0, 4),
    "non_compliant_listing": (0, 48),
    "prohibited_products": (6, 48),
    "prohibited_customer_communication": (1, 12),
    "seller_fault_cancellation_late_dispatch": (2, 4),
    "seller_fault_return_refund_rate": (2, 2),
    "significantly_not_as_described": (1, 48),
    "reproduced_content": (48, 48),
    "prohibited_product_promotion": (6, 48),
    "inconsistent_product_promotion": (1, 48),
    "activities_prohibited_by_law": (48, 48),
}


def test_tiktok_violation_types_and_ranges():
    # rule TT-PTS-1
    assert {t.type: (t.min_points, t.max_points) for t in TT.violation_types} == TIKTOK_RANGES
    for t in TT.violation_types:
        assert t.name.en and t.name.zh
        assert "Decision" in t.source or len(t.severities) == 1  # the severity→points choice is ours
        assert set(t.severities) <= {"minor", "general", "serious", "critical"}
    assert list(TT.types["reproduced_content"].severities) == ["critical"]


def test_tiktok_calendar_and_review_reports():
    # rule TIME-1, RV-2, RV-3
    assert (TT.calendar.timezone, TT.calendar.weekend) == ("UTC", ["sat", "sun"])
    reports = TT.review_reports
    assert (reports.window_days, reports.max_reports_per_review) == (30, 1)
    assert reports.abuse.warn_share <= reports.abuse.block_share and "Decision" in reports.source


def test_tiktok_pack_drives_the_ledger_fold():
    # rule TT-PTS-3: 12 points reach medium risk and take campaigns away for 30 days
    t0 = datetime(2026, 1, 10, tzinfo=UTC)
    v = ViolationIssued("v1", t0, "prohibited_products", "general", 12, "default", t0 + timedelta(days=180))
    st = fold(TT, [v], t0 + timedelta(days=1))
    assert (st.points, st.level, st.privileges["campaigns"]) == (12, "medium", False)
    assert fold(TT, [v], t0 + timedelta(days=30)).privileges["campaigns"] is True


# ---- douyin: RULES.md sections 3 and 5 ----


def test_douyin_low_positive_rate_severities():
    # rule DY-LQ-6
    t = DY.types["low_positive_rate_product"]
    got = {name: (s.points, DY.class_of(t.type, name), s.takedown) for name, s in t.severities.items()}
    assert got == {
        "minor": (0, "A", True),
        "general": (4, "A", True),
        "serious": (4, "B", True),
        "especially_serious": (12, "B", False),
    }


def test_douyin_high_frequency_types_use_the_dy_lq_6_tiers():
    # rule DY-LQ-6 (tiers reused as a Decision for DY-BR, DY-PR, DY-DV, DY-IP, DY-QL)
    for vtype in ("no_brand_qualification", "unreasonable_pricing", "off_platform_diversion", "improper_use_of_rights", "poor_quality"):
        t = DY.types[vtype]
        assert {n: (s.points, DY.class_of(vtype, n)) for n, s in t.severities.items()} == {
            "minor": (0, "A"), "general": (4, "A"), "serious": (4, "B"), "especially_serious": (12, "B")
        }
        assert "Decision" in t.source


def test_douyin_point_classes_have_no_ladder():
    assert [c.id for c in DY.point_classes] == ["A", "B"]
    assert DY.thresholds == [] and DY.ladders == {"A": (), "B": ()}
    for c in DY.point_classes:
        assert (c.expiry.kind, c.expiry.period, c.expiry.timezone) == ("calendar", "year", "Asia/Shanghai")
        assert "Decision" in c.expiry.source
    assert "unused" in DY.warning_margin_source


def test_douyin_appeals():
    # rule DY-APL-1
    appeals = DY.appeals
    assert [(w.number, w.days, w.after) for w in appeals.windows] == [(1, 7, "violation_issued")]
    assert (appeals.decision_sla.min_working_days, appeals.decision_sla.max_working_days) == (1, 5)
    assert appeals.max_appeals == 1 and "Decision" in appeals.source


def test_douyin_calendar_holds_the_2026_holidays_and_make_up_days():
    cal = DY.calendar
    assert cal.timezone == "Asia/Shanghai" and "State Council" in cal.source
    assert len(cal.holidays) == 33 and date(2026, 2, 17) in cal.holidays and date(2026, 10, 7) in cal.holidays
    assert cal.workdays == [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)]
    assert all(d.weekday() >= 5 for d in cal.workdays)


def test_douyin_decision_sla_counts_the_make_up_saturday_and_skips_spring_festival():
    # rule DY-APL-1: 5 working days from Friday 2026-02-13 (Beijing): Sat 14 is worked, 15–23 are off
    cal = DY.calendar
    filed = datetime(2026, 2, 13, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
    due = add_working_days(filed, 5, cal.timezone, cal.weekend_numbers, frozenset(cal.holidays), frozenset(cal.workdays))
    assert due == datetime(2026, 2, 27, 2, 0, tzinfo=UTC)


# ---- shopee: the schema proof ----


def test_shopee_ladder_and_quarterly_reset():
    shopee = PACKS["shopee"]
    assert [t.points for t in shopee.thresholds] == [3, 6, 9, 12, 15]
    assert all(s.days == 28 for t in shopee.thresholds for s in t.sanctions)
    expiry = shopee.point_classes[0].expiry
    assert (expiry.kind, expiry.period) == ("calendar", "quarter")
    assert "schema proof" in shopee.source or "schema proof" in shopee.name.en
