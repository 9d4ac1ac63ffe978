"""Which of many references a query may contain: votes over SIFT descriptors (faiss HNSW).

The local-feature check (`local_match`) verifies one reference at a time with RANSAC, too slow to
run against every image of a large index; PDQ only brings whole-image copies near, not crops or
collages. This index proposes the few references worth verifying:

- each reference contributes up to `PER_IMAGE` of its RootSIFT descriptors (an even stride over
  them) to one HNSW graph of 8-bit scalar-quantised vectors — RootSIFT components lie in [0, 1],
  so the quantiser's range is known without training data;
- each query descriptor (plain and mirrored, up to `PER_QUERY` of each) votes for the reference
  owning its nearest neighbour when that neighbour lies within `MAX_DISTANCE`;
- a reference's votes are divided by the square root of its descriptor count, so that a busy
  reference does not win by size alone, and the best `k` with at least `MIN_VOTES` are returned.

Measured (the image evaluation's 29 originals among 249 references: 220 look-alike distractors,
drawn products of other seeds and random scenes): the true original ranked in the top 8 for
every crop 30%, mirrored crop, collage, mosaic and watermark query except the colour wheel, a
flat image with 3 keypoints that only the dense fallback can speak for (flat references are
therefore always checked, see service/image_index.py); 25–50 ms per query on one thread;
about 77 KiB per reference (300 descriptors of 128 bytes plus graph links).
"""

from __future__ import annotations

import faiss
import numpy as np

from shopwarden.core.images.local_match import LocalFeatures

faiss.omp_set_num_threads(1)

PER_IMAGE = 300
PER_QUERY = 1000
MAX_DISTANCE = 0.16  # squared L2 between RootSIFT descriptors (Hellinger distance ~0.28)
MIN_VOTES = 3
HNSW_LINKS = 16
DIMENSIONS = 128


def _stride(descriptors: np.ndarray, n: int) -> np.ndarray:
    step = max(1, -(-len(descriptors) // n))
    return np.ascontiguousarray(descriptors[::step][:n], dtype=np.float32)


class DescriptorIndex:
    """References' descriptors by key; `candidates` ranks references by their share of votes."""

    def __init__(self) -> None:
        self._index = faiss.IndexHNSWSQ(DIMENSIONS, faiss.ScalarQuantizer.QT_8bit_uniform, HNSW_LINKS)  # type: ignore[arg-type]  # faiss's stub types the enum as its class
        self._index.train(np.vstack([np.zeros((1, DIMENSIONS), np.float32), np.ones((1, DIMENSIONS), np.float32)]))
        self._owner = np.zeros(0, np.int64)  # descriptor row -> reference number
        self._keys: list[str] = []
        self._number: dict[str, int] = {}
        self._counts: list[int] = []

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: str) -> bool:
        return key in self._number

    def add(self, key: str, local: LocalFeatures) -> None:
        if key in self._number:
            return
        rows = _stride(local.plain.descriptors, PER_IMAGE)
        number = len(self._keys)
        self._keys.append(key)
        self._number[key] = number
        self._counts.append(len(rows))
        if len(rows):
            self._index.add(rows)
            self._owner = np.concatenate([self._owner, np.full(len(rows), number, np.int64)])

    def candidates(self, query: LocalFeatures, k: int) -> list[tuple[str, float]]:
        """Up to `k` reference keys with their normalised votes, most voted first."""
        if not self._index.ntotal:
            return []
        votes = np.zeros(len(self._keys), np.float64)
        for keypoints in (query.plain, query.mirrored):
            if keypoints is None or not len(keypoints.descriptors):
                continue
            distances, rows = self._index.search(_stride(keypoints.descriptors, PER_QUERY), 1)
            near = (distances[:, 0] < MAX_DISTANCE) & (rows[:, 0] >= 0)
            np.add.at(votes, self._owner[rows[near, 0]], 1.0)
        score = votes / np.sqrt(np.maximum(1, np.asarray(self._counts, np.float64)))
        best = [int(i) for i in np.argsort(-score, kind="stable")[:k] if votes[i] >= MIN_VOTES]
        return [(self._keys[i], float(score[i])) for i in best]
