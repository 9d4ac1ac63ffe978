"""The catalogue as a Parquet export, for `shopwarden sweep`, whose workers never open the database.

An export is a folder like the ledgers' (`store.ledger_export`): `manifest.json` and
`part-NNNNN.parquet` files, each holding whole shops sorted by shop id, cut by rows at shop
boundaries (`ledger_export.cuts`), so one huge shop is a part of its own. A row is one listing's
latest version with what its scan read besides the listing itself: the shop's detector context
(`shop`, JSON: kind, name, contacts on file, brand qualifications) and the text stored for its
images (`images`, JSON; null when one of them was never read). The rows come from
`latest_listings`; the service adds the shops' context and the image texts.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.orm import Session

from shopwarden.store.ledger_export import cuts
from shopwarden.store.products import ProductRow, ProductVersion
from shopwarden.store.shops import Shop

FORMAT = "shopwarden-catalogue/1"
SCHEMA = pa.schema([
    ("shop_id", pa.string()), ("product_id", pa.string()), ("version", pa.int64()), ("policy_id", pa.string()),
    ("listing", pa.string()), ("decision", pa.string()), ("findings", pa.string()), ("shop", pa.string()),
    ("images", pa.string()),
])


@dataclass(frozen=True, slots=True)
class ListingRow:
    """One listing's latest version as the export holds it (JSON columns as text)."""

    shop_id: str
    product_id: str
    version: int
    policy_id: str
    listing: str
    decision: str
    findings: str
    shop: str
    images: str | None


@dataclass(frozen=True, slots=True)
class CataloguePart:
    file: str
    shops: int
    rows: int


@dataclass(frozen=True, slots=True)
class CatalogueManifest:
    folder: Path
    listings: int
    parts: tuple[CataloguePart, ...]

    def paths(self) -> list[Path]:
        return [self.folder / p.file for p in self.parts]


FETCH = 20_000  # listings read at a time


def latest_listings(session: Session, policy_ids: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """(shop_id, product_id, version, policy_id, shop kind, shop name, listing, decision, findings) of
    every listing's latest version in the shops under `policy_ids`, by shop id then product id."""
    q = (select(ProductRow.shop_id, ProductRow.product_id, ProductVersion.version, Shop.policy_id, Shop.kind, Shop.name,
                ProductVersion.listing, ProductVersion.decision, ProductVersion.findings)
         .join(ProductVersion, (ProductVersion.product_id == ProductRow.product_id) & (ProductVersion.version == ProductRow.version))
         .join(Shop, Shop.shop_id == ProductRow.shop_id)
         .where(Shop.policy_id.in_(list(policy_ids)))
         .order_by(ProductRow.shop_id, ProductRow.product_id))
    yield from session.execute(q.execution_options(yield_per=FETCH))


def write_catalogue(folder: Path, rows: Sequence[ListingRow], parts: int) -> CatalogueManifest:
    """Write `rows` (sorted by shop id) to `folder` in about `parts` parts; a previous export there is replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.parquet"):
        old.unlink()
    table = pa.Table.from_pydict({name: [getattr(r, name) for r in rows] for name in SCHEMA.names}, schema=SCHEMA)
    out = []
    for i, (lo, hi) in enumerate(cuts(table["shop_id"], max(1, parts))):
        piece = table.slice(lo, hi - lo)
        name = f"part-{i:05d}.parquet"
        pq.write_table(piece, folder / name, compression="zstd")
        out.append(CataloguePart(name, len(set(piece["shop_id"].to_pylist())), piece.num_rows))
    if not out:  # an empty catalogue: one empty part, so a reader always has a file
        pq.write_table(table, folder / "part-00000.parquet")
        out.append(CataloguePart("part-00000.parquet", 0, 0))
    manifest = CatalogueManifest(folder, len(rows), tuple(out))
    (folder / "manifest.json").write_text(json.dumps({
        "format": FORMAT, "listings": manifest.listings,
        "parts": [{"file": p.file, "shops": p.shops, "rows": p.rows} for p in out]}, indent=1), encoding="utf-8")
    return manifest


def read_catalogue_part(path: Path) -> Iterator[ListingRow]:
    """The rows of one part, in order."""
    table = pq.read_table(path, schema=SCHEMA)
    cols = [table[name].to_pylist() for name in SCHEMA.names]
    for values in zip(*cols):
        yield ListingRow(*values)
