"""Brand qualifications (rule DY-BQ-1): validity by status, dates and category; the gap a shop
has to close when none is valid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from brand_fixtures import AT, qualification

from shopwarden.core.brands import Qualification, category_covers, covers_any
from shopwarden.core.detect.brand_authorization import standing


@pytest.mark.parametrize(
    ("prefix", "category", "covers"),
    [
        ("home/bedding", "home/bedding/pillowcases", True),
        ("home/bedding", "home/bedding", True),
        ("home/bedding/", "Home/Bedding/Sets", True),
        ("home/bedding", "home/beddings", False),
        ("home/bedding/pillowcases", "home/bedding", False),
        ("shoes", "apparel/shoes", False),
    ],
)
def test_category_prefix_covers_whole_segments(prefix, category, covers):
    assert category_covers(prefix, category) is covers


def test_no_categories_cover_everything_and_an_unknown_category_is_not_held_against_anyone():
    assert covers_any((), "food") and covers_any(("shoes",), None) and not covers_any(("shoes",), "food")


def test_is_valid_needs_approval_dates_and_category():  # rule DY-BQ-1
    q = qualification(categories=("home/bedding",))
    assert q.is_valid(AT, "home/bedding/pillowcases")
    assert not q.is_valid(AT, "shoes/running")
    assert not q.is_valid(AT + timedelta(days=100), "home/bedding")  # valid_to is exclusive
    assert not q.is_valid(AT - timedelta(days=301), "home/bedding")
    assert qualification(categories=()).is_valid(AT, "anything/at/all")
    assert qualification(days_left=None).is_valid(AT + timedelta(days=3650), "shoes")
    for status in ("pending", "rejected", "expired", "revoked"):
        assert not qualification(status=status).is_valid(AT, "shoes")


def test_tm_applications_count_like_registrations():  # rule DY-BQ-1: R mark or TM application
    assert qualification(mark="TM").is_valid(AT, "shoes")


def test_bad_status_or_mark_is_refused():
    with pytest.raises(ValueError):
        Qualification("q", "s", "b", "1", "R", (), AT, None, "approved?")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Qualification("q", "s", "b", "1", "C", (), AT, None, "approved")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("quals", "gap"),
    [
        ((), "none"),
        ((qualification(status="revoked"),), "revoked"),
        ((qualification(status="rejected"), qualification(status="pending")), "pending"),
        ((qualification(days_left=-1),), "expired"),
        ((qualification(status="expired"),), "expired"),
        ((qualification(started=5),), "not_yet_valid"),
        ((qualification(categories=("bags",)), qualification(status="revoked")), "category"),
        ((qualification(shop_id="other"),), "none"),
        ((qualification(brand_id="apple"),), "none"),
    ],
)
def test_standing_names_the_gap_closest_to_valid(quals, gap):
    state = standing(quals, "nike", "s1", AT, "shoes/running")
    assert not state.authorized and state.gap == gap


def test_one_valid_qualification_authorizes():
    quals = (qualification(status="revoked"), qualification(categories=("shoes",)))
    assert standing(quals, "nike", "s1", AT, "shoes/running").authorized


def test_naive_times_are_read_as_utc():
    naive = Qualification("q", "s1", "nike", "1", "R", (), datetime(2025, 1, 1), datetime(2027, 1, 1), "approved")
    assert naive.is_valid(AT, None) and naive.is_valid(AT.replace(tzinfo=None), None)
    assert not naive.is_valid(datetime(2027, 1, 1, tzinfo=UTC), None)
