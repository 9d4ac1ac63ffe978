"""Claims on queue items (service/claims.py) on SQLite and PostgreSQL: one holder at a time, shown
to others, expiring after CLAIM_TTL; deciding needs the claim; a decided item cannot be claimed."""

from __future__ import annotations

import pytest

from shopwarden.errors import AlreadyDecided, Conflict, Forbidden, InvalidInput, NotFound
from shopwarden.service import appeals, claims
from shopwarden.service.auth import Principal
from tests.web.seed import seed

WANG = Principal("k-wang", "operator", None)
LI = Principal("k-li", "operator", None)


@pytest.fixture
def appeal_id(web_ctx):
    return seed(web_ctx).ids["d_appeal"]


def test_one_holder_at_a_time_and_others_see_who(web_ctx, appeal_id):
    held = claims.claim(web_ctx, WANG, "appeal", appeal_id)
    assert held.holder == "k-wang" and held.expires_at == web_ctx.clock() + claims.CLAIM_TTL
    with pytest.raises(Conflict, match="claimed by k-wang"):
        claims.claim(web_ctx, LI, "appeal", appeal_id)
    assert claims.holders(web_ctx, LI, "appeal", [appeal_id])[appeal_id].holder == "k-wang"
    assert claims.claim(web_ctx, WANG, "appeal", appeal_id).holder == "k-wang"  # renewing one's own claim


def test_a_claim_expires_and_can_then_be_taken_over(web_ctx, appeal_id):
    claims.claim(web_ctx, WANG, "appeal", appeal_id)
    web_ctx.clock.now += claims.CLAIM_TTL
    assert claims.holders(web_ctx, LI, "appeal", [appeal_id]) == {}
    assert claims.claim(web_ctx, LI, "appeal", appeal_id).holder == "k-li"


def test_release_frees_only_ones_own_claim(web_ctx, appeal_id):
    claims.claim(web_ctx, WANG, "appeal", appeal_id)
    assert claims.release(web_ctx, LI, "appeal", appeal_id) is False
    assert claims.release(web_ctx, WANG, "appeal", appeal_id) is True
    assert claims.claim(web_ctx, LI, "appeal", appeal_id).holder == "k-li"


def test_deciding_needs_the_running_claim_and_releases_it(web_ctx, appeal_id):
    """TT-APL-6: one decision, by the operator who holds the item."""
    decide = lambda who: claims.decide_holding(web_ctx, who, "appeal", appeal_id,  # noqa: E731
                                               lambda: appeals.decide(web_ctx, who, appeal_id, appeals.DecisionInput(outcome="rejected", reason="stands")))
    with pytest.raises(Conflict, match="claim appeal"):
        decide(WANG)
    claims.claim(web_ctx, WANG, "appeal", appeal_id)
    with pytest.raises(Conflict, match="claimed by k-wang"):
        decide(LI)
    assert decide(WANG).status == "rejected"
    assert claims.holders(web_ctx, WANG, "appeal", [appeal_id]) == {}
    with pytest.raises(AlreadyDecided):
        claims.claim(web_ctx, LI, "appeal", appeal_id)


def test_bad_kinds_unknown_items_and_sellers_are_refused(web_ctx, appeal_id):
    with pytest.raises(InvalidInput, match="kind"):
        claims.claim(web_ctx, WANG, "parcel", appeal_id)
    with pytest.raises(NotFound):
        claims.claim(web_ctx, WANG, "case", "c_missing")
    with pytest.raises(Forbidden):
        claims.claim(web_ctx, Principal("k-s", "seller", "web-d"), "appeal", appeal_id)
