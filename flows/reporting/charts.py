"""SVG charts drawn on the server: no JavaScript, no CDN. Each series has its
own marker shape, dash pattern and a label at its end, so the chart reads in
black and white; `<title>`, `<desc>` and the data table are the text alternative."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 320, 48, 70, 20, 50
DASHES = ("", "8 4", "2 3", "10 3 2 3")
MARKERS = ("circle", "square", "triangle", "diamond")


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="white" stroke="black"/>'
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="black"/>'
    if kind == "triangle":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} '
                f'{x + 5:.1f},{y + 4:.1f}" fill="white" stroke="black"/>')
    return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
            f'{x - 5:.1f},{y:.1f}" fill="black"/>')


def describe(series: Mapping[str, Sequence[float | None]], labels: Sequence[str]) -> str:
    """The data in words: the chart's <desc> and a screen reader's reading."""
    parts = []
    for name, values in series.items():
        shown = [f"{label} {'suppressed' if v is None else f'{v:g}%'}"
                 for label, v in zip(labels, values, strict=True)]
        parts.append(f"{name}: " + ", ".join(shown))
    return "; ".join(parts) + "."


def trend_svg(title: str, labels: Sequence[str],
              series: Mapping[str, Sequence[float | None]]) -> str:
    """A line chart of percentages (0-100) by period; None leaves a gap."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return LEFT + i * step, TOP + plot_h * (1 - v / 100)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'role="img" aria-labelledby="chart-title chart-desc" font-family="sans-serif" '
           f'font-size="12">',
           f'<title id="chart-title">{escape(title)}</title>',
           f'<desc id="chart-desc">{escape(describe(series, labels))}</desc>',
           '<rect width="100%" height="100%" fill="white"/>']
    for tick in range(0, 101, 25):
        _, y = xy(0, tick)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                   f'stroke="#bbb" stroke-width="0.5"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}%</text>')
    for i, label in enumerate(labels):
        x, _ = xy(i, 0)
        out.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18}" '
                   f'text-anchor="middle">{escape(label)}</text>')
    for n, (name, values) in enumerate(series.items()):
        dash, marker = DASHES[n % len(DASHES)], MARKERS[n % len(MARKERS)]
        runs, run = [], []
        for i, v in enumerate(values):
            if v is None:
                runs, run = runs + [run] if run else runs, []
            else:
                run.append(xy(i, v))
        runs += [run] if run else []
        for points in runs:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="black" '
                       f'stroke-width="1.5" stroke-dasharray="{dash}"/>')
            out.extend(_marker(marker, x, y) for x, y in points)
        last = next(((i, v) for i, v in reversed(list(enumerate(values))) if v is not None),
                    None)
        if last:
            x, y = xy(*last)
            out.append(f'<text x="{x + 8:.1f}" y="{y + 4 + 12 * (n - 1.5):.1f}">'
                       f'{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)
