"""The image_text detector on precomputed lines (no OCR): the contract, and a table of cases."""

from __future__ import annotations

import pytest

from shopwarden.core.detect.base import DetectContext, Subject
from shopwarden.core.detect.image_text import ImageText, with_images
from tests.detect.contract import DetectorContract

BOX = ((10, 10), (410, 10), (410, 60), (10, 60))
LOWER = ((10, 100), (300, 100), (300, 150), (10, 150))


class TestImageTextContract(DetectorContract):
    detector = ImageText()


def line(text, box=BOX, source="ocr"):
    return {"text": text, "box": [list(p) for p in box], "score": 0.99, "source": source}


def listing(images, price=59):
    base = Subject.from_listing({"title": "纯棉T恤", "skus": [{"sku_id": "a", "name": "白", "price": price}]})
    return with_images(base, [{"image_id": f"{i:064x}", "lines": lines} for i, lines in enumerate(images)])


CASES = [
    # (images' lines, expected rules, expected evidence (field, text, box))
    ([[line("纯棉")], [line("正品"), line("加微信 abc_8888", LOWER)]], {"DY-DV"}, ("images[1]", "微信 abc_8888", LOWER)),
    ([[line("https://wa.me/8613800138000", source="qr")]], {"DY-DV"}, ("images[0]", "https://wa.me/8613800138000", BOX)),
    ([[line("到手价9.9元")]], set(), None),  # a price after a promotion the listing does not carry is not judged
    ([[line("新品上市"), line("仅售9.9元", LOWER)]], {"DY-PR"}, ("images[0]", "仅售9.9元", LOWER)),
    ([[line("舒适透气"), line("夏季新款")]], set(), None),
]


@pytest.mark.parametrize(("images", "rules", "evidence"), CASES)
def test_text_read_in_images_is_judged_and_cited_where_it_was_read(images, rules, evidence):
    findings = ImageText().detect(listing(images), DetectContext())
    assert {f.rule for f in findings} == rules
    if evidence:
        field, text, box = evidence
        cited = [(e.field, e.text, e.box) for f in findings for e in f.evidence]
        assert any(f == field and text in t and b == box for f, t, b in cited), cited


def test_a_qr_payload_scores_high_and_evidence_names_image_and_box():
    subject = listing([[line("https://shop.example.com/item/1", source="qr")]])
    [finding] = ImageText().detect(subject, DetectContext())
    assert finding.rule == "DY-DV" and finding.score >= 0.97
    ev = finding.as_dict()["evidence"][0]
    assert ev["image_id"] == f"{0:064x}" and ev["box"] == [list(p) for p in BOX] and ev["field"] == "images[0]"


def test_text_evidence_keeps_its_shape():
    finding = ImageText().detect(listing([[line("加微信 abc_8888")]]), DetectContext())[0]
    assert set(finding.as_dict()["evidence"][0]) == {"field", "start", "end", "text", "image_id", "box"}
    plain = Subject.message("加我微信 abc_8888")
    from shopwarden.core.detect.contact_diversion import ContactDiversion

    assert set(ContactDiversion().detect(plain, DetectContext())[0].as_dict()["evidence"][0]) == {"field", "start", "end", "text"}


def test_image_text_is_not_read_twice_by_the_text_detectors():
    from shopwarden.core.detect.contact_diversion import ContactDiversion

    assert ContactDiversion().detect(listing([[line("加微信 abc_8888")]]), DetectContext()) == []
