"""A listing in the API's shape as the text fields detectors scan and cite.

    {"title", "description", "brand", "category", "attributes": {k: v}, "shipping_fee",
     "skus": [{"sku_id", "name", "price", "shipping_fee", "category", "list_price", "compare_at"}],
     "price_history": [{"sku_id", "price", "at"}]}

Text fields keep their names. `attributes` becomes one field, "k: v; k2: v2" (list values
joined with ", "), so evidence in it is exact; `flatten_attributes` also says which attribute
each stretch came from. Structured values a finding may cite are fields too, named by their
path — "skus[1].price", "skus[0].name", "shipping_fee" — with `str(value)` as text, so every
evidence span, structured or not, satisfies `fields[field][start:end] == text`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from shopwarden.errors import InvalidInput

TEXT_FIELDS = ("title", "description", "brand")
SKU_TEXT_KEYS = ("name", "category")
SKU_MONEY_KEYS = ("price", "shipping_fee", "list_price", "compare_at")
ATTRIBUTE_SEPARATOR = "; "
_VALUE_FIELD = re.compile(r"shipping_fee|skus\[[0-9]+\]\.(?:price|shipping_fee|list_price|compare_at|category)")


@lru_cache(maxsize=4096)  # field names repeat from listing to listing
def is_value_field(name: str) -> bool:
    """Whether a field holds a structured value (a price, a fee, a category) rather than text."""
    return bool(_VALUE_FIELD.fullmatch(name))


def flatten_attributes(attributes: Mapping[str, Any]) -> tuple[str, tuple[tuple[str, int, int], ...]]:
    """The attributes as one text, and (key, start, end) of each "key: value" within it."""
    parts, spans, pos = [], [], 0
    for key, value in attributes.items():
        shown = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        part = f"{key}: {shown}"
        spans.append((str(key), pos, pos + len(part)))
        parts.append(part)
        pos += len(part) + len(ATTRIBUTE_SEPARATOR)
    return ATTRIBUTE_SEPARATOR.join(parts), tuple(spans)


def money(value: Any, where: str) -> Decimal | None:
    """A price as a Decimal (through `str`, so 0.57 stays 0.57); None when absent."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInput.one(where, "must be a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput.one(where, f"{value!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput.one(where, "must be a finite amount of zero or more")
    return amount


def _sku_fields(skus: Any) -> dict[str, str]:
    if not isinstance(skus, list | tuple):
        raise InvalidInput.one("skus", "must be a list of SKUs")
    fields: dict[str, str] = {}
    for i, sku in enumerate(skus):
        if not isinstance(sku, Mapping):
            raise InvalidInput.one(f"skus[{i}]", "must be an object")
        for key in SKU_TEXT_KEYS:
            if isinstance(sku.get(key), str):
                fields[f"skus[{i}].{key}"] = sku[key]
        for key in SKU_MONEY_KEYS:
            if money(sku.get(key), f"skus[{i}].{key}") is not None:
                fields[f"skus[{i}].{key}"] = str(sku[key])
    return fields


def listing_fields(listing: Mapping[str, Any]) -> dict[str, str]:
    """The text fields of a listing (see the module docstring), validating its prices."""
    fields = {name: listing[name] for name in TEXT_FIELDS if isinstance(listing.get(name), str)}
    attributes = listing.get("attributes")
    if isinstance(attributes, Mapping) and attributes:
        fields["attributes"], _ = flatten_attributes(attributes)
    elif isinstance(attributes, str):
        fields["attributes"] = attributes
    if money(listing.get("shipping_fee"), "shipping_fee") is not None:
        fields["shipping_fee"] = str(listing["shipping_fee"])
    fields.update(_sku_fields(listing.get("skus", ())))
    return fields


def listing_category(data: Mapping[str, Any]) -> str | None:
    """The listing's category path, or None when it has none (or not a text one)."""
    category = data.get("category")
    return category if isinstance(category, str) and category.strip("/ ") else None
