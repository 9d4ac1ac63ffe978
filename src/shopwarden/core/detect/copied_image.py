"""DY-IP in images: a listing's picture is a copy of one another shop showed first, or of one a
rights owner registered.

The service matches each image of the subject against the image index (PDQ, then local
features; `core/images/copy_match.py`) and hands the matches in as
`subject.data["image_matches"]` — one entry per listing image, `{"image_id", "matches": [...]}`,
each match `{"reference_id", "source": "listing"|"protected", "shop_id", "product_id", "owner",
"first_seen_at", "method", "confidence", "query_box", "reference_box"}` — with a field
"images[i].image_id" (the image's id as text) for evidence to cite; `with_image_matches` builds
both. This detector only judges them:

- a protected image counts unless this shop is its owner;
- a listing image counts when another shop showed it before this shop showed any image that
  matches the same query (re-using your own picture is no copy, and neither is being copied).

Of the originals that count, the finding cites the best-scored one (not the first registered),
with its score and the matched regions as evidence (`Evidence.match`). A match marked `review`
(an original with too little detail for an automatic finding, `copy_match.for_review`) is scored
below the packs' block score, so it opens a case for a person; the explanation says why.

Pack settings (`detectors.copied_image.thresholds`), defaults in DEFAULTS:
    min_confidence    matches less sure than this are ignored
    severity.<name>   lowest score for that severity
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from shopwarden.core.detect.base import DetectContext, Detector, Evidence, Example, Explanation, Finding, Subject
from shopwarden.core.detect.severity import settings, severity_for

DEFAULTS: Mapping[str, float] = {"min_confidence": 0.7, "severity.general": 0.9}


def id_field(i: int) -> str:
    return f"images[{i}].image_id"


def with_image_matches(subject: Subject, matches: Sequence[Mapping[str, Any]]) -> Subject:
    """`subject` with its images' matches: data["image_matches"] and a field per image id."""
    fields = dict(subject.fields) | {id_field(i): m["image_id"] for i, m in enumerate(matches)}
    return Subject(subject.kind, fields, subject.shop_id, dict(subject.data) | {"image_matches": list(matches)})


def _counts(matches: Sequence[Mapping[str, Any]], shop_id: str | None, content: bool = False) -> list[Mapping[str, Any]]:
    """The matches that make this image someone else's: registered ones first, then the earliest shown.

    In a creator's content (CR-6) only a rights owner's registered image counts here: showing a
    listing's own photos is how content promotes a product, whoever's shop it is. Another creator's
    frames are `_content_copies`."""
    own = [m["first_seen_at"] for m in matches if m.get("source") == "listing" and m.get("shop_id") == shop_id]
    own_first = min(own) if own else None

    def foreign(m: Mapping[str, Any]) -> bool:
        if m.get("source") == "protected":
            return m.get("owner") != shop_id
        if content or m.get("source") == "content":
            return False
        return m.get("shop_id") != shop_id and (own_first is None or m["first_seen_at"] < own_first)

    return sorted((m for m in matches if foreign(m)), key=_best_first)


def _best_first(m: Mapping[str, Any]) -> tuple[float, bool, str, str]:
    """The original the image resembles most first (its score), whatever order they were
    registered in; among equal scores a rights owner's registered image, then the earliest shown."""
    return (-float(m["confidence"]), m.get("source") != "protected", str(m.get("first_seen_at") or ""), str(m["reference_id"]))


def _whose(m: Mapping[str, Any]) -> tuple[str, str]:
    if m.get("source") == "protected":
        return f"registered by rights owner {m.get('owner')}", f"权利人 {m.get('owner')} 登记的"
    return (f"first shown by shop {m.get('shop_id')} (product {m.get('product_id')})",
            f"店铺 {m.get('shop_id')}（商品 {m.get('product_id')}）首先展示的")


