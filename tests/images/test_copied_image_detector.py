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

    def test_cites_the_best_scored_original_not_the_first_registered(self):
        # DY-IP: when several originals match, the finding cites the one the image resembles
        # most, with its score and both matched regions (issue 18).
        ref_box = [[0, 0], [640, 0], [640, 480], [0, 480]]
        early = _match("a" * 64, "protected", None, "owner-a", at="2020-01-01T00:00:00Z", conf=0.74)
        best = _match("b" * 64, "listing", "s2", at="2026-03-01T00:00:00Z", conf=0.97) | {"reference_box": ref_box, "method": "local",
                                                                                          "inliers": 212, "share": 0.41}
        (finding,) = self.detector.detect(_subject([early, best]), DetectContext())
        (ev,) = finding.evidence
        assert ev.match is not None and ev.match["reference_id"] == "b" * 64
        assert ev.match["score"] == 0.97 and finding.score == 0.97
        assert ev.match["reference_box"] == ref_box and ev.match["query_box"] == BOX and ev.match["other_matches"] == 1
        assert ev.match["inliers"] == 212 and ev.match["share"] == 0.41
        assert "b" * 64 in finding.explanation.en and "a" * 64 not in finding.explanation.en
        assert "x 0-640, y 0-480" in finding.explanation.en and "原图" in finding.explanation.zh
        assert ev.as_dict()["match"]["reference_id"] == "b" * 64

    def test_equal_scores_prefer_the_registered_original(self):
        listing = _match("b" * 64, "listing", "s2", at="2020-01-01T00:00:00Z", conf=0.9)
        protected = _match("c" * 64, "protected", None, "owner-c", at="2026-01-01T00:00:00Z", conf=0.9)
        (finding,) = self.detector.detect(_subject([listing, protected]), DetectContext())
        assert finding.evidence[0].match["reference_id"] == "c" * 64


def test_dy_ip_a_match_on_a_flat_original_opens_a_case_and_says_why():
    # issue 18: an original with too little detail cannot block a listing on its own; its match
    # (copy_match.for_review: review, score <= 0.75) is decided "review" with a case by every pack.
    from shopwarden.core.detect.decision import decide_finding
    from shopwarden.service.policies import load_builtin_packs

    (finding,) = CopiedImage().detect(_subject([_match("e" * 64, conf=0.75) | {"review": True}]), DetectContext())
    assert finding.evidence[0].match is not None and finding.evidence[0].match["review"] is True
    assert "a person confirms it" in finding.explanation.en and "需人工确认" in finding.explanation.zh
    for name in ("douyin", "tiktok-shop"):
        assert decide_finding(finding, load_builtin_packs()[name].decisions)[0] == "review", name
