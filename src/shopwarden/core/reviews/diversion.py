"""RV-K-4 diversion (导流): a review that promotes another channel — contacts, links, other
shops or platforms — in its text or in text read from its images.

The DY-DV detector (`contact_diversion`) already knows every way a contact gets written, so it
runs here unchanged, with the pack's `contact_diversion` settings and the shop's declared
after-sales contacts; its findings are re-labelled RV-K-4 and keep its evidence. Text read from
an image is cited as the field "images[i]" with the image's id and the box of the line it was read
in (the lines of one image are joined by newlines, in the order given). A line that is an app's
deep link ("weixin://…", "alipays://…") is a scanned QR payload — nobody photographs one typed
out — and counts as image_text does for a QR code: diversion at `score.qr`.
"""

from __future__ import annotations

from collections.abc import Mapping

from shopwarden.core.detect.base import DetectContext, Evidence, Explanation, Finding, Subject
from shopwarden.core.detect.contact_diversion import ContactDiversion
from shopwarden.core.detect.image_text import _APP_LINK as APP_LINK  # the QR payload pattern image_text reads
from shopwarden.core.reviews.findings import finding
from shopwarden.core.reviews.model import ReviewView

KIND = "review_diversion"
DEFAULTS: Mapping[str, float] = {"min_score": 0.0, "score.qr": 0.97, "severity.general": 0.85}
Box = tuple[tuple[int, int], ...]
Line = tuple[str, Box | None]
_DV = ContactDiversion()


def images(review: ReviewView) -> list[tuple[str, list[Line]]]:
    """The review's images in first-seen order, each with its lines of text and their boxes."""
    out: dict[str, list[Line]] = {}
    for image_id, text, box in review.image_texts:
        out.setdefault(image_id, []).append((text.replace("\n", " "), box))
    return list(out.items())


def _box(lines: list[Line], start: int, end: int) -> Box | None:
    """The box of the line a span was read from; the rectangle around them for several lines."""
    hit, pos = [], 0
    for text, box in lines:
        if pos < end and start < pos + len(text) and box:
            hit.append(box)
        pos += len(text) + 1
    if len(hit) <= 1:
        return tuple((int(x), int(y)) for x, y in hit[0]) if hit else None
    xs, ys = [int(x) for b in hit for x, _ in b], [int(y) for b in hit for _, y in b]
    return ((min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys)))


def _in_image(found: Finding, i: int, image_id: str, lines: list[Line]) -> list[Evidence]:
    return [Evidence(f"images[{i}]", e.start, e.end, e.text, _box(lines, e.start, e.end), image_id) for e in found.evidence]


def _deep_links(i: int, image_id: str, lines: list[Line]) -> list[Evidence]:
    out, pos = [], 0
    for text, box in lines:
        out += [Evidence(f"images[{i}]", pos + m.start(), pos + m.end(), m.group(), box, image_id) for m in APP_LINK.finditer(text)]
        pos += len(text) + 1
    return out


def diversion(review: ReviewView, context: DetectContext, t: Mapping[str, float]) -> Finding | None:
    in_text = _DV.detect(Subject.review(review.text, review.shop_id), context) if review.text else []
    found = [(f.score, f.explanation, list(f.evidence)) for f in in_text]
    for i, (image_id, lines) in enumerate(images(review)):
        subject = Subject.review("\n".join(line for line, _ in lines), review.shop_id)
        found += [(f.score, f.explanation, _in_image(f, i, image_id, lines)) for f in _DV.detect(subject, context)]
        if links := _deep_links(i, image_id, lines):
            shown = "; ".join(dict.fromkeys(e.text for e in links))
            found.append((t["score.qr"], Explanation(f"a QR code opens another app ({shown})", f"二维码指向其他应用（{shown}）"), links))
    if not found:
        return None
    score, explanation, _ = max(found, key=lambda f: f[0])
    return finding(
        "RV-K-4", KIND, score, t,
        f"Diversion in a review (DY-DV): {explanation.en}", f"评价导流（DY-DV）：{explanation.zh}",
        [e for _, _, evidence in found for e in evidence],
    )
