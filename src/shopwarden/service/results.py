"""The use cases' typed results and the one way they become the API's JSON (`as_json`).

A result is a frozen dataclass; its JSON is its fields in order, nested results (by their own
`as_json`) and sequences turned the same way, values (datetimes, numbers, text) left as they are
for the edge to encode.
A field whose key is absent from the JSON unless it has a value is declared with `omit_none()`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

_OMIT = "omit_none"


def omit_none() -> Any:
    """A field left out of the JSON when it is None (a key the API only sends when it applies)."""
    return dataclasses.field(default=None, metadata={_OMIT: True})


def to_json(value: Any) -> Any:
    """`value` as the API sends it: a value with its own `as_json` (a result, a core record) as that says,
    other dataclasses as objects of their fields, sequences as lists, mappings as objects."""
    as_json = getattr(value, "as_json", None)
    if callable(as_json) and not isinstance(value, type):
        return as_json()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return fields_json(value)
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    return value


def fields_json(value: Any) -> dict[str, Any]:
    """A dataclass's fields in order, each `to_json`; a field declared `omit_none()` left out when None."""
    return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
            if not (f.metadata.get(_OMIT) and getattr(value, f.name) is None)}


class Result:
    """Base of the typed results: `as_json()` is the API's JSON object for it."""

    __slots__ = ()

    def as_json(self) -> dict[str, Any]:
        return fields_json(self)
