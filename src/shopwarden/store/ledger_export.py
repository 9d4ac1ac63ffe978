"""The ledgers of a pack's shops as a Parquet export, for bulk runs whose workers never open the
database (`simulate --engine local|dask` and `replay --at`).

An export is a folder: `manifest.json` and `part-NNNNN.parquet` files. Each part holds whole shops,
sorted by shop id, in the rows of `store.events`' ledger read (kind 0 the shop row, 1 a violation,
2 an appeal filed, 3 an appeal decided, 4 a revocation), instants as microseconds since the epoch
(UTC). Parts are cut at shop boundaries by rows, not by shops, so one huge shop is one part of its own
and skewed keys do not make one part carry most of the rows (a part closes before a shop that
would take it past its share). `read_part` turns a part back into
`(shop id, events)` with the same row-to-event code the live read uses (`store.events.events_of`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from sqlalchemy.engine import Engine

from shopwarden.core.ledger.events import Event
from shopwarden.store.events import events_of

FORMAT = "shopwarden-ledgers/1"
SCHEMA = pa.schema([
    ("shop_id", pa.string()), ("k", pa.int8()), ("a", pa.string()), ("b", pa.string()), ("c", pa.string()),
    ("d", pa.string()), ("n", pa.int64()), ("e", pa.string()), ("t1", pa.int64()), ("t2", pa.int64()),
])
_TEXT = ("a", "b", "c", "d", "e")

# Every row of the shops under one policy; the same columns as store.events' ledger read.
_ALL = """
    SELECT shop_id, 0, policy_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM shops WHERE policy_id = {p}
    UNION ALL
    SELECT v.shop_id, 1, violation_id, type, severity, point_class, points, NULL, issued_at, expires_at
      FROM violations v JOIN shops s ON s.shop_id = v.shop_id WHERE s.policy_id = {p}
    UNION ALL
    SELECT x.shop_id, 2, appeal_id, violation_id, NULL, NULL, number, NULL, filed_at, NULL
      FROM appeals x JOIN shops s ON s.shop_id = x.shop_id WHERE s.policy_id = {p}
    UNION ALL
    SELECT x.shop_id, 3, appeal_id, violation_id, outcome, decided_by, NULL, reason, decided_at, NULL
      FROM appeal_decisions x JOIN shops s ON s.shop_id = x.shop_id WHERE s.policy_id = {p}
    UNION ALL
    SELECT x.shop_id, 4, violation_id, NULL, NULL, NULL, NULL, reason, revoked_at, NULL
      FROM revocations x JOIN shops s ON s.shop_id = x.shop_id WHERE s.policy_id = {p}
"""


@dataclass(frozen=True)
class ExportPart:
    file: str
    shops: int
    rows: int
    first: str | None
    last: str | None


@dataclass(frozen=True)
class Manifest:
    folder: Path
    policy_id: str
    shops: int
    rows: int
    parts: tuple[ExportPart, ...]

    def paths(self) -> list[Path]:
        return [self.folder / p.file for p in self.parts]


def export_ledgers(engine: Engine, policy_id: str, folder: Path, parts: int = 8, only: list[str] | None = None) -> Manifest:
    """Write the ledgers of the shops under `policy_id` (those of `only`, if given) to `folder`, in
    about `parts` parts of about equal rows. The folder is made; a previous export there is replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.parquet"):
        old.unlink()
    table = _read(engine, policy_id)
    if only is not None:
        table = table.filter(pc.is_in(table["shop_id"], value_set=pa.array(sorted(set(only)), pa.string())))
    table = table.sort_by([("shop_id", "ascending"), ("k", "ascending"), ("t1", "ascending"), ("a", "ascending")])
    out = []
    for i, (lo, hi) in enumerate(cuts(table["shop_id"], max(1, parts))):
        piece = table.slice(lo, hi - lo)
        name = f"part-{i:05d}.parquet"
        pq.write_table(piece, folder / name, compression="zstd")
        ids = piece["shop_id"]
        out.append(ExportPart(name, _count_shops(piece), piece.num_rows, ids[0].as_py() if len(ids) else None,
                              ids[-1].as_py() if len(ids) else None))
    if not out:  # no shop: one empty part, so a reader always has a file
        pq.write_table(table, folder / "part-00000.parquet")
        out.append(ExportPart("part-00000.parquet", 0, 0, None, None))
    manifest = Manifest(folder, policy_id, sum(p.shops for p in out), sum(p.rows for p in out), tuple(out))
    (folder / "manifest.json").write_text(json.dumps({
        "format": FORMAT, "policy_id": policy_id, "shops": manifest.shops, "rows": manifest.rows,
        "parts": [p.__dict__ for p in out]}, indent=1), encoding="utf-8")
    return manifest


