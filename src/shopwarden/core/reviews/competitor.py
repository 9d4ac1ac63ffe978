"""RV-K-3 competitor: a seller of similar products orders from another shop and leaves a bad review.

The service passes the identity graph's shops next to the buyer (`history.linked_shops`: shared
device, payment account, address or identity, with a masked hint of the shared value). A link
counts when the shop is not the reviewed one, sells in the reviewed product's category, and the
review is negative. The link's kind sets the score: a shared identity or payment account says
more than a shared address (a family, an office, a parcel locker).

Pack settings (`detectors.review_competitor.thresholds`), defaults in DEFAULTS.
"""

from __future__ import annotations

from collections.abc import Mapping

from shopwarden.core.detect.base import Evidence, Finding
from shopwarden.core.reviews.findings import finding, is_negative, review_evidence
from shopwarden.core.reviews.model import IDENTITY_ATTRIBUTES, IdentityLink, ReviewHistory, ReviewView

KIND = "review_competitor"
DEFAULTS: Mapping[str, float] = {
    "score.identity": 0.92,
    "score.payment_account": 0.9,
    "score.device": 0.85,
    "score.address_hash": 0.7,
    "min_score": 0.5,
    "severity.general": 0.85,
}
VIA = {
    "identity": ("identity", "身份信息"),
    "payment_account": ("payment account", "支付账户"),
    "device": ("device", "设备"),
    "address_hash": ("address", "收货地址"),
}


def _competitors(review: ReviewView, history: ReviewHistory) -> list[IdentityLink]:
    category = history.product.category
    return [link for link in history.linked_shops
            if link.shop_id != review.shop_id and category in link.categories and link.via in IDENTITY_ATTRIBUTES]  # fmt: skip


def competitor(review: ReviewView, history: ReviewHistory, negative_max_rating: int, t: Mapping[str, float]) -> Finding | None:
    if not is_negative(review, negative_max_rating):
        return None
    links = sorted(_competitors(review, history), key=lambda link: -t[f"score.{link.via}"])
    if not links:
        return None
    score = t[f"score.{links[0].via}"] + 0.03 * (len({(link.shop_id, link.via) for link in links}) - 1)
    shops = ", ".join(dict.fromkeys(link.shop_id for link in links))
    en = "; ".join(f"shop {link.shop_id} by {VIA[link.via][0]} ({link.hint})" for link in links)
    zh = "；".join(f"店铺 {link.shop_id}（{VIA[link.via][1]} {link.hint}）" for link in links)
    cited = [Evidence(f"linked_shops[{link.shop_id}].{link.via}", 0, len(link.hint), link.hint) for link in links if link.hint]
    evidence = [review_evidence(review), *cited]
    return finding(
        "RV-K-3", KIND, score, t,
        f"Competitor's review: the reviewer is linked to {shops}, which also sells {history.product.category}: {en}.",
        f"竞争对手恶意评价：评价人与同样经营「{history.product.category}」的店铺关联：{zh}。",
        evidence,
    )  # fmt: skip
