"""The queries the pages' use cases moved into `store` (service/pages/), on SQLite and PostgreSQL:
a shop's newest reviews up to an instant, violations' summaries by id, and the bans' state that
tells the same-product registry when to sync."""

from __future__ import annotations

from datetime import timedelta

from shopwarden.store import bans, reviews, violations
from tests.web.seed import PLATFORM, T0, seed, seed_reviews


def test_a_shops_newest_reviews_up_to_an_instant(ctx):
    ctx.clock.now = T0
    ids = seed_reviews(ctx, seed(ctx)).ids
    with ctx.db.read() as s:
        now = [r.review_id for r in reviews.newest_of_shop(s, "web-a", T0, 10)]
        assert now == [ids["a_review_bad"], ids["a_review_good"], ids["a_review_old"]]  # posted 2, 3 and 45 days ago
        assert [r.review_id for r in reviews.newest_of_shop(s, "web-a", T0, 1)] == [ids["a_review_bad"]]
        assert [r.review_id for r in reviews.newest_of_shop(s, "web-a", T0 - timedelta(days=10), 10)] == [ids["a_review_old"]]
        assert reviews.newest_of_shop(s, "web-nobody", T0, 10) == []


def test_violation_summaries_by_id_without_their_evidence(ctx):
    ctx.clock.now = T0
    ids = seed(ctx).ids
    with ctx.db.read() as s:
        found = violations.summaries(s, [ids["a_chat"], ids["b_snad"], "v-none"])
        assert set(found) == {ids["a_chat"], ids["b_snad"]}
        chat = found[ids["a_chat"]]
        assert (chat.shop_id, chat.type) == ("web-a", "prohibited_customer_communication") and "evidence" not in chat._fields
        assert violations.summaries(s, []) == {}


def test_the_bans_state_changes_when_a_ban_is_added(ctx):
    from shopwarden.service import bans as ban_service
    from shopwarden.service import products

    ctx.clock.now = T0
    seed(ctx)
    with ctx.db.read() as s:
        assert (bans.state(s), bans.ban_ids(s), bans.by_ids(s, [])) == ((0, None), [], [])
    products.put(ctx, PLATFORM, "d-cup", {"shop_id": "web-d", "title": "陶瓷马克杯 350ml", "description": "办公室家用"})
    ban_service.ban(ctx, PLATFORM, "d-cup", ban_service.BanInput(reason="low_positive_rate", severity="minor", statement="好评率 40%"))
    with ctx.db.read() as s:
        count, latest = bans.state(s)
        (ban_id,) = bans.ban_ids(s)
        (row,) = bans.by_ids(s, [ban_id, "ban-none"])
        assert (count, row.product_id, latest.replace(tzinfo=None)) == (1, "d-cup", row.banned_at.replace(tzinfo=None))
