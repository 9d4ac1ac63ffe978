"""A same-product index (DY-LQ-2..4) for the banned-product registry: find the fingerprints a
listing may be the same product as without comparing it to every one of them, in about 1 KiB
per indexed product (issue 14).

Three cheap first stages, their candidates unioned, then each candidate scored in full by
`core.same_product.compare`:

- MinHash LSH with datasketch's banding (64 permutations over the title's character 2-grams,
  tuned to the candidate Jaccard 0.3: 21 bands of 3 rows) for reworded titles in the same script;
  each band is kept as one 64-bit hash per product in sorted numpy arrays (`_Postings`), not as a
  Python `bytes` key per band per product;
- faiss inner-product search over the L2-normalized sentence vectors, keeping neighbours above the
  candidate cosine: the only stage that crosses Chinese ↔ English. Exact (`IndexFlatIP`, float32)
  until `TRAIN_AT` products, then an inverted file of 8-bit scalar-quantised vectors
  (`IndexIVFScalarQuantizer`, 512 B a vector) trained on those first products;
- an exact lookup on image ids (a shared upload), as 64-bit hashes in the same sorted arrays.

The full fingerprints `compare` needs are either kept in memory (`keep=True`, the default: tests
and small registries) or read back through a `fetch` callable on the few candidates of a lookup
(`keep=False`: the registry reads them from the database). Read back, each candidate is checked
exactly before it is scored (its LSH band or image id really equal, its exact cosine at or above the
candidate cosine for a vector hit), so hash collisions and quantisation error never add or change
a match: what is scored is what the datasketch + float32 stages would have scored.

Adding is an append. Removing is not supported: bans are append-only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Sequence

import faiss
import numpy as np
from datasketch import MinHashLSH

from shopwarden.core.same_product import (
    CANDIDATE_COSINE,
    CANDIDATE_JACCARD,
    DIM,
    NUM_PERM,
    Fingerprint,
    ImageMatcher,
    Similarity,
    compare,
    identical_images,
)

faiss.omp_set_num_threads(1)

NEIGHBOURS = 32  # faiss neighbours read per query; those under CANDIDATE_COSINE are dropped
_DATASKETCH = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)  # its own banding for the threshold: 21 x 3
BANDS: int = _DATASKETCH.b
ROWS: int = _DATASKETCH.r
TRAIN_AT = 32_768  # products kept as exact float32 vectors before the quantised inverted file is trained
NLIST = 1024  # inverted lists (k-means cells)
NPROBE = 64  # cells searched per query: on random 512-d vectors at 100k, recall at or above the old HNSW (ef 96) for pairs at cosine 0.7-0.9
QUANTISED_MARGIN = 0.05  # a quantised score this far under CANDIDATE_COSINE is still read back and checked exactly
_TAIL = 1 << 16  # postings appended unsorted before they are merged into the sorted run

Key = Hashable
Fetch = Callable[[Sequence[Key]], Sequence[Fingerprint]]

_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, element-wise (uint64 arithmetic wraps)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    out: np.ndarray = x ^ (x >> np.uint64(31))
    return out


def band_hashes(minhashes: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64: one hash per LSH band, salted by the band's number. Equal bands (the
    ROWS values datasketch compares as bytes) give equal hashes; a collision only adds a candidate,
    which the exact check drops."""
    v = np.asarray(minhashes, dtype=np.uint64).reshape(-1, NUM_PERM)[:, :BANDS * ROWS].reshape(-1, BANDS, ROWS)
    with np.errstate(over="ignore"):
        h = np.broadcast_to(_mix(np.arange(1, BANDS + 1, dtype=np.uint64) * _GOLDEN), v.shape[:2]).copy()
        for r in range(ROWS):
            h = _mix(h ^ v[:, :, r])
    return h


def image_hash(image: str) -> int:
    return int.from_bytes(hashlib.blake2b(image.encode(), digest_size=8).digest(), "little")


def _shares_band(a: np.ndarray, b: np.ndarray) -> bool:
    x = np.asarray(a, dtype=np.uint64)[:BANDS * ROWS].reshape(BANDS, ROWS)
    y = np.asarray(b, dtype=np.uint64)[:BANDS * ROWS].reshape(BANDS, ROWS)
    return bool(np.all(x == y, axis=1).any())