def _describe(i: int, m: Mapping[str, Any]) -> tuple[str, str]:
    en_whose, zh_whose = _whose(m)
    how = f"{m.get('method')}, {m['confidence']:.0%} sure"
    zh_how = f"{_METHOD_ZH.get(str(m.get('method')), m.get('method'))}，置信度 {m['confidence']:.0%}"
    en_review, zh_review = ("; the original has little detail, so a person confirms it", "；原图细节很少，需人工确认") if m.get("review") else ("", "")
    return (f"images[{i}] copies image {m['reference_id']} {en_whose} ({how}{_where_en(m)}{en_review})",
            f"第{i + 1}张图片复制了{zh_whose}图片 {m['reference_id']}（{zh_how}{_where_zh(m)}{zh_review}）")


_METHOD_ZH = {"pdq": "整图感知哈希", "local": "局部特征几何校验", "dense": "缩略图相关"}


def _span(box: Any) -> str:
    xs, ys = [int(p[0]) for p in box], [int(p[1]) for p in box]
    return f"x {min(xs)}-{max(xs)}, y {min(ys)}-{max(ys)}"


def _where_en(m: Mapping[str, Any]) -> str:
    if not m.get("query_box") or not m.get("reference_box"):
        return ""
    return f"; its region {_span(m['query_box'])} shows the original's {_span(m['reference_box'])}"


def _where_zh(m: Mapping[str, Any]) -> str:
    if not m.get("query_box") or not m.get("reference_box"):
        return ""
    return f"；本图 {_span(m['query_box'])} 区域对应原图 {_span(m['reference_box'])} 区域"


def _box(m: Mapping[str, Any]) -> tuple[tuple[int, int], ...] | None:
    box = m.get("query_box")
    return None if not box else tuple((int(x), int(y)) for x, y in box)


MATCH_KEYS = ("reference_id", "source", "shop_id", "product_id", "owner", "method", "confidence", "query_box", "reference_box",
              "inliers", "share", "coverage", "mirrored", "review")


def _match_evidence(m: Mapping[str, Any], others: int) -> dict[str, Any]:
    """What an operator needs to check a copy: the original, both regions, the method and score,
    and how many other originals matched less well."""
    out = {k: m[k] for k in MATCH_KEYS if m.get(k) is not None}
    for k in ("query_box", "reference_box"):
        if k in out:
            out[k] = [[int(x), int(y)] for x, y in out[k]]
    out["score"] = round(float(m["confidence"]), 4)
    out["other_matches"] = others
    return out


def _content_copies(matches: Sequence[Mapping[str, Any]], creator_id: str | None, content_id: str | None) -> list[Mapping[str, Any]]:
    """CR-6 non-original content: a cover or frame another creator's content showed first."""
    mine = [m["first_seen_at"] for m in matches if m.get("source") == "content" and m.get("owner") == creator_id]
    mine_first = min(mine) if mine else None
    theirs = [m for m in matches if m.get("source") == "content" and m.get("owner") != creator_id and m.get("product_id") != content_id
              and (mine_first is None or str(m["first_seen_at"]) < str(mine_first))]
    return sorted(theirs, key=_best_first)


