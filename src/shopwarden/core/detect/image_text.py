"""DY-DV, DY-BR, DY-PR (and CR-6's claims and terms) in images: text read from a picture goes
through the text detectors.

Sellers move what a text filter would catch into pictures: a WeChat QR code, a phone number
painted on the packaging, a price in the main image that no SKU is sold at. The service reads
each image once (QR payloads and OCR lines, with boxes) and hands them in as
`subject.data["images"]` — `{"image_id", "lines": [{"text", "box", "score", "source"}]}` — and
as fields "images[i]" (the image's lines joined by newlines; `with_images` builds both). This
detector runs contact_diversion, brand_qualification and advertised_price over each image's
text and cites what they find there, with the image and the box it was read in. A creator's
content (CR-5: cover and key frames) is also read by the content detectors whose harm an image
carries as well as speech: absolute claims, efficacy claims and the pack's term lists (CR-6);
whether the content speaks of its product (CR-6-REL) is judged on what it says, not its images.

A payload of a QR code is put there to be scanned: a link or a messenger's deep link in one is
diversion with at least `score.qr`.

Pack settings (`detectors.image_text.thresholds`), defaults in DEFAULTS:
    score.qr          lowest DY-DV score for a contact or link read from a QR code
    severity.<name>   lowest score for that severity when the score was raised for a QR code
The inner detectors keep their own settings (`detectors.contact_diversion`, …).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC
from typing import Any

from shopwarden.core.detect.base import DetectContext, Detector, Evidence, Example, Explanation, Finding, Subject
from shopwarden.core.detect.brand_qualification import BrandQualification
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.core.detect.content.absolute_claims import AbsoluteClaims
from shopwarden.core.detect.content.efficacy_claims import EfficacyClaims
from shopwarden.core.detect.content.restricted_terms import RestrictedTerms
from shopwarden.core.detect.pricing.advertised_price import AdvertisedPrice
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {"score.qr": 0.97, "severity.general": 0.85}
# Deep links that open a messenger or another shop app straight from a scanned code.
_APP_LINK = re.compile(r"(?:weixin|wechat|wxp|whatsapp|tg|line|alipays?|taobao|tbopen|pinduoduo|snssdk\d*)://\S*", re.I)
Box = tuple[tuple[int, int], ...]


def image_field(i: int) -> str:
    return f"images[{i}]"


def image_text(lines: Sequence[Mapping[str, Any]]) -> str:
    """An image's text as its field holds it: the lines in order, one per line."""
    return "\n".join(line["text"].replace("\n", " ") for line in lines)


def with_images(subject: Subject, images: Sequence[Mapping[str, Any]]) -> Subject:
    """`subject` with the text read from its images: data["images"] and one field per image."""
    fields = dict(subject.fields) | {image_field(i): image_text(img["lines"]) for i, img in enumerate(images)}
    return Subject(subject.kind, fields, subject.shop_id, dict(subject.data) | {"images": list(images)})


def _line_spans(lines: Sequence[Mapping[str, Any]]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in lines:
        spans.append((pos, pos + len(line["text"])))
        pos += len(line["text"]) + 1
    return spans


def _box(lines: Sequence[Mapping[str, Any]], spans: list[tuple[int, int]], start: int, end: int) -> tuple[Box, bool]:
    """The box of the line a span was read from (the rectangle around them when it runs over
    several), and whether any of those lines is a QR payload."""
    hit = [line for line, (s, e) in zip(lines, spans, strict=True) if s < end and start < e] or [lines[0]]
    qr = any(line.get("source") == "qr" for line in hit)
    if len(hit) == 1:
        return tuple((int(x), int(y)) for x, y in hit[0]["box"]), qr
    xs = [int(x) for line in hit for x, _ in line["box"]]
    ys = [int(y) for line in hit for _, y in line["box"]]
    return ((min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys))), qr


def _inner_field(subject: Subject) -> str:
    """Where the image's text goes in the subject the text detectors see."""
    return "description" if subject.kind in ("listing", "content") else "text"


