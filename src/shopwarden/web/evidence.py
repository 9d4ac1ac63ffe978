"""Findings drawn for people: evidence spans marked in the text they index, and image regions as
polygons over the image (pure functions; the templates only lay them out)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    text: str
    rules: tuple[str, ...] = ()  # empty: plain text; else the rules whose evidence covers it


@dataclass(frozen=True)
class Box:
    points: str  # "x1,y1 x2,y2 …" for an SVG polygon
    rule: str
    text: str


def spans_by_field(findings: list[dict]) -> dict[str, list[tuple[int, int, str]]]:
    out: dict[str, list[tuple[int, int, str]]] = {}
    for f in findings:
        for e in f.get("evidence", ()):
            if "start" in e and "end" in e and not e.get("box"):
                out.setdefault(e["field"], []).append((int(e["start"]), int(e["end"]), f.get("rule", "")))
    return out


def segments(text: str, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """`text` cut at every span edge; each piece carries the rules of the spans covering it.
    Spans outside the text are clipped (a listing edited since is shown as it is now)."""
    edges = {0, len(text)}
    for start, end, _ in spans:
        edges |= {max(0, min(start, len(text))), max(0, min(end, len(text)))}
    cuts = sorted(edges)
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a == b:
            continue
        rules = tuple(dict.fromkeys(r for s, e, r in spans if s <= a and b <= e))
        out.append(Segment(text[a:b], rules))
    return out


def marked_fields(fields: dict[str, str], findings: list[dict]) -> list[tuple[str, list[Segment], bool]]:
    """Every text field with its marks; fields with evidence first."""
    spans = spans_by_field(findings)
    rows = [(name, segments(text, spans.get(name, [])), name in spans) for name, text in fields.items() if text]
    return sorted(rows, key=lambda r: not r[2])


def boxes_by_image(findings: list[dict]) -> dict[str, list[Box]]:
    out: dict[str, list[Box]] = {}
    for f in findings:
        for e in f.get("evidence", ()):
            if e.get("image_id") and e.get("box"):
                pts = " ".join(f"{int(x)},{int(y)}" for x, y in e["box"])
                out.setdefault(e["image_id"], []).append(Box(pts, f.get("rule", ""), e.get("text", "")))
    return out
