"""A listing's SKUs as typed records, and evidence that points at their structured values.

Structured evidence names the value's path as its field ("skus[1].price") and spans the whole
value as text, `0..len(str(value))`; `Subject.from_listing` puts those paths among the fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shopwarden.core.detect.base import Evidence, Subject, per_subject
from shopwarden.core.detect.listing_subject import money


@dataclass(frozen=True, slots=True)
class Sku:
    index: int
    sku_id: str
    name: str
    price: Decimal
    shipping_fee: Decimal | None
    shipping_field: str | None  # "skus[i].shipping_fee", or the listing's "shipping_fee"
    category: str | None
    compare_at: Decimal | None  # compare_at, else list_price
    compare_field: str | None

    @property
    def label(self) -> str:
        return self.name or self.sku_id or f"#{self.index + 1}"


def _compare(sku: Mapping[str, Any], i: int) -> tuple[Decimal | None, str | None]:
    for key in ("compare_at", "list_price"):
        amount = money(sku.get(key), f"skus[{i}].{key}")
        if amount is not None:
            return amount, f"skus[{i}].{key}"
    return None, None


@per_subject
def skus_of(subject: Subject) -> tuple[Sku, ...]:
    """The listing's SKUs that carry a price, in order; the listing's shipping fee fills in."""
    data = subject.data
    listing_fee = money(data.get("shipping_fee"), "shipping_fee")
    out = []
    for i, sku in enumerate(data.get("skus") or ()):
        price = money(sku.get("price"), f"skus[{i}].price")
        if price is None:
            continue
        fee = money(sku.get("shipping_fee"), f"skus[{i}].shipping_fee")
        fee_field = f"skus[{i}].shipping_fee" if fee is not None else ("shipping_fee" if listing_fee is not None else None)
        compare_at, compare_field = _compare(sku, i)
        out.append(
            Sku(i, str(sku.get("sku_id") or ""), str(sku.get("name") or ""), price,
                fee if fee is not None else listing_fee, fee_field, sku.get("category"), compare_at, compare_field)
        )  # fmt: skip
    return tuple(out)


def anchored_sku_groups(subject: Subject) -> tuple[tuple[Sku, ...], ...]:
    """A content's anchored products' SKUs (CR-5), one group per product with a priced SKU: a
    price said in the content is judged against them (DY-PR). No evidence paths: the content
    subject carries its products as data only."""
    if subject.kind != "content":
        return ()
    products = [p for p in subject.data.get("products") or () if isinstance(p, Mapping)]
    groups = (skus_of(Subject("listing", {}, data=dict(p))) for p in products)
    return tuple(g for g in groups if g)


def sibling_skus(subject: Subject) -> tuple[Sku, ...]:
    """A listing's SKUs when it has at least two (the detectors that compare SKUs need siblings), else ()."""
    skus = skus_of(subject) if subject.kind == "listing" else ()
    return skus if len(skus) >= 2 else ()


def value_evidence(subject: Subject, *paths: str | None) -> tuple[Evidence, ...]:
    """The whole structured value at each path, as its own field; paths the subject lacks
    (a subject built without `from_listing`) are skipped."""
    return tuple(subject.evidence(p, 0, len(subject.fields[p])) for p in paths if p and subject.fields.get(p))


def sku_evidence(subject: Subject, sku: Sku, *keys: str) -> tuple[Evidence, ...]:
    """Evidence for the named values of one SKU, skipping those it does not have."""
    return value_evidence(subject, *(f"skus[{sku.index}].{key}" for key in keys))


def yuan(amount: Decimal) -> str:
    """An amount as a seller reads it: ¥0.57, ¥25."""
    text = f"{amount:f}"
    return "¥" + (text.rstrip("0").rstrip(".") if "." in text else text)
