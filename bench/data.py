"""A deterministic data set for the benchmarks, in the importer's JSON Lines format.

`{"record": "shop", ...}` lines first, then `{"record": "violation", ...}` lines in issue-time
order (as a platform's history export would be), over the `tiktok-shop` pack. With a seed and
an anchor (default: today 00:00 UTC) the file is byte-for-byte the same on every run.

Shape of the data (the defaults: 100,000 shops, 1,000,000 violations):

- 1 % of the shops are "heavy": exactly 50 violations each (the fold target of the issue);
- the other violations are spread over the rest with Pareto weights (capped), so most shops
  have a few, some a few dozen and some none;
- issue times are uniform over the ~400 days before the anchor, to the second;
- type/severity pairs are the pack's own, weighted towards minor/general.

    python -m bench.data [--shops N] [--violations M] [--seed S] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson

WORK = Path(__file__).resolve().parent / "_work"
PACK_FILE = Path(__file__).resolve().parents[1] / "src" / "shopwarden" / "core" / "policy" / "packs" / "tiktok-shop.yaml"
POLICY = "tiktok-shop"
HEAVY = 50  # violations of a heavy shop
SPAN_DAYS = 400
KINDS = ("enterprise", "individual", "personal")
SEVERITY_WEIGHT = {"minor": 50, "general": 35, "serious": 12, "critical": 3}
EVIDENCE_KINDS = ("text", "url", "order", "chat")


def pack_pairs() -> list[tuple[str, str]]:
    """Every (type, severity) of the tiktok-shop pack, read from its YAML (no engine import needed)."""
    from ruamel.yaml import YAML

    doc = YAML(typ="safe").load(PACK_FILE.read_text(encoding="utf-8"))
    pairs = [(t["type"], sev) for t in doc["violation_types"] for sev in t["severities"]]
    if not pairs:
        raise SystemExit(f"{PACK_FILE}: no violation types")
    return pairs


def today_anchor() -> datetime:
    now = datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def shop_id(i: int) -> str:
    return f"bs{i:06d}"


class ViolationSampler:
    """Draws (type, severity) pairs and issue times; shared by the file writer and the fold bench."""

    def __init__(self, rng: random.Random, anchor: datetime, pairs: list[tuple[str, str]] | None = None):
        self.rng, self.anchor = rng, anchor
        self.pairs = pairs or pack_pairs()
        self.weights = [SEVERITY_WEIGHT.get(sev, 10) for _, sev in self.pairs]
        self.cum = list(_accumulate(self.weights))

    def pairs_n(self, n: int) -> list[tuple[str, str]]:
        return self.rng.choices(self.pairs, cum_weights=self.cum, k=n)

    def offsets(self, n: int) -> list[int]:
        """Seconds before the anchor, 1 .. SPAN_DAYS days."""
        span = SPAN_DAYS * 86400
        return [self.rng.randrange(1, span) for _ in range(n)]


def _accumulate(xs):
    total = 0
    for x in xs:
        total += x
        yield total


@dataclass
class DataSet:
    path: Path
    shops: int
    violations: int
    seed: int
    anchor: str
    heavy_shops: list[str] = field(default_factory=list)
    sample_shops: list[str] = field(default_factory=list)  # a random sample of every shop, for the HTTP bench
    sample_counts: list[int] = field(default_factory=list)  # their violations in the file
    max_per_shop: int = 0
    shops_without: int = 0
    seconds: float = 0.0
    bytes: int = 0

    @property
    def meta_path(self) -> Path:
        return self.path.with_suffix(".meta.json")


def shop_counts(rng: random.Random, shops: int, violations: int) -> tuple[list[int], list[int]]:
    """Violations per shop (sums to `violations`) and the indexes of the heavy shops."""
    n_heavy = max(1, shops // 100) if violations >= HEAVY else 0
    while n_heavy and n_heavy * HEAVY > violations // 2:
        n_heavy -= 1
    heavy = sorted(rng.sample(range(shops), n_heavy))
    heavy_set = set(heavy)
    counts = [0] * shops
    for i in heavy:
        counts[i] = HEAVY
    rest = [i for i in range(shops) if i not in heavy_set]
    left = violations - n_heavy * HEAVY
    if rest and left > 0:
        # Pareto(1.2) weights, capped at 16: a long tail, a few shops in the 50s-60s, some with none.
        weights = [min(rng.paretovariate(1.2), 16.0) for _ in rest]
        cum = list(_accumulate(weights))
        for i in rng.choices(rest, cum_weights=cum, k=left):
            counts[i] += 1
    elif left > 0:
        raise SystemExit("no room for the violations: every shop is heavy")
    return counts, heavy


def generate(shops: int = 100_000, violations: int = 1_000_000, seed: int = 20260301, anchor: datetime | None = None, out: Path | None = None, log=print) -> DataSet:
    """Write the file (unless an identical one is there already) and return its description."""
    anchor = anchor or today_anchor()
    out = out or WORK / f"data-{shops}-{violations}-s{seed}-{anchor:%Y%m%d}.jsonl"
    ds = DataSet(out, shops, violations, seed, anchor.isoformat().replace("+00:00", "Z"))
    if out.exists() and ds.meta_path.exists():
        meta = json.loads(ds.meta_path.read_text())
        if meta.get("complete") and meta.get("bytes") == out.stat().st_size:
            meta.pop("complete", None)
            meta["path"] = out
            log(f"data: reusing {out.name} ({meta['bytes'] / 1e6:.0f} MB)")
            return DataSet(**meta)
    out.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    rng = random.Random(seed)
    sampler = ViolationSampler(rng, anchor)
    counts, heavy = shop_counts(rng, shops, violations)
    owners = [i for i, c in enumerate(counts) for _ in range(c)]
    rng.shuffle(owners)
    offsets = sampler.offsets(violations)
    offsets.sort(reverse=True)  # oldest first: issue-time order
    pairs = sampler.pairs_n(violations)
    tmp = out.with_suffix(".tmp")
    dumps = orjson.dumps
    with tmp.open("wb") as fh:
        lines = []
        for i in range(shops):
            lines.append(dumps({"record": "shop", "shop_id": shop_id(i), "name": f"Bench shop {i}", "kind": KINDS[i % 3], "policy": POLICY}))
            if len(lines) >= 10000:
                fh.write(b"\n".join(lines) + b"\n")
                lines = []
        base = anchor
        one_sec = timedelta(seconds=1)
        for n in range(violations):
            vtype, sev = pairs[n]
            t = base - offsets[n] * one_sec
            rec = {
                "record": "violation",
                "id": f"bv{n:08d}",
                "shop_id": shop_id(owners[n]),
                "type": vtype,
                "severity": sev,
                "issued_at": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "evidence": [{"kind": EVIDENCE_KINDS[n % 4], "value": f"ref-{n}"}],
            }
            lines.append(dumps(rec))
            if len(lines) >= 10000:
                fh.write(b"\n".join(lines) + b"\n")
                lines = []
            if n and n % 250_000 == 0:
                log(f"data: {n:,} / {violations:,} violations written")
        if lines:
            fh.write(b"\n".join(lines) + b"\n")
    tmp.replace(out)
    ds.heavy_shops = [shop_id(i) for i in heavy]
    sample = sorted(rng.sample(range(shops), min(shops, 2000)))
    ds.sample_shops = [shop_id(i) for i in sample]
    ds.sample_counts = [counts[i] for i in sample]
    ds.max_per_shop = max(counts) if counts else 0
    ds.shops_without = sum(1 for c in counts if c == 0)
    ds.seconds = time.perf_counter() - start
    ds.bytes = out.stat().st_size
    meta = asdict(ds)
    meta["path"] = str(out)
    meta["complete"] = True
    ds.meta_path.write_text(json.dumps(meta, indent=1))
    log(f"data: wrote {out.name}: {shops:,} shops, {violations:,} violations, {ds.bytes / 1e6:.0f} MB in {ds.seconds:.1f}s")
    return ds


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shops", type=int, default=100_000)
    ap.add_argument("--violations", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=20260301)
    ap.add_argument("--out", type=Path)
    a = ap.parse_args(argv)
    ds = generate(a.shops, a.violations, a.seed, out=a.out)
    print(ds.path)


if __name__ == "__main__":
    main()
