"""Bulk import of shops and violations from JSON Lines: committed in batches, safe to re-run and to resume.

Each line is `{"record": "shop", "shop_id", "name", "kind", "policy"}`,
`{"record": "violation", "shop_id", "type", "severity", "issued_at", ["id", "points", "evidence", "note"]}`,
or an order, after-sale or complaint (service/order_import.py, counted for DY-QL-1 as the API counts
them); a shop's line comes before its violations and orders, an order's before its after-sales and
complaints, unless already stored.

- Every `batch` lines are one transaction, so a crash loses at most the batch in flight.
- Idempotent: a record whose id is already stored with the same content is skipped (and counted); under
  the same id with other content it is a conflict, listed with its line and the fields that differ, and
  nothing is overwritten — the ledger is append-only, and a shop's name, kind and pack change through the
  API, not by replaying a file. Id-less violations get an id derived from their content (`identity_id`).
- Resuming is re-running: the batches committed before a crash are found in one lookup per batch and
  skipped, the rest is inserted. No checkpoint is kept, so a re-run's summary (conflicts, invalid lines) is
  as complete as the first run's and a file edited in between is simply compared again.
- Invalid lines (not JSON, missing or bad fields, an unknown shop, type or severity) are listed with their
  line number and reason, and the rest is imported: each record stands on its own, so a governance team
  gets the 199,997 good violations in force now, fixes three lines and re-runs the whole file (everything
  already in is skipped). A clean run is `ImportReport.clean`; the command line exits non-zero otherwise.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shopwarden.core import instants
from shopwarden.errors import FieldProblem, InvalidInput, ShopwardenError
from shopwarden.service import order_import
from shopwarden.service.context import Context
from shopwarden.service.shops import KINDS
from shopwarden.service.violation_rows import violation_row
from shopwarden.store import shops, violations

ID_PREFIX = "vi_"  # derived ids; issued ones are `v_` + 16 hex (service.violations.new_id)
MAX_ID = 64  # the id columns' width
MAX_NAME = 200
SHOP_FIELDS = (("name", 0), ("kind", 1), ("policy", 2))
VIOLATION_FIELDS = ("shop_id", "type", "severity", "issued_at", "evidence", "note")


@dataclass(frozen=True)
class LineProblem:
    line: int
    reason: str


@dataclass(frozen=True)
class IdConflict:
    """An id already stored (or earlier in the file) with other content; nothing was overwritten."""

    line: int
    record: str
    id: str
    fields: tuple[str, ...]


@dataclass
class ImportReport:
    lines: int = 0  # non-blank lines read
    shops: int = 0  # inserted
    violations: int = 0  # inserted
    orders: int = 0  # inserted, as after_sales and complaints
    after_sales: int = 0
    complaints: int = 0
    skipped_shops: int = 0
    skipped_violations: int = 0
    skipped_orders: int = 0  # orders, after-sales and complaints already stored
    batches: int = 0
    conflicts: list[IdConflict] = field(default_factory=list)
    invalid: list[LineProblem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.violations / self.seconds if self.seconds else 0.0

    @property
    def order_rate(self) -> float:
        return self.orders / self.seconds if self.seconds else 0.0

    @property
    def clean(self) -> bool:
        return not self.conflicts and not self.invalid


def identity_id(shop_id: str, vtype: str, severity: str, issued_at: datetime, evidence: list[Any]) -> str:
    """The id of a violation given without one: `vi_` + 32 hex of SHA-256 over what was observed.

    Two id-less violations are the same record when shop, type, severity, issue instant (UTC, to the
    microsecond) and evidence (JSON with sorted keys) are the same. `points` and `note` are a reviewer's
    assessment of that observation, not part of it: a re-run that changes them is a conflict, never a
    second violation counting the points twice. Two genuinely distinct violations with identical facts
    need distinct evidence (an order or chat reference) or explicit ids; within one file the second of two
    identical id-less lines is skipped as a duplicate.
    """
    key = orjson.dumps([shop_id, vtype, severity, issued_at.isoformat(), evidence], option=orjson.OPT_SORT_KEYS)
    return ID_PREFIX + hashlib.sha256(key).hexdigest()[:32]


def _instant(value: object, field_name: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidInput.one(field_name, "must be an ISO 8601 time with a zone")
    try:
        return instants.parse(value)
    except ValueError as exc:
        raise InvalidInput.one(field_name, str(exc)) from None


def _parse(line: bytes) -> dict[str, Any]:
    if b"\\u0000" in line:
        raise InvalidInput.one("record", "contains \\u0000, which the database cannot store")
    rec = orjson.loads(line)
    if not isinstance(rec, dict):
        raise InvalidInput.one("record", "each line must be a JSON object")
    if rec.get("record") not in ("shop", "violation", *order_import.RECORDS):
        raise InvalidInput.one("record", f"must be one of shop, violation, {', '.join(order_import.RECORDS)}")
    return rec


def _text(rec: dict[str, Any], name: str, limit: int) -> str:
    value = rec.get(name)
    if not isinstance(value, str) or not value:
        raise InvalidInput.one(name, "is required (a non-empty string)")
    if len(value) > limit:
        raise InvalidInput.one(name, f"is longer than {limit} characters")
    return value


def _short(value: object) -> bool:
    return type(value) is str and 0 < len(value) <= MAX_ID


def _violation_fields(rec: dict[str, Any]) -> datetime:
    """Checks what needs no shop and no pack; returns the issue instant in UTC."""
    vid = rec.get("id")
    if not (_short(rec.get("shop_id")) and _short(rec.get("type")) and _short(rec.get("severity")) and (vid is None or _short(vid))):
        for name in ("shop_id", "type", "severity") + (("id",) if vid is not None else ()):
            _text(rec, name, MAX_ID)  # raises with the field's own message
    issued_at = _instant(rec.get("issued_at"), "issued_at")
    points = rec.get("points")
    if points is not None and (not isinstance(points, int) or isinstance(points, bool)):
        raise InvalidInput.one("points", "must be a whole number")
    if rec.get("evidence") is not None and not isinstance(rec["evidence"], list):
        raise InvalidInput.one("evidence", "must be a list")
    if rec.get("note") is not None and not isinstance(rec["note"], str):
        raise InvalidInput.one("note", "must be a string")
    return issued_at


def _differs(row: dict[str, Any], stored: dict[str, Any], compare_points: bool) -> tuple[str, ...]:
    diff = [f for f in VIOLATION_FIELDS if row[f] != stored[f]]
    if compare_points and row["points"] != stored["points"]:
        diff.append("points")  # derived points are compared only when stated: a newer pack may derive others
    return tuple(diff)


@dataclass
class _Batch:
    """One transaction's outcome, merged into the report only once it is committed."""

    new_shops: dict[str, dict[str, Any]] = field(default_factory=dict)
    known: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    rows: dict[str, tuple[int, dict[str, Any], bool]] = field(default_factory=dict)
    inserted: int = 0
    skipped_shops: int = 0
    skipped_violations: int = 0
    order_lines: order_import.OrderLines = field(default_factory=order_import.OrderLines)
    skipped_order_lines: int = 0  # the same order, after-sale or complaint twice in the batch
    orders: order_import.Written = field(default_factory=order_import.Written)
    conflicts: list[IdConflict] = field(default_factory=list)
    invalid: list[LineProblem] = field(default_factory=list)

    def bad(self, lineno: int, exc: ShopwardenError) -> None:
        problems = getattr(exc, "errors", None) or [FieldProblem("record", exc.detail)]
        self.invalid.append(LineProblem(lineno, "; ".join(f"{p.field}: {p.message}" for p in problems)))


