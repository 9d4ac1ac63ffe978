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
    for t in (t0, now, t1):
        parts.append(f'<text class="tick" x="{x(t):.1f}" y="{H - 8}" text-anchor="middle">{escape(day_label(t))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _pts(xy: list[tuple[float, float]]) -> str:
    return " ".join(f"{a:.1f},{b:.1f}" for a, b in xy)

