"""The same-product index as it was before issue 14's memory work (a copy kept as the baseline that
bench/index_memory.py measures in the same run; not used by shopwarden).

A same-product index (DY-LQ-2..4) for the banned-product registry: find the fingerprints a
listing may be the same product as without comparing it to every one of them.

Three cheap first stages, their candidates unioned, then each candidate scored in full by
`core.same_product.compare`:

- MinHash LSH (datasketch, 64 permutations over the title's character 2-grams, tuned to the
  candidate Jaccard 0.3: 21 bands of 3 rows) for reworded titles in the same script;
- faiss inner-product search over the L2-normalized sentence vectors (HNSW, one thread; exact
  `IndexFlatIP` on request), keeping neighbours above the candidate cosine: the only stage that
  crosses Chinese ↔ English;
- an exact lookup on image ids (a shared upload).

Adding is an append (no retraining). Removing is not supported: bans are append-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import faiss
import numpy as np
from datasketch import LeanMinHash, MinHashLSH

from shopwarden.core.same_product import (
    CANDIDATE_COSINE,
    CANDIDATE_JACCARD,
    DIM,
    NUM_PERM,
    SEED,
    Fingerprint,
    ImageMatcher,
    Similarity,
    compare,
    identical_images,
)

faiss.omp_set_num_threads(1)

NEIGHBOURS = 32  # faiss neighbours read per query; those under CANDIDATE_COSINE are dropped
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 64
HNSW_EF_SEARCH = 96
_SCHEME = "affine32"  # datasketch's MinHash default, which core.same_product.minhash uses


def _lean(values: np.ndarray) -> LeanMinHash:
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=_SCHEME)


class SameProductIndex:
    """Fingerprints by key; `matches` answers like `best_matches` over all of them."""

    def __init__(self, items: Iterable[tuple[str, Fingerprint]] = (), exact: bool = False):
        self._lsh = MinHashLSH(threshold=CANDIDATE_JACCARD, num_perm=NUM_PERM)
        self._vectors: faiss.IndexFlatIP | faiss.IndexHNSWFlat
        if exact:
            self._vectors = faiss.IndexFlatIP(DIM)
        else:
            graph = faiss.IndexHNSWFlat(DIM, HNSW_M, faiss.METRIC_INNER_PRODUCT)
            graph.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            graph.hnsw.efSearch = HNSW_EF_SEARCH
            self._vectors = graph
        self._keys: list[str] = []
        self._fps: list[Fingerprint] = []
        self._row: dict[str, int] = {}
        self._by_image: dict[str, list[int]] = {}
        self.add_many(items)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: str) -> bool:
        return key in self._row

    def get(self, key: str) -> Fingerprint | None:
        row = self._row.get(key)
        return None if row is None else self._fps[row]

    def add(self, key: str, fp: Fingerprint) -> None:
        self.add_many([(key, fp)])

    def add_many(self, items: Iterable[tuple[str, Fingerprint]]) -> None:
        """Append fingerprints (a key already present is skipped); one faiss call for the batch."""
        new: list[tuple[str, Fingerprint]] = []
        for key, fp in items:
            if key not in self._row:
                self._row[key] = -1
                new.append((key, fp))
        if not new:
            return
        vectors = np.empty((len(new), DIM), dtype=np.float32)
        with self._lsh.insertion_session() as session:
            for i, (key, fp) in enumerate(new):
                row = len(self._keys)
                self._row[key] = row
                self._keys.append(key)
                self._fps.append(fp)
                vectors[i] = fp.vector
                session.insert(row, _lean(fp.minhash), check_duplication=False)
                for image in fp.images:
                    self._by_image.setdefault(image, []).append(row)
        self._vectors.add(vectors)

    def candidates(self, fp: Fingerprint, neighbours: int = NEIGHBOURS) -> list[str]:
        """Keys of the fingerprints worth comparing in full with `fp` (the three first stages)."""
        if not self._keys:
            return []
        rows: set[int] = set(self._lsh.query(_lean(fp.minhash)))
        scores, ids = self._vectors.search(np.asarray(fp.vector, dtype=np.float32).reshape(1, DIM), min(neighbours, len(self._keys)))
        rows.update(int(i) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0 and s >= CANDIDATE_COSINE)
        for image in fp.images:
            rows.update(self._by_image.get(image, ()))
        return [self._keys[r] for r in sorted(rows)]

    def matches(self, fp: Fingerprint, images: ImageMatcher = identical_images, keys: Sequence[str] | None = None) -> list[tuple[str, Similarity]]:
        """The indexed fingerprints `fp` is the same product as, closest first (as `best_matches`)."""
        found = [(key, compare(fp, self._fps[self._row[key]], images)) for key in (self.candidates(fp) if keys is None else keys)]
        return sorted(((k, s) for k, s in found if s.same), key=lambda ks: -ks[1].score)