def _images(subject: Subject) -> list[tuple[int, Mapping[str, Any]]]:
    images = subject.data.get("images") or ()
    return [(i, img) for i, img in enumerate(images) if isinstance(img, Mapping) and img.get("lines") and subject.fields.get(image_field(i))]


def _app_link_evidence(field: str, text: str, image: Mapping[str, Any]) -> list[Evidence]:
    lines, spans = image["lines"], _line_spans(image["lines"])
    out = []
    for line, (s, _) in zip(lines, spans, strict=True):
        if line.get("source") == "qr":
            for m in _APP_LINK.finditer(line["text"]):
                box, _ = _box(lines, spans, s + m.start(), s + m.end())
                out.append(Evidence(field, s + m.start(), s + m.end(), text[s + m.start() : s + m.end()], box, image["image_id"]))
    return out


class ImageText(Detector):
    kind = "image_text"
    rules = ("DY-DV", "DY-BR", "DY-PR", "CR-6-ABS", "CR-6-EFF", *RestrictedTerms.rules)

    def __init__(self) -> None:
        self._inner = (
            ContactDiversion(), BrandQualification(), AdvertisedPrice(), AbsoluteClaims(), EfficacyClaims(), RestrictedTerms()
        )

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        found: dict[str, list[tuple[Finding, list[Evidence], bool]]] = {}
        for i, image in _images(subject):
            field, text = image_field(i), subject.fields[image_field(i)]
            for finding, evidence, qr in self._read(subject, context, field, text, image):
                found.setdefault(finding.rule, []).append((finding, evidence, qr))
            links = _app_link_evidence(field, text, image)
            if links:
                found.setdefault("DY-DV", []).append((_app_link_finding(links), links, True))
        t = settings(context, self.kind, DEFAULTS)
        return [self._merge(rule, found[rule], t) for rule in self.rules if rule in found]

    def _read(self, subject: Subject, context: DetectContext, field: str, text: str, image: Mapping[str, Any]) -> Iterator[tuple[Finding, list[Evidence], bool]]:
        inner_field = _inner_field(subject)
        data = {k: v for k, v in subject.data.items() if k != "images"}
        inner = Subject(subject.kind, {inner_field: text}, subject.shop_id, data)
        lines, spans = image["lines"], _line_spans(image["lines"])
        for detector in self._inner:
            if not context.enabled(detector.kind):
                continue
            for finding in detector.detect(inner, context):
                evidence: list[Evidence] = []
                qr = False
                for e in finding.evidence:
                    if e.field != inner_field:
                        continue
                    box, from_qr = _box(lines, spans, e.start, e.end)
                    evidence.append(Evidence(field, e.start, e.end, e.text, box, image["image_id"]))
                    qr = qr or from_qr
                if evidence:
                    yield finding, evidence, qr

    def _merge(self, rule: str, found: list[tuple[Finding, list[Evidence], bool]], t: Mapping[str, float]) -> Finding:
        strongest = max(found, key=lambda f: f[0].score)[0]
        score, severity = strongest.score, strongest.severity
        if rule == "DY-DV" and any(qr for _, _, qr in found) and score < t["score.qr"]:
            score, severity = t["score.qr"], severity_for(t["score.qr"], t)
        evidence = tuple(dict.fromkeys(e for _, ev, _ in found for e in ev))
        explanation = Explanation(en="In an image: " + strongest.explanation.en, zh="图片中：" + strongest.explanation.zh)
        return Finding(rule, self.kind, severity, score, explanation, evidence)

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return _examples()


def _app_link_finding(links: list[Evidence]) -> Finding:
    shown = "; ".join(dict.fromkeys(e.text for e in links))
    return Finding(
        "DY-DV",
        "image_text",
        "general",
        DEFAULTS["score.qr"],
        Explanation(en=f"Off-platform diversion: a QR code opens another app ({shown})", zh=f"站外引流：二维码指向其他应用（{shown}）"),
        tuple(links),
    )


