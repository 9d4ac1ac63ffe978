"""Scoring a detector against labelled texts: confusion counts, precision and recall.

Pure: the caller reads the labelled rows and passes a predicate. `baseline` is the yardstick
the issue names — phonenumbers' matcher for region CN plus a plain URL pattern — so a figure
for the detector always comes with the figure of the obvious approach on the same texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers


@dataclass(frozen=True, slots=True)
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        """Of what was flagged, the share that should have been (1.0 when nothing was flagged)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Of what should have been flagged, the share that was (1.0 when nothing should)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __add__(self, other: Confusion) -> Confusion:
        return Confusion(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn)


def count(pairs: Iterable[tuple[bool, bool]]) -> Confusion:
    """Confusion counts over (label, predicted) pairs."""
    tp = fp = fn = tn = 0
    for label, predicted in pairs:
        if predicted:
            tp, fp = (tp + 1, fp) if label else (tp, fp + 1)
        else:
            fn, tn = (fn + 1, tn) if label else (fn, tn + 1)
    return Confusion(tp, fp, fn, tn)


def evaluate(rows: Iterable[Mapping[str, Any]], predict: Callable[[Mapping[str, Any]], bool]) -> tuple[Confusion, list[Mapping[str, Any]]]:
    """Confusion counts of `predict` over rows with a boolean "label", and the rows it got wrong."""
    pairs, wrong = [], []
    for row in rows:
        predicted = bool(predict(row))
        pairs.append((bool(row["label"]), predicted))
        if predicted != bool(row["label"]):
            wrong.append(row)
    return count(pairs), wrong


_URL = re.compile(r"https?://\S+|www\.\S+|\b[a-z0-9\-]+\.(?:com|cn|net|org)\b", re.IGNORECASE)


def baseline(text: str) -> bool:
    """The naive detector: any number phonenumbers' matcher finds for CN, or a URL."""
    return bool(_URL.search(text)) or any(True for _ in phonenumbers.PhoneNumberMatcher(text, "CN"))


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% two-sided at z = 1.96); (0, 1) when n is 0."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)
