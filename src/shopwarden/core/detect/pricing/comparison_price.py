"""DY-PR: an invented comparison price — a "原价", "划线价" or `compare_at` the shop never charged.

Judged only when the platform sends `price_history` ({sku_id, price, at}). A claimed price is
real when some price charged in the `window_days` before `context.at` (or before the newest
history entry, when the context carries no moment) reached it within `tolerance`. A SKU's own
`compare_at` / `list_price` is checked against that SKU's history; a comparison price written
in the title or description against every SKU's. A claim no higher than the current price
compares nothing and is left alone; a SKU without history is not judged.

Pack settings (`detectors.comparison_price.thresholds`), defaults in DEFAULTS:
    window_days, tolerance, score, severity.<name>
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from shopwarden.core.detect.base import DetectContext, Detector, Evidence, Example, Explanation, Finding, Subject
from shopwarden.core.detect.listing_subject import money
from shopwarden.core.detect.pricing.price_mentions import find_prices
from shopwarden.core.detect.pricing.skus import Sku, skus_of, value_evidence, yuan
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {
    "window_days": 30,
    "tolerance": 0.01,
    "score": 0.85,
    "severity.general": 0.8,
    "severity.serious": 0.95,
}
FIELDS = ("title", "description")


@dataclass(frozen=True, slots=True)
class Charged:
    sku_id: str
    price: Decimal
    at: datetime


def _moment(value: object) -> datetime:
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # naive times are read as UTC


def history(subject: Subject, at: datetime | None, window_days: float) -> list[Charged]:
    """The prices charged in the window before `at` (or before the newest entry)."""
    rows = []
    for i, r in enumerate(subject.data.get("price_history") or ()):
        if r.get("price") is None or r.get("at") is None:
            continue
        price = money(r.get("price"), f"price_history[{i}].price")
        assert price is not None  # money() answers None only for an absent value
        rows.append(Charged(str(r.get("sku_id") or ""), price, _moment(r["at"])))
    if not rows:
        return []
    end = _moment(at) if at else max(r.at for r in rows)
    start = end - timedelta(days=window_days)
    return [r for r in rows if start <= r.at <= end]


def _never_charged(claim: Decimal, charged: Sequence[Charged], tolerance: float) -> Decimal | None:
    """The highest price charged, when it falls short of the claim; None when the claim is real."""
    highest = max(c.price for c in charged)
    return highest if highest < claim * (1 - Decimal(str(tolerance))) else None


def _explain(claim: str, highest: Decimal, days: float) -> Explanation:
    return Explanation(
        en=f"The comparison price '{claim}' was never charged: the highest price in the last {days:.0f} days was "
        f"{yuan(highest)}. Remove it or show a price that was really charged.",
        zh=f"被比较价格「{claim}」未曾实际成交：近{days:.0f}天最高售价为{yuan(highest)}，属于虚构原价。请删除或改为真实成交过的价格。",
    )


class ComparisonPrice(Detector):
    kind = "comparison_price"
    rules = ("DY-PR",)

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        if subject.kind != "listing" or not subject.data.get("price_history"):
            return []
        t = settings(context, self.kind, DEFAULTS)
        charged = history(subject, context.at, t["window_days"])
        skus = skus_of(subject)
        if not charged or not skus:
            return []
        claims = [*self._sku_claims(subject, skus, charged, t), *self._text_claims(subject, skus, charged, t)]
        if not claims:
            return []
        (label, highest), evidence = claims[0][0], tuple(e for _, ev in claims for e in ev)
        score = t["score"]
        return [Finding("DY-PR", self.kind, severity_for(score, t), score, _explain(label, highest, t["window_days"]), evidence)]

    @staticmethod
    def _sku_claims(subject: Subject, skus: tuple[Sku, ...], charged: list[Charged], t: Mapping[str, float]) -> Iterator[tuple[tuple[str, Decimal], tuple[Evidence, ...]]]:
        for sku in skus:
            own = [c for c in charged if c.sku_id == sku.sku_id]
            if sku.compare_at is None or sku.compare_at <= sku.price or not own:
                continue
            if (highest := _never_charged(sku.compare_at, own, t["tolerance"])) is not None:
                yield (yuan(sku.compare_at), highest), value_evidence(subject, sku.compare_field)

    @staticmethod
    def _text_claims(subject: Subject, skus: tuple[Sku, ...], charged: list[Charged], t: Mapping[str, float]) -> Iterator[tuple[tuple[str, Decimal], tuple[Evidence, ...]]]:
        lowest = min(s.price for s in skus)
        for name in FIELDS:
            for m in find_prices(subject.fields.get(name) or ""):
                if m.kind != "comparison" or m.amount <= lowest:
                    continue
                if (highest := _never_charged(m.amount, charged, t["tolerance"])) is not None:
                    yield (m.text, highest), (Evidence(name, m.start, m.end, m.text),)

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        def listing(title: str, compare_at: float | None, history: list[tuple[int, float]]) -> Subject:
            sku = {"sku_id": "a", "name": "默认", "price": 89, **({"compare_at": compare_at} if compare_at else {})}
            rows = [{"sku_id": "a", "price": p, "at": f"2026-02-{d:02d}T12:00:00+08:00"} for d, p in history]
            return Subject.from_listing({"title": title, "skus": [sku], "price_history": rows})

        pr = frozenset({"DY-PR"})
        return (
            Example(listing("原价299 现价89 羊毛围巾", None, [(1, 89), (10, 89), (20, 89)]), pr, "原价 never charged"),
            Example(listing("羊毛围巾", 199, [(1, 99), (10, 89)]), pr, "compare_at never charged"),
            Example(listing("原价129 限时89 羊毛围巾", 129, [(1, 129), (10, 129), (20, 89)]), frozenset(), "a real former price"),
        )
