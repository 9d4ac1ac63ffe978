"""Typed service results as the JSON the API returns: one walk from a frozen dataclass to plain
dicts and lists (field order is key order; nested results, mappings, lists and tuples walked)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


class Result:
    """A base for a frozen result dataclass: `as_json()` is its fields, in order, walked by `to_json`.
    A result whose JSON leaves a key out (a field only some callers see) overrides `as_json`."""

    __slots__ = ()

    def as_json(self) -> dict[str, Any]:
        fields = dataclasses.fields(cast("DataclassInstance", self))
        return {f.name: to_json(getattr(self, f.name)) for f in fields}


def to_json(value: object) -> Any:
    """`value` with every Result replaced by its `as_json()`, tuples by lists; leaves (str, datetime…) as they are."""
    if isinstance(value, Result):
        return value.as_json()
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return value
