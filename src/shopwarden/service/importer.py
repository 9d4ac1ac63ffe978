"""Bulk import of shops and violations from JSON Lines: one transaction, so a bad line loads nothing.

Each line is `{"record": "shop", "shop_id", "name", "kind", "policy"}` or
`{"record": "violation", "shop_id", "type", "severity", "issued_at", ["id", "points", "evidence", "note"]}`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

import orjson

from shopwarden.core import instants
from shopwarden.errors import FieldProblem, InvalidInput, ShopwardenError
from shopwarden.service.context import Context
from shopwarden.service.shops import KINDS
from shopwarden.service.violations import violation_row
from shopwarden.store import shops, violations

MAX_PROBLEMS = 20


@dataclass
class ImportReport:
    shops: int = 0
    violations: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.violations / self.seconds if self.seconds else 0.0


def _instant(value: object, field: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidInput.one(field, "must be an ISO 8601 time with a zone")
    try:
        return instants.parse(value)
    except ValueError as exc:
        raise InvalidInput.one(field, str(exc)) from None


class _Loader:
    def __init__(self, ctx: Context, session, batch: int):
        self.ctx, self.session, self.batch = ctx, session, batch
        self.packs: dict[str, object] = {}
        self.pending: list[dict] = []
        self.pending_shops: list[dict] = []
        self.report = ImportReport()
        self.now = ctx.clock()

    def shop(self, rec: dict) -> None:
        missing = [f for f in ("shop_id", "name", "kind", "policy") if not isinstance(rec.get(f), str) or not rec.get(f)]
        if missing:
            raise InvalidInput.one(missing[0], "is required (a non-empty string)")
        if rec["kind"] not in KINDS:
            raise InvalidInput.one("kind", f"must be one of {', '.join(KINDS)}")
        pack = self.ctx.check_policy("policy", rec["policy"])
        self.pending_shops.append({"shop_id": rec["shop_id"], "name": rec["name"], "kind": rec["kind"], "policy_id": pack.id})
        self.packs[rec["shop_id"]] = pack
        self.report.shops += 1
        if len(self.pending_shops) >= self.batch:
            self.flush()

    def violation(self, rec: dict) -> None:
        for f in ("shop_id", "type", "severity"):
            if not isinstance(rec.get(f), str):
                raise InvalidInput.one(f, "is required (a string)")
        pack = self.packs.get(rec["shop_id"]) or self._known_shop(rec["shop_id"])
        issued_at = _instant(rec.get("issued_at"), "issued_at")
        points = rec.get("points")
        if points is not None and (not isinstance(points, int) or isinstance(points, bool)):
            raise InvalidInput.one("points", "must be a whole number")
        self.pending.append(violation_row(pack, rec["shop_id"], rec, issued_at, self.now, "import"))
        self.report.violations += 1
        if len(self.pending) >= self.batch:
            self.flush()

    def _known_shop(self, shop_id: str):
        if shop_id not in self.packs:
            row = shops.get(self.session, shop_id)
            if row is None:
                raise InvalidInput.one("shop_id", f"unknown shop {shop_id!r}; put a shop record before its violations")
            self.packs[shop_id] = self.ctx.pack(row.policy_id)
        return self.packs[shop_id]

    def flush(self) -> None:
        """Shops before violations (the foreign key), each as one executemany."""
        shops.upsert_many(self.session, self.pending_shops, self.now)
        violations.add_many(self.session, self.pending)
        self.pending, self.pending_shops = [], []


def import_jsonl(ctx: Context, path: Path, batch: int = 5000, progress: Callable[[int], None] | None = None) -> ImportReport:
    start = time.perf_counter()
    problems: list[FieldProblem] = []
    with ctx.db.transaction() as session, path.open("rb") as fh:
        loader = _Loader(ctx, session, batch)
        done = 0
        for lineno, line in enumerate(fh, 1):
            done += len(line)
            if line.strip():
                _one(loader, line, lineno, problems)
            if len(problems) >= MAX_PROBLEMS:
                break
            if progress and lineno % 10000 == 0:
                progress(done)
        if problems:
            raise InvalidInput(f"{path.name}: {len(problems)} bad line(s); nothing was imported", problems)
        loader.flush()
        if progress:
            progress(done)
    loader.report.seconds = time.perf_counter() - start
    return loader.report


def _one(loader: _Loader, line: bytes, lineno: int, problems: list[FieldProblem]) -> None:
    try:
        rec = orjson.loads(line)
        if not isinstance(rec, dict):
            raise InvalidInput.one("record", "each line must be a JSON object")
        kind = rec.get("record")
        if kind == "shop":
            loader.shop(rec)
        elif kind == "violation":
            if not problems:
                loader.violation(rec)
            else:
                _instant(rec.get("issued_at"), "issued_at")  # keep checking, load nothing more
        else:
            raise InvalidInput.one("record", "must be 'shop' or 'violation'")
    except orjson.JSONDecodeError as exc:
        problems.append(FieldProblem(f"line {lineno}", f"not JSON: {exc}"))
    except ShopwardenError as exc:
        for p in getattr(exc, "errors", []) or [FieldProblem("record", exc.detail)]:
            problems.append(FieldProblem(f"line {lineno}: {p.field}", p.message))
