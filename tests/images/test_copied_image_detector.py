"""The copied_image detector (DY-IP): the contract, and who counts as having shown an image first."""

from __future__ import annotations

from shopwarden.core.detect.base import DetectContext, Subject
from shopwarden.core.detect.copied_image import CopiedImage, with_image_matches
from tests.detect.contract import DetectorContract

BOX = [[10, 20], [110, 20], [110, 90], [10, 90]]


def _match(ref, source="listing", shop="s2", owner=None, at="2026-01-01T00:00:00Z", conf=0.9):
    return {"reference_id": ref, "source": source, "shop_id": shop, "product_id": "p2", "owner": owner, "first_seen_at": at,
            "method": "pdq", "confidence": conf, "query_box": BOX, "reference_box": BOX}


def _subject(*per_image, shop="s1"):
    images = [{"image_id": f"{i:x}" * 64, "matches": list(m)} for i, m in enumerate(per_image)]
    return with_image_matches(Subject.from_listing({"title": "T恤"}, shop_id=shop), images)


class TestCopiedImage(DetectorContract):
    detector = CopiedImage()

    def test_cites_the_copied_image_with_its_box_and_source(self):
        subject = _subject([], [_match("e" * 64)])
        (finding,) = self.detector.detect(subject, DetectContext())
        (ev,) = finding.evidence
        assert (ev.field, ev.image_id, ev.box) == ("images[1].image_id", "1" * 64, ((10, 20), (110, 20), (110, 90), (10, 90)))
        assert "e" * 64 in finding.explanation.en and "shop s2" in finding.explanation.en and finding.score == 0.9

    def test_later_copies_by_others_do_not_make_the_original_a_copy(self):
        own = _match("0" * 64, shop="s1", at="2025-06-01T00:00:00Z")
        copy = _match("e" * 64, shop="s2", at="2025-07-01T00:00:00Z")
        assert self.detector.detect(_subject([own, copy]), DetectContext()) == []
        assert self.detector.detect(_subject([own, copy], shop="s2"), DetectContext())

    def test_protected_counts_whatever_the_dates(self):
        own = _match("0" * 64, shop="s1", at="2020-01-01T00:00:00Z")
        assert self.detector.detect(_subject([own, _match("e" * 64, "protected", None, "owner-x")]), DetectContext())
