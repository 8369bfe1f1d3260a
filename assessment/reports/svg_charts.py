"""Draw the plotly figure dicts from charts.py as inline SVG with matplotlib, for the PDF reports."""

import io
import re
import threading

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from assessment.reports.svg_drawers import (
    DRAWERS,
    FONT_SIZE,
    GRID,
    MUTED,
    PAGE_ASPECT,
    TEXT,
    WEB_WIDTH_PX,
)

_STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "paydown-svg-charts",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": FONT_SIZE,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": "#9aa4b1",
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.facecolor": "none",
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelcolor": TEXT,
    "ytick.labelcolor": MUTED,
    "xtick.major.size": 0,
    "ytick.major.size": 0,
    "legend.frameon": False,
    "legend.fontsize": FONT_SIZE,
    "figure.facecolor": "none",
    "savefig.facecolor": "none",
    # Labels are project, team, bank and category names: "$x^2$" in a name is text, not maths.
    "text.parse_math": False,
}
# rc_context swaps the process-wide rcParams while it is open: two threads rendering at once would
# restore each other's settings, so renders take turns (each takes 0.1–0.4 s).
_RENDER_LOCK = threading.Lock()
_SIZE = re.compile(r' width="[\d.]+pt" height="[\d.]+pt"')


def figure_to_svg(figure: dict, *, width: float = 6.0, height: float = 4.0) -> str:
    """One figure dict from charts.py as an `<svg>` element to put inline in the report's HTML.

    `width` and `height` (inches) set the drawing's proportions and its text size relative to
    it; the element itself is `width="100%"` of its container, scaled through its viewBox. A
    heatmap whose layout asks for more height (many rows) gets it, up to what fits on an A4 page.
    Raises ValueError for a trace type charts.py does not produce.
    """
    traces = figure.get("data") or []
    layout = figure.get("layout") or {}
    kinds = {trace.get("type", "scatter") for trace in traces}
    if len(kinds) > 1:
        raise ValueError(f"cannot mix trace types in one chart: {sorted(kinds)}")
    kind = kinds.pop() if kinds else None
    if kind not in DRAWERS:
        raise ValueError(f"unsupported trace type: {kind!r}")
    if kind == "heatmap" and layout.get("height"):
        hint = min(layout["height"] / WEB_WIDTH_PX, PAGE_ASPECT)
        height = max(height, width * hint)

    buffer = io.StringIO()
    with _RENDER_LOCK, rc_context(_STYLE):
        fig = Figure(figsize=(width, height), layout="constrained")
        FigureCanvasSVG(fig)
        DRAWERS[kind](fig, traces, layout)
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    # Inline in HTML: no XML declaration or DOCTYPE before the element. The width in pt would
    # overflow a narrower column (WeasyPrint does not shrink it), so the element fills its
    # container and the viewBox keeps the aspect ratio.
    svg = svg[svg.index("<svg") :].strip() + "\n"
    return _SIZE.sub(' width="100%"', svg, count=1)