class _Loader:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.known: dict[str, tuple[str, str, str]] = {}  # shop id -> (name, kind, policy_id), stored
        self.report = ImportReport()
        self.now = ctx.clock()

    def load(self, chunk: list[tuple[int, bytes]]) -> None:
        for attempt in (1, 2):
            try:
                with _without_cycle_collector(), self.ctx.db.transaction() as session:
                    b = self._batch(session, chunk)
                break
            except IntegrityError:
                if attempt == 2:  # another import committed some of these ids meanwhile: look them up again once
                    raise
        r = self.report
        self.known.update(b.known)
        r.batches += 1
        r.lines += len(chunk)
        r.shops += len(b.new_shops)
        r.violations += b.inserted
        r.skipped_shops += b.skipped_shops
        r.skipped_violations += b.skipped_violations
        r.orders, r.after_sales, r.complaints = r.orders + b.orders.orders, r.after_sales + b.orders.after_sales, r.complaints + b.orders.complaints
        r.skipped_orders += b.orders.skipped + b.skipped_order_lines
        r.conflicts.extend(sorted(b.conflicts, key=lambda c: c.line))
        r.invalid.extend(sorted(b.invalid, key=lambda p: p.line))

    def _batch(self, session: Session, chunk: list[tuple[int, bytes]]) -> _Batch:
        b, recs = _Batch(), []
        for lineno, line in chunk:
            try:
                recs.append((lineno, _parse(line)))
            except orjson.JSONDecodeError as exc:
                b.invalid.append(LineProblem(lineno, f"not JSON: {exc}"))
            except ShopwardenError as exc:
                b.bad(lineno, exc)
        wanted = {r.get("shop_id") for _, r in recs}
        self.known.update(shops.contents(session, [s for s in wanted if isinstance(s, str) and s not in self.known]))
        for lineno, rec in recs:
            try:
                self._dispatch(b, lineno, rec)
            except ShopwardenError as exc:
                b.bad(lineno, exc)
            except OverflowError:  # e.g. an expiry past year 9999
                b.invalid.append(LineProblem(lineno, "record: a time in it, or one derived from it, is out of range"))
        stored = violations.contents(session, list(b.rows))
        fresh = []
        for vid, (lineno, row, stated_points) in b.rows.items():
            old = stored.get(vid)
            if old is None:
                fresh.append(row)
            elif diff := _differs(row, old, stated_points):
                b.conflicts.append(IdConflict(lineno, "violation", vid, diff))
            else:
                b.skipped_violations += 1
        shops.insert_many(session, list(b.new_shops.values()), self.now)  # before violations: the foreign key
        violations.add_many(session, fresh)
        b.inserted = len(fresh)
        b.orders = order_import.write(self.ctx, session, b.order_lines, self.known | b.known, self.now)
        b.conflicts.extend(IdConflict(*c) for c in b.orders.conflicts)
        for lineno, problem in b.orders.invalid:
            b.bad(lineno, problem)
        return b

    def _dispatch(self, b: _Batch, lineno: int, rec: dict[str, Any]) -> None:
        kind = rec["record"]
        if kind in ("shop", "violation"):
            (self._shop if kind == "shop" else self._violation)(b, lineno, rec)
            return
        parse, into, key = {"order": (order_import.parse_order, b.order_lines.orders, "order_id"),
                            "after_sale": (order_import.parse_after_sale, b.order_lines.after_sales, "after_sale_id"),
                            "complaint": (order_import.parse_complaint, b.order_lines.complaints, "complaint_id")}[kind]
        row = parse(rec, self.now)
        prev = into.get(row[key])
        if prev is None:
            into[row[key]] = (lineno, row)
        elif diff := tuple(f for f in row if row[f] != prev[1][f]):
            b.conflicts.append(IdConflict(lineno, kind, row[key], diff))
        else:
            b.skipped_order_lines += 1

    def _shop(self, b: _Batch, lineno: int, rec: dict[str, Any]) -> None:
        sid, name = _text(rec, "shop_id", MAX_ID), _text(rec, "name", MAX_NAME)
        kind, policy = _text(rec, "kind", MAX_ID), _text(rec, "policy", MAX_ID)
        if kind not in KINDS:
            raise InvalidInput.one("kind", f"must be one of {', '.join(KINDS)}")
        content = (name, kind, self.ctx.check_policy("policy", policy).id)
        old = b.known.get(sid) or self.known.get(sid)
        if old is None:
            b.new_shops[sid] = {"shop_id": sid, "name": name, "kind": kind, "policy_id": content[2]}
            b.known[sid] = content
        elif old == content:
            b.skipped_shops += 1
        else:
            b.conflicts.append(IdConflict(lineno, "shop", sid, tuple(f for f, i in SHOP_FIELDS if old[i] != content[i])))

    def _violation(self, b: _Batch, lineno: int, rec: dict[str, Any]) -> None:
        issued_at = _violation_fields(rec)
        sid = rec["shop_id"]
        shop = b.known.get(sid) or self.known.get(sid)
        if shop is None:
            raise InvalidInput.one("shop_id", f"unknown shop {sid!r}; put a shop record before its violations")
        evidence = rec.get("evidence") or []
        vid = rec.get("id") or identity_id(sid, rec["type"], rec["severity"], issued_at, evidence)
        rec["id"] = vid
        row = violation_row(self.ctx.pack(shop[2]), sid, rec, issued_at, self.now, "import")
        stated = rec.get("points") is not None
        prev = b.rows.get(vid)
        if prev is None:
            b.rows[vid] = (lineno, row, stated)
        elif diff := _differs(row, prev[1], stated or prev[2]):
            b.conflicts.append(IdConflict(lineno, "violation", vid, diff))
        else:
            b.skipped_violations += 1


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """A batch allocates tens of thousands of acyclic dicts; the cycle collector scanning them all cost ~15 % CPU."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def import_jsonl(ctx: Context, path: Path, batch: int = 5000, progress: Callable[[int], None] | None = None) -> ImportReport:
    """Load `path` in transactions of `batch` lines; `progress(bytes read)` is called after each commit."""
    if batch < 1:
        raise InvalidInput.one("batch", "must be at least 1")
    start = time.perf_counter()
    loader = _Loader(ctx)
    with path.open("rb") as fh:
        done, chunk = 0, []
        for lineno, line in enumerate(fh, 1):
            done += len(line)
            if line.strip():
                chunk.append((lineno, line))
            if len(chunk) >= batch:
                loader.load(chunk)
                chunk = []
                if progress:
                    progress(done)
        if chunk:
            loader.load(chunk)
        if progress:
            progress(done)
    loader.report.seconds = time.perf_counter() - start
    return loader.report
