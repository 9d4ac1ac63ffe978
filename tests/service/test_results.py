"""service/results.py: a typed result's JSON is its fields in order, nested results and tuples walked."""

from dataclasses import dataclass
from datetime import UTC, datetime

from shopwarden.service.images import Image
from shopwarden.service.results import Result, to_json


@dataclass(frozen=True, slots=True)
class _Inner(Result):
    b: int
    a: str


@dataclass(frozen=True, slots=True)
class _Outer(Result):
    z: tuple[_Inner, ...]
    y: dict[str, _Inner]
    x: None = None


def test_fields_in_order_nested_results_and_tuples_as_lists():
    out = _Outer((_Inner(1, "p"),), {"k": _Inner(2, "q")}).as_json()
    assert list(out) == ["z", "y", "x"] and list(out["z"][0]) == ["b", "a"]
    assert out == {"z": [{"b": 1, "a": "p"}], "y": {"k": {"b": 2, "a": "q"}}, "x": None}
    assert to_json([(_Inner(3, "r"),)]) == [[{"b": 3, "a": "r"}]]


def test_a_result_leaves_out_what_its_json_leaves_out():
    # POST /v1/images answers `created`; GET /v1/images/{id} has no such key (API.md)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    assert "created" not in Image("a" * 64, "image/png", 1, 1, 10, at).as_json()
    assert list(Image("a" * 64, "image/png", 1, 1, 10, at, True).as_json())[-1] == "created"
