"""Copied-image evaluation (issue 4, part 4), on a subset so it stays under a minute: the same code
`make eval` prints in full (evals/image_eval.py), with floors asserted. Run with
-s to see the table.

The subset keeps the hard cases on purpose: the two flat originals (clock: PDQ quality 34, 18
SIFT keypoints; colorwheel: 3 keypoints) that only the dense fallback can match, the small text
scan `page` (squashed to a collage tile), both scikit-learn photos when installed, and drawn
product shots whose layouts look alike (a label box on a shaded object on a studio backdrop),
which is where look-alike false matches come from.
"""

from __future__ import annotations

import pytest
from rich.console import Console

from evals import image_eval as ev

SKIMAGE_SUBSET = ("astronaut", "coins", "moon", "clock", "colorwheel", "page", "brick")


@pytest.mark.slow
def test_copied_image_evaluation():
    drawn = ev.drawn_products()
    images = ev.skimage_originals(SKIMAGE_SUBSET) | ev.sklearn_originals() | {k: drawn[k] for k in list(drawn)[:4]}
    result = ev.evaluate(images)
    Console(width=160).print(ev.table(result))

    assert result.false["full"][0] == 0, result.false_pairs  # no look-alike matched (<= 0.1% is the target)
    for name in result.hits:
        assert result.recall(name, "full") >= result.recall(name, "pdq"), name
        # The 0.95; on this subset it means none missed — the flat clock and colorwheel
        # under text/watermark included (the dense path's robust correlation). The one known miss is
        # the text scan `page` squashed to a collage tile (12/13 with scikit-learn).
        # Mosaic: a pixelated block over the centre of an image PDQ cannot speak for (the text scan
        # `page`, the brick texture) now fails the local check's centre test (issue 18: a
        # shared backdrop around another product in the centre is no copy), which cannot tell a
        # mosaic over the product from another product; 11/13 here, photos are PDQ's.
        floor = 0.9 if name == "collage 2x2" else 0.8 if name == "mosaic 20%" else 0.95
        assert result.recall(name, "full") >= floor, (name, result.misses(name))
    crops = ("crop 30%", "collage 2x2", "crop 20% + mirror")
    assert all(result.recall(name, "full") >= 0.9 for name in crops)
    assert all(result.recall(name, "pdq") <= 0.2 for name in crops)  # the baseline really cannot do these


def test_originals_are_built_from_packages():
    images = ev.skimage_originals(("camera", "clock")) | ev.drawn_products(3)
    assert all(a.dtype.name == "uint8" and a.ndim == 3 and a.shape[2] == 3 and max(a.shape[:2]) <= ev.SIDE for a in images.values())
    assert len({a.tobytes() for a in images.values()}) == len(images)  # all different
    collage = ev.collage(images["skimage:camera"], 2)
    assert collage.shape == (800, 800, 3)
