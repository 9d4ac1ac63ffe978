"""Evidence drawn for people (web/evidence.py): spans cut the text at their edges, overlapping spans
carry both rules, spans past the text are clipped, image boxes become polygons."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shopwarden.web.evidence import boxes_by_image, marked_fields, segments


def test_a_span_is_marked_with_its_rule():
    segs = segments("加我薇信 lin_8899 下单", [(2, 13, "DY-DV")])
    assert [(s.text, s.rules) for s in segs] == [("加我", ()), ("薇信 lin_8899", ("DY-DV",)), (" 下单", ())]


def test_overlapping_spans_carry_both_rules():
    segs = segments("abcdef", [(0, 4, "R1"), (2, 6, "R2")])
    assert [(s.text, s.rules) for s in segs] == [("ab", ("R1",)), ("cd", ("R1", "R2")), ("ef", ("R2",))]


@given(st.text(max_size=40), st.lists(st.tuples(st.integers(-5, 50), st.integers(-5, 50), st.sampled_from(["A", "B"])), max_size=5))
def test_segments_always_rebuild_the_text(text, spans):
    assert "".join(s.text for s in segments(text, spans)) == text


def test_fields_with_evidence_come_first_and_boxes_become_polygons():
    findings = [{"rule": "DY-DV", "evidence": [{"field": "description", "start": 0, "end": 2, "text": "微信"},
                                               {"field": "images[0]", "start": 0, "end": 3, "text": "url", "image_id": "a" * 64,
                                                "box": [[1, 2], [30, 2], [30, 40], [1, 40]]}]}]
    marked = marked_fields({"title": "杯子", "description": "微信 x"}, findings)
    assert [name for name, _, _ in marked] == ["description", "title"]
    [box] = boxes_by_image(findings)["a" * 64]
    assert box.points == "1,2 30,2 30,40 1,40" and box.rule == "DY-DV"