class CopiedImage(Detector):
    kind = "copied_image"
    rules = ("DY-IP", "CR-6-COPY")

    def detect(self, subject: Subject, context: DetectContext) -> list[Finding]:
        found = self._rights(subject, context)
        if subject.kind == "content":
            found += self._frames(subject, context)
        return found

    def _frames(self, subject: Subject, context: DetectContext) -> list[Finding]:
        t = settings(context, self.kind, DEFAULTS)
        evidence, score, whose = [], 0.0, []
        for i, image in enumerate(subject.data.get("image_matches") or ()):
            field = id_field(i)
            if not isinstance(image, Mapping) or subject.fields.get(field) != image.get("image_id"):
                continue
            sure = [m for m in image.get("matches") or () if m["confidence"] >= t["min_confidence"]]
            copied = _content_copies(sure, subject.data.get("creator_id"), subject.data.get("content_id"))
            if copied:
                evidence.append(Evidence(field, 0, len(image["image_id"]), image["image_id"], _box(copied[0]), image["image_id"],
                                         _match_evidence(copied[0], len(copied) - 1)))
                whose.append((i, copied[0]))
                score = max(score, float(copied[0]["confidence"]))
        if not evidence:
            return []
        en = "; ".join(f"images[{i}] is content {m.get('product_id')}'s frame, by creator {m.get('owner')}" for i, m in whose)
        zh = "；".join(f"第{i + 1}张图片来自达人 {m.get('owner')} 的内容 {m.get('product_id')}" for i, m in whose)
        return [Finding("CR-6-COPY", self.kind, "general", score, Explanation(en="Copied frames: " + en, zh="搬运画面：" + zh), tuple(evidence))]

    def _rights(self, subject: Subject, context: DetectContext) -> list[Finding]:
        t = settings(context, self.kind, DEFAULTS)
        evidence, texts, score = [], [], 0.0
        for i, image in enumerate(subject.data.get("image_matches") or ()):
            field = id_field(i)
            if not isinstance(image, Mapping) or subject.fields.get(field) != image.get("image_id"):
                continue
            sure = [m for m in image.get("matches") or () if m["confidence"] >= t["min_confidence"]]
            counted = _counts(sure, subject.shop_id, subject.kind == "content")
            if not counted:
                continue
            best = counted[0]
            evidence.append(Evidence(field, 0, len(image["image_id"]), image["image_id"], _box(best), image["image_id"],
                                     _match_evidence(best, len(counted) - 1)))
            texts.append(_describe(i, best))
            score = max(score, float(best["confidence"]))
        if not evidence:
            return []
        explanation = Explanation(en="Copied image: " + "; ".join(en for en, _ in texts), zh="图片侵权：" + "；".join(zh for _, zh in texts))
        return [Finding("DY-IP", self.kind, severity_for(score, t), score, explanation, tuple(evidence))]

    @classmethod
    def examples(cls) -> tuple[Example, ...]:
        return _examples()


def _examples() -> tuple[Example, ...]:
    box = [[0, 0], [300, 0], [300, 200], [0, 200]]

    def match(ref: str, source: str = "listing", shop: str | None = "s2", owner: str | None = None, at: str = "2026-01-01T00:00:00Z", conf: float = 0.95) -> dict[str, Any]:
        return {"reference_id": ref, "source": source, "shop_id": shop, "product_id": "p9" if source == "listing" else None, "owner": owner,
                "first_seen_at": at, "method": "local", "confidence": conf, "query_box": box, "reference_box": box}

    def listing(*matches: dict[str, Any], shop: str = "s1") -> Subject:
        base = Subject.from_listing({"title": "夏季纯棉T恤"}, shop_id=shop)
        return with_image_matches(base, [{"image_id": "a" * 64, "matches": list(matches)}])

    def content(*matches: dict[str, Any]) -> Subject:
        base = Subject("content", {"title": "开箱"}, None, {"creator_id": "creator-1", "content_id": "v-new"})
        return with_image_matches(base, [{"image_id": "a" * 64, "matches": [m | {"product_id": "v-old"} if m["source"] == "content" else m
                                                                            for m in matches]}])

    ip = frozenset({"DY-IP"})
    return (
        Example(listing(match("b" * 64)), ip, "an image another shop showed first"),
        Example(listing(match("c" * 64, "protected", None, "brand-owner-1")), ip, "an image a rights owner registered"),
        Example(listing(match("a" * 64, shop="s1")), frozenset(), "the shop re-uses its own image"),
        Example(listing(match("a" * 64, shop="s1", at="2025-01-01T00:00:00Z"), match("b" * 64)), frozenset(),
                "another shop copied this shop's earlier image"),
        Example(listing(match("c" * 64, "protected", None, "s1")), frozenset(), "the shop owns the registered image"),
        Example(listing(match("b" * 64, conf=0.5)), frozenset(), "a match too weak to count"),
        Example(listing(match("b" * 64, conf=0.75) | {"review": True}), ip, "a match on an original with little detail: a case for a person"),
        Example(content(match("d" * 64, "content", None, "creator-2")), frozenset({"CR-6-COPY"}), "a frame another creator's content showed first"),
        Example(content(match("d" * 64, "content", None, "creator-1")), frozenset(), "the creator re-uses its own frame"),
        Example(content(match("b" * 64)), frozenset(), "content shows a listing's photo: promotion, not a copy"),
    )
