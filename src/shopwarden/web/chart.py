"""A standing over time, drawn: a server-rendered SVG line (no script, so the pages' CSP holds),
with its thresholds or milestones as rules across it, `now` marked, and the forecast after it
dashed. People would rather look than read (CR-13, DY-QL-5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 220, 44, 12, 12, 28


@dataclass(frozen=True, slots=True)
class Line:
    value: float
    label: str


def svg(points: list[tuple[datetime, float]], now: datetime, lines: list[Line], title: str, day_label=lambda t: t.strftime("%m-%d")) -> Markup:
    """The chart of `points` (time order) in one <svg>; values after `now` are the forecast."""
    if not points:
        return Markup("")
    t0, t1 = points[0][0], points[-1][0]
    span = max((t1 - t0).total_seconds(), 1.0)
    top = max([v for _, v in points] + [ln.value for ln in lines] + [1.0]) * 1.08
    x = lambda t: PAD_L + (W - PAD_L - PAD_R) * (t - t0).total_seconds() / span  # noqa: E731
    y = lambda v: PAD_T + (H - PAD_T - PAD_B) * (1 - v / top)  # noqa: E731
    past = [(x(t), y(v)) for t, v in points if t <= now]
    ahead = [(x(t), y(v)) for t, v in points if t >= now]
    parts = [f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>",
             f'<line class="axis" x1="{PAD_L}" y1="{H - PAD_B}" x2="{W - PAD_R}" y2="{H - PAD_B}"/>']
    for ln in lines:
        parts.append(f'<line class="rule" x1="{PAD_L}" y1="{y(ln.value):.1f}" x2="{W - PAD_R}" y2="{y(ln.value):.1f}"/>'
                     f'<text class="rule-label" x="{PAD_L - 4}" y="{y(ln.value) + 4:.1f}" text-anchor="end">{escape(ln.label)}</text>')
    if past:
        parts.append(f'<polyline class="past" points="{_pts(past)}"/>')
    if len(ahead) > 1:
        parts.append(f'<polyline class="forecast" points="{_pts(ahead)}"/>')
    xn = x(min(max(now, t0), t1))
    parts.append(f'<line class="now" x1="{xn:.1f}" y1="{PAD_T}" x2="{xn:.1f}" y2="{H - PAD_B}"/>')
    shown: list[float] = []
    for t in (t0, t1, now):  # the ends, then `now` where it does not sit on one of them
        xt = x(min(max(t, t0), t1))
        if all(abs(xt - other) > 70 for other in shown):
            shown.append(xt)
            anchor = "start" if t == t0 else "end" if xt > W - PAD_R - 40 else "middle"
            parts.append(f'<text class="tick" x="{xt:.1f}" y="{H - 8}" text-anchor="{anchor}">{escape(day_label(t))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _pts(xy: list[tuple[float, float]]) -> str:
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in xy)



@dataclass(frozen=True, slots=True)
class Pair:
    label: str
    mine: float | None
    theirs: float | None


def bars(pairs: list[Pair], title: str, mine_label: str, theirs_label: str) -> Markup:
    """Each indicator as two bars, the shop's beside its industry's mean (DY-QL-5), on one scale."""
    if not pairs:
        return Markup("")
    top = max([p.mine or 0 for p in pairs] + [p.theirs or 0 for p in pairs] + [1e-9]) * 1.15
    row, label_w, w = 34, 170, W
    h = PAD_T + row * len(pairs) + 24
    scale = lambda v: (w - label_w - PAD_R - 60) * (v or 0) / top  # noqa: E731
    parts = [f'<svg class="chart bars" viewBox="0 0 {w} {h}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    for i, p in enumerate(pairs):
        y = PAD_T + i * row
        parts.append(f'<text class="tick" x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(p.label)}</text>')
        parts.append(f'<rect class="mine" x="{label_w}" y="{y + 2}" width="{scale(p.mine):.1f}" height="12"/>'
                     f'<text class="tick" x="{label_w + scale(p.mine) + 4:.1f}" y="{y + 12}">{_pct(p.mine)}</text>')
        parts.append(f'<rect class="theirs" x="{label_w}" y="{y + 16}" width="{scale(p.theirs):.1f}" height="12"/>'
                     f'<text class="tick" x="{label_w + scale(p.theirs) + 4:.1f}" y="{y + 26}">{_pct(p.theirs)}</text>')
    y = PAD_T + row * len(pairs) + 14
    parts.append(f'<rect class="mine" x="{label_w}" y="{y - 9}" width="10" height="10"/><text class="tick" x="{label_w + 14}" y="{y}">{escape(mine_label)}</text>'
                 f'<rect class="theirs" x="{label_w + 160}" y="{y - 9}" width="10" height="10"/><text class="tick" x="{label_w + 174}" y="{y}">{escape(theirs_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def counts(rows: list[tuple[str, int]], title: str) -> Markup:
    """Counts as horizontal bars on one scale under their title, each labelled (cut to fit) and numbered
    (the transparency report, DSA Art. 24)."""
    if not rows:
        return Markup("")
    top = max([n for _, n in rows] + [1])
    row, label_w, head = 22, 250, 26
    h = head + row * len(rows) + 6
    scale = lambda n: (W - label_w - PAD_R - 60) * n / top  # noqa: E731
    cut = lambda text: text if len(text) <= 34 else text[:33] + "…"  # noqa: E731
    parts = [f'<svg class="chart bars" viewBox="0 0 {W} {h}" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
             f'<title>{escape(title)}</title><text class="chart-title" x="0" y="16">{escape(title)}</text>']
    for i, (label, n) in enumerate(rows):
        y = head + i * row
        parts.append(f'<text class="tick" x="{label_w - 6}" y="{y + 12}" text-anchor="end"><title>{escape(label)}</title>{escape(cut(label))}</text>'
                     f'<rect class="mine" x="{label_w}" y="{y + 2}" width="{scale(n):.1f}" height="13"/>'
                     f'<text class="tick" x="{label_w + scale(n) + 4:.1f}" y="{y + 12}">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
