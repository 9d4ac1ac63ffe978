"""Text normalization shared by the text detectors: folded, compact and digit views of a text,
each with a map back to offsets in the original."""

from shopwarden.core.text.fold import fold_char
from shopwarden.core.text.normalize import NormalizedText, normalize
from shopwarden.core.text.offsets import View, ViewBuilder

__all__ = ["NormalizedText", "View", "ViewBuilder", "fold_char", "normalize"]
