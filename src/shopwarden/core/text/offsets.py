"""Text views that remember, for each of their characters, where it came from in the original.

Every normalization step produces a `View`: its text plus, per character, the half-open span
of the original text it was derived from. Evidence found in any view is reported as a span of
the original, un-normalized text, which is what a seller and an operator actually saw.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, compress


class View:
    """A derived text; `starts[k]:ends[k]` is the original span that produced `text[k]`.

    Both sequences are non-decreasing, so a span of the view maps to one contiguous span of
    the original. A view made by `lazy` computes its offsets only when first asked for them:
    most texts are matched against and never cited, so most offsets are never needed.
    """

    __slots__ = ("text", "_starts", "_ends", "_make")

    def __init__(self, text: str, starts: Sequence[int], ends: Sequence[int]):
        self.text = text
        self._starts, self._ends = starts, ends
        self._make: Callable[[], tuple[Sequence[int], Sequence[int]]] | None = None

    @classmethod
    def lazy(cls, text: str, make: Callable[[], tuple[Sequence[int], Sequence[int]]]) -> View:
        view = cls(text, (), ())
        view._make = make
        return view

    def _offsets(self) -> None:
        make = self._make
        assert make is not None  # a lazy view's offsets are made once, here
        self._starts, self._ends = make()
        self._make = None

    @property
    def starts(self) -> Sequence[int]:
        if self._make is not None:
            self._offsets()
        return self._starts

    @property
    def ends(self) -> Sequence[int]:
        if self._make is not None:
            self._offsets()
        return self._ends

    def subset(self, spans: Iterable[tuple[int, int]]) -> View:
        """The view of only the characters in `spans` (ascending, disjoint), offsets kept: one
        pass in C for what would otherwise be a keep() call per span."""
        spans = list(spans)
        return View(
            "".join(self.text[a:b] for a, b in spans),
            list(chain.from_iterable(self.starts[a:b] for a, b in spans)),
            list(chain.from_iterable(self.ends[a:b] for a, b in spans)),
        )

    def keep_where(self, mask: bytes | Callable[[], bytes], text: str) -> View:
        """The view of the characters whose `mask` byte is non-zero; `text` must be exactly
        those characters (the caller has it from one regex pass). A callable mask is computed
        only if the offsets are ever asked for."""
        def offsets() -> tuple[list[int], list[int]]:
            keep = mask() if callable(mask) else mask
            return list(compress(self.starts, keep)), list(compress(self.ends, keep))

        return View.lazy(text, offsets)

    @classmethod
    def identity(cls, text: str) -> View:
        # ranges rather than lists: no per-character work for the common case
        return cls(text, range(len(text)), range(1, len(text) + 1))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering view characters `start:end` (empty spans stay empty)."""
        if start < end:
            return self.starts[start], self.ends[end - 1]
        if start < len(self.text):
            return self.starts[start], self.starts[start]
        edge = self.ends[-1] if self.text else 0
        return edge, edge

    def index_at_or_after(self, source_offset: int) -> int:
        """The first view character whose source starts at or after `source_offset`."""
        return bisect_left(self.starts, source_offset)

    def index_ending_by(self, source_offset: int) -> int:
        """One past the last view character whose source ends at or before `source_offset`."""
        return bisect_right(self.ends, source_offset)


class ViewBuilder:
    """Builds a child view of `parent` from kept and replaced pieces, left to right."""

    __slots__ = ("_parent", "_parts", "_starts", "_ends")

    def __init__(self, parent: View):
        self._parent = parent
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._ends: list[int] = []

    def keep(self, start: int, end: int) -> None:
        """Copy parent characters `start:end` unchanged, with their offsets."""
        if start < end:
            self._parts.append(self._parent.text[start:end])
            self._starts.extend(self._parent.starts[start:end])
            self._ends.extend(self._parent.ends[start:end])

    def replace(self, start: int, end: int, text: str) -> None:
        """Write `text` in place of parent characters `start:end`; each new character points at
        the whole replaced span (a replacement cannot say which part produced which character)."""
        if not text:
            return
        src_start, src_end = self._parent.source_span(start, end)
        self._parts.append(text)
        self._starts.extend([src_start] * len(text))
        self._ends.extend([src_end] * len(text))

    def build(self) -> View:
        return View("".join(self._parts), self._starts, self._ends)
