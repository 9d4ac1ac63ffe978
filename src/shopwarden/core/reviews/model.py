"""What the review signals read: a review, its product, and the history around it, all passed in.

The service builds these from storage; the signals (`signals.review_signals`) never read storage,
a clock or the network. An `encode` callable (texts -> unit vectors, the multilingual sentence
encoder) is passed in where a signal needs one, so core stays free of the model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from shopwarden.core.reviews.duplicates import Shared

Encode = Callable[[Sequence[str]], np.ndarray]  # texts -> (n, d) float32, rows of unit length

IDENTITY_ATTRIBUTES = ("device", "payment_account", "address_hash", "identity")


@dataclass(frozen=True, slots=True)
class ReviewView:
    """One review as the signals see it. `image_texts` are texts read from its images (OCR lines
    and QR payloads), each (image sha256, text, box or None)."""

    review_id: str
    order_id: str
    shop_id: str
    product_id: str
    buyer_id: str
    rating: int  # 1..5
    text: str
    posted_at: datetime
    image_texts: tuple[tuple[str, str, tuple[tuple[int, int], ...] | None], ...] = ()


@dataclass(frozen=True, slots=True)
class ProductView:
    product_id: str
    shop_id: str
    title: str
    category: str


@dataclass(frozen=True, slots=True)
class ChatLine:
    """A message between the review's buyer and the shop (`from_buyer` False: the seller wrote it)."""

    message_id: str
    text: str
    sent_at: datetime
    from_buyer: bool = True


@dataclass(frozen=True, slots=True)
class IdentityLink:
    """Another shop the buyer shares an identity attribute with (RV-K-3): `via` is one of
    IDENTITY_ATTRIBUTES; `hint` a masked form of the shared value for the operator."""

    shop_id: str
    categories: tuple[str, ...]
    via: str
    hint: str


@dataclass(frozen=True, slots=True)
class ReviewHistory:
    """The review's surroundings, read by the service at the review's posting time.

    `buyer_reviews` are the same buyer's other reviews on the same shop (other orders), oldest
    first; `chat` the buyer's messages with the shop; `linked_shops` the identity graph's
    neighbours of the buyer that are shops; `near_duplicates` the ids of other reviews whose text
    is a near-copy of this one (from the duplicate index), and `near_duplicate_shops` the shop each
    of them was posted on, in the same order (empty when unknown); `shared_clauses` the review's
    clauses that other reviews contain, with their counts on its shop and in all."""

    product: ProductView
    buyer_reviews: tuple[ReviewView, ...] = ()
    chat: tuple[ChatLine, ...] = ()
    linked_shops: tuple[IdentityLink, ...] = ()
    near_duplicates: tuple[str, ...] = ()
    near_duplicate_shops: tuple[str, ...] = ()
    shared_clauses: tuple[Shared, ...] = ()  # the review's clauses other reviews contain too (`DuplicateIndex.shared`)


@dataclass(frozen=True, slots=True)
class CategoryStats:
    """How close a category's genuine reviews usually are to their product (RV-K-5's calibration):
    the count of similarities seen and chosen quantiles of them.

    When the genuine reviews' vectors were given too, `examples` keeps (up to a cap) those vectors
    — what reviews of this category sound like — and `fit` the quantiles of how close each of
    them is to its nearest fellow examples; RV-K-5 and RV-K-6 place a review among every
    category's examples through these (`core.reviews.topic`)."""

    n: int
    quantiles: tuple[tuple[float, float], ...]  # (q, value), q ascending, e.g. ((0.01, 0.12), (0.05, 0.2), ...)
    examples: np.ndarray | None = field(default=None, compare=False, repr=False)  # (m, d) unit rows
    fit: tuple[tuple[float, float], ...] = ()  # (q, mean cosine to the nearest examples), q ascending


Calibration = dict[str, CategoryStats]  # category -> stats