class _Postings:
    """(hash, row) pairs: a sorted run searched with `searchsorted`, plus an unsorted tail (scanned)
    that is merged into the run when it passes `_TAIL` pairs. 12 bytes a pair."""

    def __init__(self) -> None:
        self._hashes = np.empty(0, dtype=np.uint64)
        self._rows = np.empty(0, dtype=np.int32)
        self._tail_hashes = np.empty(0, dtype=np.uint64)
        self._tail_rows = np.empty(0, dtype=np.int32)

    @property
    def nbytes(self) -> int:
        return self._hashes.nbytes + self._rows.nbytes + self._tail_hashes.nbytes + self._tail_rows.nbytes

    def add(self, hashes: np.ndarray, rows: np.ndarray) -> None:
        self._tail_hashes = np.concatenate([self._tail_hashes, hashes.astype(np.uint64, copy=False)])
        self._tail_rows = np.concatenate([self._tail_rows, rows.astype(np.int32, copy=False)])
        if len(self._tail_hashes) > _TAIL:
            self._merge()

    def _merge(self) -> None:
        order = np.argsort(self._tail_hashes, kind="stable")
        th, tr = self._tail_hashes[order], self._tail_rows[order]
        at = np.searchsorted(self._hashes, th, side="right")
        self._hashes, self._rows = np.insert(self._hashes, at, th), np.insert(self._rows, at, tr)
        self._tail_hashes, self._tail_rows = np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int32)

    def find(self, hashes: np.ndarray) -> np.ndarray:
        """Rows of every pair whose hash is one of `hashes` (with repeats)."""
        hashes = np.asarray(hashes, dtype=np.uint64)
        lo = np.searchsorted(self._hashes, hashes, side="left")
        hi = np.searchsorted(self._hashes, hashes, side="right")
        found = [self._rows[a:b] for a, b in zip(lo.tolist(), hi.tolist(), strict=True) if b > a]
        if len(self._tail_hashes):
            found.append(self._tail_rows[np.isin(self._tail_hashes, hashes)])
        return np.concatenate(found) if found else np.empty(0, dtype=np.int32)


