"""DY-LQ-1: the Wilson lower bound and the low-positive-rate verdict (pure, no database)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopwarden.core.reviews.positive_rate import judge, positives_of, statement, wilson_lower_bound
from shopwarden.service.policies import load_builtin_packs

SETTINGS = load_builtin_packs()["douyin"].low_positive_rate


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), st.sampled_from([1.0, 1.645, 1.96, 2.576]))
def test_the_bound_inverts_the_score_test(pn, z):
    """The Wilson bound is the p0 at which the score statistic (p̂ - p0) / sqrt(p0(1-p0)/n) equals z."""
    positives, n = pn
    lb = wilson_lower_bound(positives, n, z)
    p = positives / n
    assert 0.0 <= lb <= p + 1e-12
    if positives > 0:
        assert math.isclose((p - lb) / math.sqrt(lb * (1 - lb) / n), z, rel_tol=1e-6)
    else:
        assert lb == 0.0


def test_the_bound_tightens_as_evidence_grows():
    bounds = [wilson_lower_bound(6 * k, 10 * k, 1.96) for k in (1, 10, 100, 1000)]
    assert bounds == sorted(bounds) and 0.6 - bounds[-1] < 0.01
    assert wilson_lower_bound(0, 0, 1.96) == 0.0
    with pytest.raises(ValueError):
        wilson_lower_bound(4, 3, 1.96)


def test_three_negative_reviews_never_ban():
    # rule DY-LQ-1: a handful of reviews never bans a product
    v = judge(sales=3, positives=0, reviews=3, settings=SETTINGS, category="家纺/床上用品")
    assert v.lower_bound == 0.0 and v.outcome == "too_few_sales" and not v.low
    many_sales = judge(sales=5000, positives=0, reviews=3, settings=SETTINGS)
    assert many_sales.outcome == "too_few_reviews" and not many_sales.low


def test_500_sales_at_60_percent_positive_are_banned_with_the_pack_defaults():
    # rule DY-LQ-1
    v = judge(sales=500, positives=300, reviews=500, settings=SETTINGS, category="家纺/床上用品")
    assert v.low and v.rate == 0.6 and v.lower_bound == pytest.approx(wilson_lower_bound(300, 500, 1.96))
    assert v.threshold == SETTINGS.threshold and v.threshold_key is None
    fewer_reviews = judge(sales=500, positives=60, reviews=100, settings=SETTINGS)
    assert fewer_reviews.low


def test_a_good_product_with_few_reviews_is_not_banned_by_noise():
    # 27 of 30 positive (90%): the bound (~0.74) clears the 0.70 default
    assert judge(sales=120, positives=27, reviews=30, settings=SETTINGS).outcome == "ok"


def test_category_thresholds_take_the_longest_prefix():
    # rule DY-LQ-1: thresholds per category in the pack
    at_0_68 = (680, 1000)  # bound ~0.65: below the default 0.70, above clothing's 0.65
    assert judge(1000, *at_0_68, SETTINGS, category="家纺").low
    clothing = judge(1000, *at_0_68, SETTINGS, category="服饰/女装/连衣裙")
    assert not clothing.low and (clothing.threshold, clothing.threshold_key) == (0.65, "服饰")
    assert judge(1000, *at_0_68, SETTINGS, category="服饰配件").threshold == SETTINGS.threshold  # a path prefix, not a string prefix


def test_positives_follow_the_packs_rating_line():
    assert positives_of({1: 2, 2: 1, 3: 4, 4: 5, 5: 10}, 4) == 15
    assert positives_of({}, 4) == 0


def test_the_statement_carries_every_figure_in_both_languages():
    v = judge(500, 300, 500, SETTINGS, category="家纺/床上用品")
    for lang in ("en", "zh"):
        text = statement(v, "douyin v2026.02", lang)
        for figure in ("500", "300", "60.0%", f"{v.lower_bound:.3f}", "0.70", "家纺/床上用品", "DY-LQ-1", "douyin v2026.02", "95%"):
            assert figure in text, (lang, figure)


def test_the_douyin_pack_names_a_ban_tier_its_dy_lq_type_has():
    # rule DY-LQ-6: the automatic ban's severity must be one the pack can issue
    pack = load_builtin_packs()["douyin"]
    assert SETTINGS.severity in pack.types["low_positive_rate_product"].severities
    assert "Decision" in SETTINGS.source and pack.review_reports is not None and "Decision" in pack.review_reports.source