def read_manifest(folder: Path) -> Manifest:
    body = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if body.get("format") != FORMAT:
        raise ValueError(f"{folder}: not a shopwarden ledger export ({body.get('format')!r})")
    parts = tuple(ExportPart(**p) for p in body["parts"])
    return Manifest(folder, body["policy_id"], body["shops"], body["rows"], parts)


def _count_shops(piece: pa.Table) -> int:
    return int(pc.count_distinct(piece["shop_id"]).as_py()) if piece.num_rows else 0


def cuts(ids: pa.ChunkedArray, parts: int) -> list[tuple[int, int]]:
    """Row ranges of at most about `len / parts` rows each, every cut at a change of shop: a part
    closes before a shop that would take it past that size, so a shop larger than it is a part alone."""
    n = len(ids)
    if n == 0:
        return []
    flat = ids.combine_chunks()  # the rows are sorted by shop id: a shop starts where the id changes
    starts = [0] + (pc.indices_nonzero(pc.not_equal(flat[1:], flat[:-1])).to_numpy() + 1).tolist()
    target = max(1, -(-n // parts))
    out, lo = [], 0
    for s, end in zip(starts, starts[1:] + [n]):
        if s > lo and end - lo > target:
            out.append((lo, s))
            lo = s
    out.append((lo, n))
    return out


FETCH = 100_000  # rows turned into Arrow at a time: the export never holds every row as Python objects


def _read(engine: Engine, policy_id: str) -> pa.Table:
    p = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    conn = engine.raw_connection()
    batches = []
    try:
        cur = conn.cursor()
        cur.execute(_ALL.format(p=p), (policy_id,) * 5)
        while rows := cur.fetchmany(FETCH):
            batches.append(_batch(rows))
        cur.close()
    finally:
        conn.close()
    return pa.Table.from_batches(batches, schema=SCHEMA)


def _batch(rows: Sequence[Any]) -> pa.RecordBatch:
    cols: list[Any] = list(zip(*rows))
    arrays = [pa.array(cols[0], pa.string()), pa.array(cols[1], pa.int8())]
    arrays += [pa.array(cols[i], pa.string()) for i in (2, 3, 4, 5)]
    arrays += [pa.array(cols[6], pa.int64()), pa.array(cols[7], pa.string()), _micros(cols[8]), _micros(cols[9])]
    return pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)


def _micros(values: tuple) -> pa.Array:
    """Instants as microseconds since the epoch: SQLite's stored text (UTC, no zone) cast in Arrow,
    PostgreSQL's aware datetimes converted as they are."""
    sample = next((v for v in values if v is not None), None)
    if sample is None or isinstance(sample, datetime):
        arr = pa.array([None if v is None else v.astimezone(UTC) for v in values], pa.timestamp("us", tz="UTC"))
    else:
        arr = pc.cast(pa.array(values, pa.string()), pa.timestamp("us"))
    return arr.cast(pa.int64())


def read_part(path: Path) -> Iterator[tuple[str, list[Event]]]:
    """(shop id, its ledger events) for every shop of one part, in shop id order."""
    table = pq.read_table(path, schema=SCHEMA)
    if table.num_rows == 0:
        return
    cols = {name: table[name].to_pylist() for name in SCHEMA.names if name not in ("t1", "t2")}
    t1, t2 = _instants(table["t1"]), _instants(table["t2"])
    rows = zip(cols["shop_id"], cols["k"], cols["a"], cols["b"], cols["c"], cols["d"], cols["n"], cols["e"], t1, t2)
    shop: str | None = None
    batch: list[tuple] = []
    for r in rows:
        if r[0] != shop:
            if shop is not None:
                yield shop, events_of(batch)
            shop, batch = r[0], []
        batch.append(r[1:])
    if shop is not None:
        yield shop, events_of(batch)


_from_ts = datetime.fromtimestamp


def _instants(column: pa.ChunkedArray) -> list[datetime | None]:
    """Microseconds since the epoch as aware UTC datetimes (`UTC` itself, as the live read makes them)."""
    secs = pc.divide(column, 1_000_000).to_pylist()  # integer division: the instants are after 1970
    micros = pc.subtract(column, pc.multiply(pc.divide(column, 1_000_000), 1_000_000)).to_pylist()
    return [None if s is None else (_from_ts(s, UTC) if not m else _from_ts(s, UTC).replace(microsecond=m)) for s, m in zip(secs, micros)]