class _Vectors:
    """Inner-product neighbours of unit vectors: exact float32 up to TRAIN_AT vectors (or always,
    with `exact`), then an inverted file of 8-bit scalar-quantised vectors trained on them."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact
        self.index: faiss.Index = faiss.IndexFlatIP(DIM)

    @property
    def quantised(self) -> bool:
        return not isinstance(self.index, faiss.IndexFlatIP)

    def add(self, vectors: np.ndarray) -> None:
        if self.exact or self.quantised or self.index.ntotal + len(vectors) < TRAIN_AT:
            self.index.add(vectors)
            return
        flat = self.index
        known = flat.reconstruct_n(0, flat.ntotal) if flat.ntotal else np.empty((0, DIM), dtype=np.float32)
        every = np.concatenate([known, vectors])
        ivf = faiss.IndexIVFScalarQuantizer(faiss.IndexFlatIP(DIM), DIM, NLIST, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
        ivf.cp.seed = 1234
        ivf.train(every[:TRAIN_AT])  # the first products: later ones never move the cells or the ranges
        ivf.nprobe = NPROBE
        ivf.add(every)
        self.index = ivf

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        k = min(k, self.index.ntotal)
        if k <= 0:
            return []
        scores, ids = self.index.search(np.asarray(vector, dtype=np.float32).reshape(1, DIM), k)
        floor = CANDIDATE_COSINE - (QUANTISED_MARGIN if self.quantised else 0.0)
        return [(int(i), float(s)) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0 and s >= floor]


class SameProductIndex:
    """Fingerprints by key; `matches` answers like `best_matches` over all of them.

    With `keep=False` no fingerprint is held: `matches` and `get` read the candidates' back through
    their `fetch` argument (the keys in, their fingerprints in the same order out)."""

    def __init__(self, items: Iterable[tuple[Key, Fingerprint]] = (), exact: bool = False, keep: bool = True):
        self._keep = keep
        self._lsh = _Postings()
        self._by_image = _Postings()
        self._vectors = _Vectors(exact)
        self._keys: list[Key] = []
        self._fps: list[Fingerprint] = []
        self._row: dict[Key, int] = {}
        self.add_many(items)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: Key) -> bool:
        return key in self._row

    def get(self, key: Key, fetch: Fetch | None = None) -> Fingerprint | None:
        row = self._row.get(key)
        if row is None:
            return None
        return self._fps[row] if self._keep else self._fetcher(fetch)([key])[0]

    def add(self, key: Key, fp: Fingerprint) -> None:
        self.add_many([(key, fp)])

    def add_many(self, items: Iterable[tuple[Key, Fingerprint]]) -> None:
        """Append fingerprints (a key already present is skipped); one faiss call for the batch."""
        new: list[tuple[Key, Fingerprint]] = []
        for key, fp in items:
            if key not in self._row:
                self._row[key] = -1
                new.append((key, fp))
        if not new:
            return
        first = len(self._keys)
        rows = np.arange(first, first + len(new), dtype=np.int32)
        self._vectors.add(np.stack([np.asarray(fp.vector, dtype=np.float32) for _, fp in new]))
        self._lsh.add(band_hashes(np.stack([fp.minhash for _, fp in new])).ravel(), np.repeat(rows, BANDS))
        pictures = [(image_hash(image), row) for row, (_, fp) in zip(rows.tolist(), new, strict=True) for image in sorted(fp.images)]
        if pictures:
            self._by_image.add(np.array([h for h, _ in pictures], dtype=np.uint64), np.array([r for _, r in pictures], dtype=np.int32))
        for row, (key, fp) in zip(rows.tolist(), new, strict=True):
            self._row[key] = row
            self._keys.append(key)
            if self._keep:
                self._fps.append(fp)

    def _stages(self, fp: Fingerprint, neighbours: int) -> tuple[set[int], dict[int, float], set[int]]:
        """Rows from the LSH bands, from the vectors (with their search score), from the image ids."""
        lsh = set(self._lsh.find(band_hashes(fp.minhash)[0]).tolist())
        near = dict(self._vectors.search(fp.vector, neighbours))
        pictures = set(self._by_image.find(np.array([image_hash(i) for i in fp.images], dtype=np.uint64)).tolist()) if fp.images else set()
        return lsh, near, pictures

    def _checked(self, fp: Fingerprint, neighbours: int, fetch: Fetch | None) -> list[tuple[Key, Fingerprint]]:
        """The candidates with their fingerprints, each kept only if a stage's test holds exactly."""
        lsh, near, pictures = self._stages(fp, neighbours)
        rows = sorted(lsh | near.keys() | pictures)
        keys = [self._keys[r] for r in rows]
        stored = [self._fps[r] for r in rows] if self._keep else list(self._fetcher(fetch)(keys)) if keys else []
        out = []
        for row, key, other in zip(rows, keys, stored, strict=True):
            if ((row in lsh and _shares_band(fp.minhash, other.minhash)) or (row in pictures and fp.images & other.images)
                    or (row in near and (not self._vectors.quantised or float(fp.vector @ other.vector) >= CANDIDATE_COSINE))):
                out.append((key, other))
        return out

    def _fetcher(self, fetch: Fetch | None) -> Fetch:
        if fetch is None:
            raise ValueError("this index keeps no fingerprints (keep=False): pass `fetch` to read them back")
        return fetch

    def candidates(self, fp: Fingerprint, neighbours: int = NEIGHBOURS, fetch: Fetch | None = None) -> list[Key]:
        """Keys of the fingerprints worth comparing in full with `fp` (the three first stages),
        checked exactly when the fingerprints are at hand (kept, or `fetch` given)."""
        if not self._keys:
            return []
        if self._keep or fetch is not None:
            return [k for k, _ in self._checked(fp, neighbours, fetch)]
        lsh, near, pictures = self._stages(fp, neighbours)
        return [self._keys[r] for r in sorted(lsh | near.keys() | pictures)]

    def matches(self, fp: Fingerprint, images: ImageMatcher = identical_images, keys: Sequence[Key] | None = None,
                fetch: Fetch | None = None) -> list[tuple[Key, Similarity]]:
        """The indexed fingerprints `fp` is the same product as, closest first (as `best_matches`)."""
        if keys is not None:
            pairs = list(zip(keys, [self._fps[self._row[k]] for k in keys] if self._keep else self._fetcher(fetch)(keys), strict=True))
        else:
            pairs = self._checked(fp, NEIGHBOURS, fetch) if self._keys else []
        found = [(key, compare(fp, other, images)) for key, other in pairs]
        return sorted(((k, s) for k, s in found if s.same), key=lambda ks: -ks[1].score)

    def nbytes(self) -> dict[str, int]:
        """Bytes held by each part (the numpy arrays; faiss's codes and int64 ids, without its lists'
        spare capacity; the Python key map is not counted)."""
        v = self._vectors.index
        each = DIM + 8 if self._vectors.quantised else 4 * DIM  # QT_8bit: a byte a dimension
        return {"lsh": self._lsh.nbytes, "images": self._by_image.nbytes, "vectors": v.ntotal * each}
