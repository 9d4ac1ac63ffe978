"""The navigation: the seller centre's tabs for one shop, and the console's, built from one list
(queues included, from `queues.QUEUES`)."""

from __future__ import annotations

from shopwarden.web.i18n import N_
from shopwarden.web.queues import QUEUES

SHOP_TABS = (
    ("", N_("Store diagnosis")),
    ("/experience", N_("Experience score")),
    ("/violations", N_("Violation records")),
    ("/rectification", N_("Rectification")),
    ("/listings", N_("Listings")),
    ("/reviews", N_("Reviews")),
    ("/notices", N_("Notices")),
)

ROLE_NAMES = (N_("Seller"), N_("Operator"), N_("Platform"))


def shop_tabs(shop_id: str, score_name: str | None = None) -> list[tuple[str, str]]:
    """The shop's tabs; the experience tab only where its pack scores one (DY-QL-5), named as the
    pack names it (`score_name`, in the page's language: 体验分, Shop Performance Score)."""
    return [(f"/shop/{shop_id}{suffix}", score_name if suffix == "/experience" and score_name is not None else label) for suffix, label in SHOP_TABS
            if suffix != "/experience" or score_name is not None]


def console_tabs() -> list[tuple[str, str]]:
    return [("/console", N_("Console"))] + [(q.url, q.title) for q in QUEUES] + [
        ("/console/shops", N_("Shop timeline")),
        ("/console/policies", N_("Policy packs")),
        ("/console/simulate", N_("Simulate a draft")),
        ("/console/backtest", N_("Backtest")),
        ("/console/shadows", N_("Shadow detectors")),
        ("/console/transparency", N_("Transparency report")),
    ]