def _line(text: str, box: tuple[tuple[int, int], ...] = ((10, 10), (410, 10), (410, 60), (10, 60)), source: str = "ocr", score: float = 0.98) -> dict[str, Any]:
    return {"text": text, "box": [list(p) for p in box], "score": score, "source": source}


def _examples() -> tuple[Example, ...]:
    from datetime import datetime

    from shopwarden.core.detect.base import ShopInfo
    from shopwarden.core.detect.brand_qualification import example_brands

    def listing(lines: list[dict[str, Any]], *prices: float, **extra: Any) -> Subject:
        skus = [{"sku_id": str(i), "name": f"款{i}", "price": p} for i, p in enumerate(prices or (59,))]
        base = Subject.from_listing({"title": "夏季纯棉T恤", "skus": skus} | extra)
        return with_images(base, [{"image_id": "a" * 64, "lines": lines}])

    def message(lines: list[dict[str, Any]]) -> Subject:
        return with_images(Subject.message("看图"), [{"image_id": "b" * 64, "lines": lines}])

    def cover(lines: list[dict[str, Any]], category: str = "beauty/skincare") -> Subject:
        product = {"product_id": "p1", "title": "保湿面霜", "category": category, "skus": [{"sku_id": "0", "price": 89}]}
        base = Subject("content", {"title": "面霜分享"}, "s1", {"content_kind": "video", "products": [product]})
        return with_images(base, [{"image_id": "c" * 64, "lines": lines}])

    shop = DetectContext(brands=example_brands(), shop=ShopInfo("s1", "enterprise"), at=datetime(2026, 3, 1, tzinfo=UTC))
    dv, pr, br = frozenset({"DY-DV"}), frozenset({"DY-PR"}), frozenset({"DY-BR"})
    qr_box = ((700, 700), (900, 720), (880, 920), (680, 900))
    return (
        Example(listing([_line("https://u.wechat.com/EFxYz123abc", qr_box, "qr", 1.0)]), dv, "a WeChat link in a QR code"),
        Example(message([_line("weixin://dl/chat?shop8888", qr_box, "qr", 1.0)]), dv, "a WeChat deep link in a QR code"),
        Example(message([_line("纯棉舒适"), _line("客服电话 13812345678")]), dv, "a phone number painted on a photo"),
        Example(listing([_line("限时仅售19.9元")], 59, 69), pr, "a price in the main image no SKU is sold at"),
        Example(listing([_line("耐克 Air 跑步鞋")], category="shoes/running"), br, "a brand shown in an image, no qualification", shop),
        Example(listing([_line("仅售59元"), _line("纯棉")], 59), frozenset(), "the price in the image is the SKU's"),
        Example(cover([_line("全网最低价")]), frozenset({"CR-6-ABS"}), "an absolute claim on a video's cover"),
        Example(cover([_line("专治湿疹")]), frozenset({"CR-6-EFF"}), "a cream's cover claims to treat eczema"),
        *_terms_examples(cover),
        Example(cover([_line("清爽保湿")]), frozenset(), "a cover without claims"),
        Example(message([_line("产品编号 A1234", qr_box, "qr", 1.0)]), frozenset(), "a QR code with a product number"),
        Example(Subject.message("加我微信 abc_8888"), frozenset(), "text without images is the text detectors' to judge"),
    )


def _terms_examples(cover: Callable[..., Subject]) -> tuple[Example, ...]:
    from shopwarden.core.policy.creators import ContentChecks, TermCategory, TermList

    words: tuple[tuple[TermCategory, str], ...] = (("sensational", "震惊"), ("illegal_activity", "代开发票"), ("locally_restricted", "算命"))
    lists: dict[TermCategory, TermList] = {c: TermList(terms=[word], source="example") for c, word in words}
    context = DetectContext(content=ContentChecks(terms=lists, source="example"))
    return tuple(
        Example(cover([_line(text)]), frozenset({rule}), f"{rule} on a cover", context)
        for text, rule in (("震惊！", "CR-6-TERMS-SENSATIONAL"), ("代开发票", "CR-6-TERMS-ILLEGAL"), ("免费算命", "CR-6-TERMS-LOCAL"))
    )
