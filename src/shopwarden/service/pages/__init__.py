"""What the seller centre and the operator console read beyond the API's use cases, one module per
part of the site it serves: `seller` (web/seller.py), `console` (web/console.py's item pages),
`queues` (web/queues.py), and `shop`, which they share. The queries themselves are in `store`.

Each function checks the caller with `auth.require`, like every use case. The names are re-exported
here, so a page reads `pages.diagnosis(...)` without knowing which module holds it.
"""

from shopwarden.service.pages.console import (
    TimelineEntry,
    appeal_item,
    case_item,
    policy_packs,
    qualification_item,
    report_item,
    timeline,
)
from shopwarden.service.pages.queues import appeal_queue, case_queue, qualification_queue, queue_counts, report_queue
from shopwarden.service.pages.seller import (
    Moment,
    Refusal,
    diagnosis,
    listing_of_shop,
    listings_of,
    points_series,
    report_refusal,
    review_of_shop,
    shop_reviews,
    upcoming,
    violation_of_shop,
    violations_of,
)
from shopwarden.service.pages.shop import ShopView, image, image_sizes, ledger_of, shop

__all__ = [
    "Moment", "Refusal", "ShopView", "TimelineEntry", "appeal_item", "appeal_queue", "case_item", "case_queue", "diagnosis", "image",
    "image_sizes", "ledger_of", "listing_of_shop", "listings_of", "points_series", "policy_packs", "qualification_item",
    "qualification_queue", "queue_counts", "report_item", "report_queue", "report_refusal", "review_of_shop", "shop", "shop_reviews",
    "timeline", "upcoming", "violation_of_shop", "violations_of",
]
