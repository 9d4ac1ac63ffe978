"""DY-QL-1..3 in the pure core: an order's counts, exact windows, peer standing, the experience
score, the poor-quality product rule, and the pack's `experience:` section (no database)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.quality import counters as c
from shopwarden.core.quality.counters import AfterSale, OrderFacts, change, contributions
from shopwarden.core.quality.industry import industry_of
from shopwarden.core.quality.peers import Industry, build
from shopwarden.core.quality.poor_products import judge
from shopwarden.core.quality.score import experience
from shopwarden.core.quality.window import Counts, DayCount, Mark, cuts, day_of, start_of, window_sum
from shopwarden.errors import PolicyError
from shopwarden.service.policies import builtin_pack_texts, load_builtin_packs

RULES = load_builtin_packs()["douyin"].experience
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
H = timedelta(hours=1)


def test_an_orders_counts_follow_the_definitions():
    # rule DY-QL-1: quality returns are after-sales for quality or not-as-described; negative
    # feedback is an order with a negative review, a quality after-sale or a complaint, once
    facts = OrderFacts(T0, "delivered", paid_at=T0, shipped_at=T0 + 50 * H, review=(T0 + 100 * H, 1),
                       after_sales=(AfterSale(T0 + 90 * H, "not_as_described"), AfterSale(T0 + 95 * H, "no_reason")), complaints=(T0 + 80 * H,))
    got = contributions(facts, dispatch_hours=48, negative_max_rating=2)
    assert got == Counter({(c.ORDERS, T0): 1, (c.DISPATCH_DUE, T0 + 48 * H): 1, (c.LATE_DISPATCHES, T0 + 48 * H): 1,
                           (c.REVIEWS, T0 + 100 * H): 1, (c.NEGATIVE_REVIEWS, T0 + 100 * H): 1,
                           (c.AFTER_SALES, T0 + 90 * H): 1, (c.AFTER_SALES, T0 + 95 * H): 1, (c.QUALITY_AFTER_SALES, T0 + 90 * H): 1,
                           (c.COMPLAINTS, T0 + 80 * H): 1, (c.NEGATIVE_FEEDBACK, T0 + 80 * H): 1})


def test_a_back_dated_input_moves_the_order_s_one_negative_feedback():
    # rule DY-QL-1: one negative-feedback order, counted at its first negative input
    before = OrderFacts(T0, "paid", review=(T0 + 100 * H, 1))
    after = OrderFacts(T0, "paid", review=(T0 + 100 * H, 1), complaints=(T0 + 10 * H,))
    moved = change(before, after, 48, 2)
    assert moved == {(c.COMPLAINTS, T0 + 10 * H): 1, (c.NEGATIVE_FEEDBACK, T0 + 10 * H): 1, (c.NEGATIVE_FEEDBACK, T0 + 100 * H): -1}
    assert change(after, after, 48, 2) == {}


def test_an_unpaid_or_cancelled_order_is_no_sale_and_shipping_on_time_is_not_late():
    assert contributions(OrderFacts(T0, "cancelled", paid_at=T0), 48, 2) == Counter()
    on_time = contributions(OrderFacts(T0, "shipped", paid_at=T0, shipped_at=T0 + 48 * H), 48, 2)
    assert (c.LATE_DISPATCHES, T0 + 48 * H) not in on_time and on_time[(c.DISPATCH_DUE, T0 + 48 * H)] == 1


def test_industry_is_the_first_category_segment():
    # rule DY-QL-2: `home` for `home/cups`
    assert industry_of("home/cups") == "home" and industry_of("/服饰/女装") == "服饰" and industry_of(None) == "unknown"


def _rows(marks: list[Mark]) -> list[DayCount]:
    sums: Counter = Counter()
    for m in marks:
        sums[(m.product_id, m.industry, day_of(m.at), m.counter)] += m.delta
    return [DayCount(p, i, d, k, v) for (p, i, d, k), v in sums.items()]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200 * 24 * 60), st.sampled_from(c.COUNTERS), st.sampled_from(["p1", "p2"])), max_size=60),
       st.integers(0, 200 * 24 * 60), st.integers(1, 120))
def test_a_window_from_day_sums_and_boundary_marks_equals_counting_every_event(events, end, days):
    # rule TIME-1: an event at e counts at t while e <= t < e + N days, to the instant
    marks = [Mark(p, "home", T0 + timedelta(minutes=m), k, 1) for m, k, p in events]
    hi = T0 + timedelta(minutes=end)
    lo = hi - timedelta(days=days)
    boundary = [m for m in marks if day_of(m.at) in (day_of(lo), day_of(hi))]
    expected = Counter((m.product_id, m.industry, m.counter) for m in marks if lo < m.at <= hi)
    assert window_sum(_rows(marks), boundary, lo, hi) == expected
    # the page's way: running totals over the day sums and, of the two boundary days, the marks up to the cuts
    cut = cuts([(lo, hi)])
    needed = [m for m in marks if day_of(m.at) in cut and m.at <= cut[day_of(m.at)]]
    assert Counts(_rows(marks), needed).window(lo, hi) == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200 * 24 * 60), st.sampled_from(c.COUNTERS), st.sampled_from(["p1", "p2"])), max_size=60),
       st.integers(0, 200 * 24 * 60), st.integers(1, 120), st.integers(0, 8))
def test_windows_from_the_start_of_days_need_only_the_marks_at_midnight(events, end, days, trend):
    # rule TIME-1 (DY-QL-5's trend): windows ending at the start of each of the last days, from one read
    marks = [Mark(p, "home", T0 + timedelta(minutes=m) if m % 7 else T0 + timedelta(days=m // 1440), k, 1) for m, k, p in events]
    ends = [start_of(day_of(T0 + timedelta(minutes=end))) - timedelta(days=k) for k in range(trend)]
    windows = [(t - timedelta(days=days), t) for t in ends]
    cut = cuts(windows)
    counts = Counts(_rows(marks), [m for m in marks if day_of(m.at) in cut and m.at <= cut[day_of(m.at)]])
    for lo, hi in windows:
        assert counts.window(lo, hi) == Counter((m.product_id, m.industry, m.counter) for m in marks if lo < m.at <= hi)


def test_standing_is_the_share_of_peers_no_better():
    # rule DY-QL-2: scored by where the shop stands among its industry's shops
    home = Industry.of_rates("home", {"complaint_rate": (0.0, 0.01, 0.02, 0.05)})
    assert home.standing("complaint_rate", 0.0) == 1.0  # no peer is better
    assert home.standing("complaint_rate", 0.02) == pytest.approx(3 / 5)  # 0.02, 0.05 and itself
    assert home.standing("complaint_rate", 0.5) == pytest.approx(1 / 5)  # only itself
    assert Industry("new").standing("complaint_rate", 0.3) == 1.0
    # rates are compared in steps of 0.1 percentage point: 2.04 % is no better than 2.00 %, 2.1 % is worse
    assert home.standing("complaint_rate", 0.0204) == pytest.approx(3 / 5) and home.standing("complaint_rate", 0.021) == pytest.approx(2 / 5)
    # the shop's own entry is left out of its peers: it counts once
    assert home.standing("complaint_rate", 0.03, own=0.02) == pytest.approx(2 / 4)


def test_the_kept_counts_move_by_one_shops_change():
    # rule DY-QL-2: peers kept incrementally; one shop's change moves its own cells only
    from shopwarden.core.quality.peers import from_counts, shift

    a = {"home": Counter({c.ORDERS: 40, c.COMPLAINTS: 4})}
    b = {"home": Counter({c.ORDERS: 60})}
    rows = [("a", "home", c.ORDERS, 40), ("a", "home", c.COMPLAINTS, 4), ("b", "home", c.ORDERS, 60)]
    kept = Counter()
    for before, after in (({}, a), ({}, b)):
        kept.update(shift(before, after, 30))
    assert from_counts((i, k, v) for (i, k), v in kept.items()) == build(rows, min_orders=30)
    a_later = {"home": Counter({c.ORDERS: 20, c.COMPLAINTS: 1})}  # fell below the minimum: no longer a peer
    kept.update(shift(a, a_later, 30))
    later = build([("a", "home", c.ORDERS, 20), ("a", "home", c.COMPLAINTS, 1), ("b", "home", c.ORDERS, 60)], min_orders=30)
    assert from_counts((i, k, v) for (i, k), v in kept.items()) == later and later["home"].shops == 1


def _totals(orders=100, reviews=50, negative=5, quality=3, due=100, late=10, complaints=2, after_sales=6) -> Counter:
    return Counter({c.ORDERS: orders, c.REVIEWS: reviews, c.NEGATIVE_REVIEWS: negative, c.QUALITY_AFTER_SALES: quality,
                    c.DISPATCH_DUE: due, c.LATE_DISPATCHES: late, c.COMPLAINTS: complaints, c.AFTER_SALES: after_sales})


def test_the_score_weighs_groups_50_20_30_by_standing():
    # rule DY-QL-2: product 50 (two indicators), logistics 20, service 30 (two indicators), 0–100
    rates = {i: (0.0,) * 3 for i in ("negative_review_rate", "quality_return_rate", "late_dispatch_rate", "complaint_rate", "after_sales_rate")}
    peers = Industry.of_rates("home", rates)
    worst = experience(RULES, _totals(), peers)  # worse than every peer on every indicator: 1/4 each
    assert worst.score == 25.0
    best = experience(RULES, _totals(negative=0, quality=0, late=0, complaints=0, after_sales=0), peers)
    assert best.score == 100.0
    only_logistics_bad = experience(RULES, _totals(negative=0, quality=0, complaints=0, after_sales=0), peers)
    assert only_logistics_bad.score == pytest.approx(100 - 0.20 * 75, abs=0.05)
    weights = {i.id: (i.group, i.weight) for i in worst.indicators}
    assert weights["late_dispatch_rate"] == ("logistics", 0.2) and weights["negative_review_rate"] == ("product", 0.25)


def test_too_few_orders_is_no_score_never_a_low_one():
    # rule DY-QL-2: too few orders (pack minimum) → no score
    result = experience(RULES, _totals(orders=RULES.min_orders - 1), Industry("home"))
    assert result.score is None and result.orders == RULES.min_orders - 1
    assert experience(RULES, _totals(orders=RULES.min_orders), Industry("home")).score is not None


def test_an_indicator_without_denominator_is_left_out_and_the_others_renormalised():
    result = experience(RULES, _totals(reviews=0, negative=0), Industry("home"))
    assert next(i for i in result.indicators if i.id == "negative_review_rate").score is None and result.score == 100.0


def test_peers_are_built_per_main_industry_with_pooled_means():
    rows = [("a", "home", c.ORDERS, 40), ("a", "home", c.COMPLAINTS, 4), ("a", "food", c.ORDERS, 10),
            ("b", "home", c.ORDERS, 60), ("b", "home", c.COMPLAINTS, 0), ("tiny", "home", c.ORDERS, 5), ("tiny", "home", c.COMPLAINTS, 5)]
    industries = build(rows, min_orders=30)
    home = industries["home"]
    assert home.shops == 2 and home.steps["complaint_rate"] == {0: 1, 80: 1}  # a: 4 of 50 orders in all its industries (80 ‰)
    assert home.mean("complaint_rate") == pytest.approx(9 / 105)  # pooled over every order of the industry, the tiny shop too
    assert industries["food"].shops == 0 and Industry.from_json("home", home.as_json()) == home


def test_a_product_is_poor_quality_on_the_bound_above_the_factor_times_the_mean():
    # rule DY-QL-3: Wilson lower bound of the negative-feedback rate vs factor × industry mean, with a minimum order count
    pq = RULES.poor_quality_product
    mean = 0.05
    assert judge("p", "home", 30, 100, mean, pq).poor_quality  # 30% observed, bound ≈ 0.22 > 2 × 0.05
    few = judge("p", "home", 5, 10, mean, pq)  # 50% observed but under the minimum orders
    assert not few.poor_quality and few.rate == 0.5
    close = judge("p", "home", 15, 100, mean, pq)  # 15% observed, bound ≈ 0.09 < 0.10
    assert close.lower_bound < pq.factor * mean and not close.poor_quality


def test_the_pack_values_carry_their_sources():
    assert (RULES.window_days, [g.weight for g in RULES.groups]) == (90, [50, 20, 30])
    assert "NOT in seed 004" in RULES.window_source and all("NOT in seed 004" in g.source for g in RULES.groups)
    assert "Decision" in RULES.min_orders_source and "Decision" in RULES.poor_quality_product.source and "Decision" in RULES.measures_source
    ladder = [[m.kind for m in s.measures] for s in RULES.measures]
    assert ladder == [["order_limit"], ["order_limit", "payout_frozen"], ["order_limit", "payout_frozen", "penalty_fee"]]
    assert RULES.step(9) == RULES.measures[-1] and RULES.step(2).measures[0].limit_per_day == 50


@pytest.mark.parametrize("edit, where", [
    (lambda e: e.update(colour="red"), "colour"),
    (lambda e: e["groups"][0].update(weight=0), "weight"),
    (lambda e: e["groups"][1]["indicators"].append("quality_return_rate"), "scored twice"),
    (lambda e: e["measures"][0]["measures"][0].pop("limit_per_day"), "limit_per_day"),
])
def test_a_broken_experience_section_is_refused(edit, where):
    data = yaml.safe_load(builtin_pack_texts()["douyin"])
    edit(data["experience"])
    with pytest.raises(PolicyError) as err:
        parse_pack(yaml.safe_dump(data, allow_unicode=True), source="douyin.yaml", bases=builtin_pack_texts())
    assert where in str(err.value)


def test_the_shop_rule_needs_every_one_of_the_consecutive_days_below_the_line():
    # rule DY-QL-3: below the line for the pack's number of consecutive days; no score never counts as low
    from shopwarden.core.quality.determinations import shop_is_poor

    line = RULES.poor_quality_shop
    assert shop_is_poor([55.0] * line.days, line)
    assert not shop_is_poor([55.0] * (line.days - 1), line)
    assert not shop_is_poor([55.0] * (line.days - 1) + [line.below], line)
    assert not shop_is_poor([None] + [55.0] * (line.days - 1), line)


def test_measures_escalate_by_live_repetitions_and_a_revoked_one_counts_for_nothing():
    # rule DY-QL-4: by repetition within repeat_days; a granted appeal (DY-APL-1) lifts a determination's measures
    from shopwarden.core.quality.determinations import (
        Past,
        already_determined,
        in_force,
        measures_for,
        next_change,
        occurrence,
    )

    first = Past(T0, "product:p1", measures_for(RULES, 1, T0))
    assert occurrence([first], T0 + 10 * timedelta(days=1), RULES.repeat_days) == 2
    assert occurrence([first], T0 + timedelta(days=RULES.repeat_days), RULES.repeat_days) == 1  # out of the repetition window
    revoked = Past(T0, "product:p1", first.measures, revoked_at=T0 + H)
    assert occurrence([revoked], T0 + 10 * timedelta(days=1), RULES.repeat_days) == 1
    assert [m.kind for _, m in in_force([first], T0 + H)] == ["order_limit"] and in_force([revoked], T0 + 2 * H) == []
    assert already_determined([first], "product:p1", T0 + H) and not already_determined([first], "product:p2", T0 + H)
    assert next_change([revoked], T0) == T0 + H
    third = measures_for(RULES, 3, T0)
    fee = next(m for m in third if m.kind == "penalty_fee")
    assert fee.amount == 5000 and fee.ends_at == T0 + timedelta(days=RULES.repeat_days)
