"""The matplotlib drawings behind svg_charts: one function per kind of plotly trace charts.py
makes, each drawing a figure dict's traces into a matplotlib Figure. Called under svg_charts' lock."""

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from math import cos, pi

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch
from matplotlib.textpath import TextToPath
from matplotlib.ticker import MaxNLocator

TEXT = "#1d2430"
MUTED = "#5b6574"
GRID = "#e3e7ec"
FONT_SIZE = 8.5
PX = 0.75  # plotly sizes are CSS pixels; matplotlib's are points
# Roughly how wide plotly draws a chart on the web: turns layout.height into an aspect ratio.
WEB_WIDTH_PX = 900
# Height over width of report.css's A4 content box (174 × 255 mm), less room for a caption.
PAGE_ASPECT = 1.4

_RGBA = re.compile(r"rgba?\(([^)]*)\)")
_TEXT_PATH = TextToPath()  # measures label widths; used under svg_charts._RENDER_LOCK only


def _number(value: float | int | None) -> float:
    return np.nan if value is None else float(value)


def _numbers(values: Iterable[float | int | None]) -> np.ndarray:
    return np.array([_number(v) for v in values], dtype=float)


def _colour(value: str | None, default: str = MUTED) -> str | tuple[float, float, float, float]:
    """Plotly colours: '#hex', CSS names, 'rgb(…)' and 'rgba(…)' (which matplotlib cannot parse)."""
    if not value:
        return default
    match = _RGBA.fullmatch(value.replace(" ", ""))
    if not match:
        return value
    parts = [float(p) for p in match.group(1).split(",")]
    alpha = parts[3] if len(parts) > 3 else 1.0
    return (parts[0] / 255, parts[1] / 255, parts[2] / 255, alpha)


def _ordered(groups: Iterable[Sequence[str]]) -> list[str]:
    """Categories in order of first appearance across traces, as plotly orders them."""
    return list(dict.fromkeys(name for group in groups for name in group))


def _no_data(ax: Axes) -> None:
    ax.text(0.5, 0.5, "No data", transform=ax.transAxes, ha="center", va="center", color=MUTED)


def _axis_title(layout: dict, axis: str) -> str:
    title = (layout.get(axis) or {}).get("title") or {}
    return title.get("text", "") if isinstance(title, dict) else str(title)


def _legend(fig: Figure, handles: list, labels: list[str]) -> None:
    """Above the plot, outside it, as on the web; only when there is something to tell apart."""
    if len(labels) < 2:
        return
    # Equal columns as wide as the longest entry plus its swatch, as many as fit on one line.
    entry = max(_text_width(label) for label in labels) + 30
    columns = max(1, min(len(labels), int(fig.get_figwidth() * 72 * 0.95 / entry)))
    fig.legend(handles, labels, loc="outside upper center", ncols=columns, handlelength=1.6)


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    """Width in points of one line in the chart font (call inside the rc_context)."""
    width, _, _ = _TEXT_PATH.get_text_width_height_descent(text, FontProperties(size=size), False)
    return width


def _wrap(name: str, limit: float) -> str | None:
    """`name` on up to three lines no wider than `limit` points, or None when it cannot fit."""
    lines: list[str] = []
    for word in name.split():
        if lines and _text_width(f"{lines[-1]} {word}") <= limit:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > 3 or any(_text_width(line) > limit for line in lines):
        return None
    return "\n".join(lines)


def _category_labels(
    ax: Axes, names: Sequence[str], *, offset: float = 0.0, beside: float = 40.0
) -> None:
    """Wrap long category names onto lines; tilt them all when even wrapped ones would collide.

    `beside` is roughly how many points the y labels (and colorbar) take from the figure's width.
    """
    if not names:
        ax.set_xticks([])
        return
    positions = np.arange(len(names)) + offset
    slot = (ax.figure.get_figwidth() * 72 - beside) / len(names)
    wrapped = [_wrap(name, slot - 6) for name in names]
    if None in wrapped:
        ax.set_xticks(positions, names, rotation=30, ha="right", rotation_mode="anchor")
    else:
        ax.set_xticks(positions, wrapped)


def _draw_polar(fig: Figure, traces: list[dict], layout: dict) -> None:
    ax = fig.add_subplot(projection="polar")
    ax.grid(True, color=GRID, linewidth=0.6)
    ax.spines["polar"].set(color=GRID, linewidth=0.8)
    categories = _ordered(trace.get("theta") or [] for trace in traces)
    step = 2 * pi / len(categories) if categories else 0.0
    angles = {name: index * step for index, name in enumerate(categories)}
    handles, labels = [], []
    anything = False
    for trace in traces:
        theta = np.array([angles[name] for name in trace.get("theta") or []], dtype=float)
        r = _numbers(trace.get("r") or [])
        line = trace.get("line") or {}
        colour = _colour(line.get("color"))
        style = "--" if line.get("dash") in ("dash", "longdash") else "-"
        (drawn,) = ax.plot(
            theta, r, color=colour, linestyle=style, linewidth=1.5, marker="o", markersize=4
        )
        handle = drawn
        fill = _colour(trace.get("fillcolor"), default="none")
        if trace.get("fill") == "toself" and fill != "none":
            # Each unbroken run fills on its own: an N/A category opens the shape, as on the web.
            for run in _runs(r):
                if len(run) >= 3:
                    ax.fill(theta[run], r[run], color=fill, linewidth=0)
            handle = Patch(facecolor=fill, edgecolor=colour, linestyle=style)
        anything = anything or bool(np.isfinite(r).any())
        if trace.get("name"):
            handles.append(handle)
            labels.append(trace["name"])

    radial = (layout.get("polar") or {}).get("radialaxis") or {}
    if radial.get("range"):
        ax.set_ylim(*radial["range"])
    low, high = ax.get_ylim()
    ticks = radial.get("tickvals") or [t for t in ax.get_yticks() if low < t <= high]
    ax.set_yticks(ticks)
    ax.set_yticklabels([])
    # Numbers of the rings sit halfway between two spokes, on top of the score lines with a
    # backing box so they stay legible where lines cross them (tick labels would draw below).
    label_angle = step / 2 if categories else pi / 8
    for tick in ticks:
        ax.text(
            label_angle, tick, f"{tick:g}", ha="center", va="center", color=MUTED,
            size=FONT_SIZE - 1.5, zorder=5,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 0.8},
        )  # fmt: skip
    # Long names on two or three lines: constrained layout does not make room for a polar axis'
    # labels, so one line ran off the drawing ("People, process and governan", issue #18).
    limit = ax.figure.get_figwidth() * 72 / 4
    ax.set_xticks(
        [angles[name] for name in categories],
        [_wrap(name, limit) or name for name in categories],
    )
    ax.tick_params(axis="x", pad=4)
    for label, name in zip(ax.get_xticklabels(), categories, strict=True):
        # Labels beside the circle grow away from it instead of running over it.
        side = cos(angles[name])
        label.set_horizontalalignment(
            "left" if side > 0.1 else "right" if side < -0.1 else "center"
        )
    if anything:
        _legend(fig, handles, labels)
    else:
        _no_data(ax)


def _runs(values: np.ndarray) -> list[list[int]]:
    runs: list[list[int]] = []
    current: list[int] = []
    for index, value in enumerate(values):
        if np.isfinite(value):
            current.append(index)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _draw_bars(fig: Figure, traces: list[dict], layout: dict) -> None:
    ax = fig.add_subplot()
    categories = _ordered(trace.get("x") or [] for trace in traces)
    position = {name: index for index, name in enumerate(categories)}
    stacked = layout.get("barmode") in ("stack", "relative")
    # Plotly's default bargap of 0.2: a category's bars fill 80% of its slot.
    width = 0.8 if stacked else 0.8 / max(1, len(traces))
    bottoms = np.zeros(len(categories))
    handles, labels = [], []
    anything = False
    for index, trace in enumerate(traces):
        offset = 0.0 if stacked else (index - (len(traces) - 1) / 2) * width
        xs, ys, base = [], [], []
        for name, value in zip(trace.get("x") or [], trace.get("y") or [], strict=False):
            # A zero-height segment draws nothing, and on a stack it would pin the y limit.
            if value is None or (stacked and value == 0):
                continue
            xs.append(position[name] + offset)
            ys.append(float(value))
            base.append(bottoms[position[name]] if stacked else 0.0)
            if stacked:
                bottoms[position[name]] += float(value)
        colour = _colour((trace.get("marker") or {}).get("color"))
        bars = ax.bar(xs, ys, width, bottom=base, color=colour, linewidth=0)
        anything = anything or any(v is not None for v in trace.get("y") or [])
        if trace.get("name"):
            handles.append(bars if ys else Patch(facecolor=colour))
            labels.append(trace["name"])

    ax.set_xlim(-0.5, max(len(categories), 1) - 0.5)
    _category_labels(ax, categories)
    yaxis = layout.get("yaxis") or {}
    if yaxis.get("range"):
        ax.set_ylim(*yaxis["range"])
    else:
        # Counts: whole ticks, from zero, and an axis of 0–1 rather than ±0.05 when all are 0.
        if all(float(v).is_integer() for t in traces for v in t.get("y") or [] if v is not None):
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, max(ax.get_ylim()[1], 1))
    ax.set_ylabel(_axis_title(layout, "yaxis"))
    if anything:
        _legend(fig, handles, labels)
    else:
        _no_data(ax)


def _dates(values: Sequence[str]) -> list[date] | None:
    try:
        return [date.fromisoformat(value[:10]) for value in values]
    except (TypeError, ValueError):
        return None


def _draw_lines(fig: Figure, traces: list[dict], layout: dict) -> None:
    ax = fig.add_subplot()
    ax.grid(True, axis="x", color=GRID, linewidth=0.4)
    xs = [trace.get("x") or [] for trace in traces]
    as_dates = [_dates(x) for x in xs]
    dated = all(d is not None for d in as_dates) and any(xs)
    categories = [] if dated else _ordered(xs)
    position = {name: index for index, name in enumerate(categories)}
    handles, labels = [], []
    anything = False
    for trace, x, x_dates in zip(traces, xs, as_dates, strict=True):
        y = _numbers(trace.get("y") or [])
        line = trace.get("line") or {}
        mode = trace.get("mode", "lines+markers")
        (drawn,) = ax.plot(
            x_dates if dated else [position[name] for name in x],
            y,
            color=_colour(line.get("color")),
            linewidth=float(line.get("width", 2)) * PX,
            linestyle="-" if "lines" in mode else "none",
            marker="o" if "markers" in mode else None,
            markersize=4.5,
        )
        anything = anything or bool(np.isfinite(y).any())
        if trace.get("name"):
            handles.append(drawn)
            labels.append(trace["name"])

    if dated:
        days = [d for trace_dates in as_dates for d in trace_dates]
        if days and max(days) == min(days):
            # A single date: a fortnight around it, or the date locator finds no sensible ticks.
            ax.set_xlim(min(days) - timedelta(days=7), max(days) + timedelta(days=7))
        locator = AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    else:
        ax.set_xlim(-0.5, max(len(categories), 1) - 0.5)
        _category_labels(ax, categories)
    yaxis = layout.get("yaxis") or {}
    if yaxis.get("range"):
        ax.set_ylim(*yaxis["range"])
    ax.set_ylabel(_axis_title(layout, "yaxis"))
    if anything:
        _legend(fig, handles, labels)
    else:
        _no_data(ax)


def _draw_heatmap(fig: Figure, traces: list[dict], layout: dict) -> None:
    trace = traces[0]
    ax = fig.add_subplot()
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    rows = list(trace.get("y") or [])
    columns = list(trace.get("x") or [])
    z = np.array([_numbers(row) for row in trace.get("z") or []], dtype=float)
    if z.size == 0:
        ax.set_xticks([])
        ax.set_yticks([])
        _no_data(ax)
        return
    stops = trace.get("colorscale") or [[0, "#ffffff"], [1, "#1f5f8b"]]
    cmap = LinearSegmentedColormap.from_list(
        "plotly", [(float(p), c) for p, c in stops]
    ).with_extremes(bad=(0, 0, 0, 0))
    finite = z[np.isfinite(z)]
    low, high = (finite.min(), finite.max()) if finite.size else (0.0, 1.0)
    norm = Normalize(trace.get("zmin", low), trace.get("zmax", high))
    # White cell borders stand in for plotly's xgap/ygap.
    mesh = ax.pcolormesh(
        np.ma.masked_invalid(z), cmap=cmap, norm=norm, edgecolors="white", linewidth=1.5
    )
    ax.set_yticks(np.arange(len(rows)) + 0.5, rows)
    ax.set_xlim(0, z.shape[1])
    ax.set_ylim(0, z.shape[0])
    if (layout.get("yaxis") or {}).get("autorange") == "reversed":
        ax.invert_yaxis()

    row_pt = fig.get_figheight() * 72 * 0.8 / z.shape[0]
    size = min(FONT_SIZE - 0.5, max(5.0, row_pt * 0.55))
    row_size = min(FONT_SIZE, max(6.0, row_pt * 0.6))
    ax.tick_params(axis="y", labelcolor=TEXT, labelsize=row_size)
    row_labels = max((_text_width(str(row), row_size) for row in rows), default=0.0)
    _category_labels(ax, columns, offset=0.5, beside=row_labels + 60)
    text = trace.get("text") or []
    for i, row in enumerate(text):
        for j, label in enumerate(row):
            value = z[i, j]
            if np.isfinite(value):
                red, green, blue, _ = cmap(norm(value))
                # Dark text on light cells, white on dark ones (plotly's auto contrast).
                light = 0.299 * red + 0.587 * green + 0.114 * blue > 0.55
                colour = TEXT if light else "white"
            else:
                colour = MUTED
            # Inside their cells, so the layout need not measure them: faster with many rows.
            ax.text(
                j + 0.5, i + 0.5, str(label), ha="center", va="center", color=colour, size=size,
                in_layout=False,
            )  # fmt: skip

    bar_title = ((trace.get("colorbar") or {}).get("title") or {}).get("text", "")
    axes_height = fig.get_figheight() * 0.8
    bar_length = min(axes_height, 2.6)
    colorbar = fig.colorbar(
        mesh, ax=ax, shrink=bar_length / axes_height, aspect=bar_length / 0.12, pad=0.02
    )
    colorbar.outline.set_visible(False)
    colorbar.ax.tick_params(labelsize=FONT_SIZE - 1, labelcolor=MUTED)
    colorbar.set_label(bar_title, color=MUTED)


def _draw_empty(fig: Figure, traces: list[dict], layout: dict) -> None:
    ax = fig.add_subplot()
    ax.set_axis_off()
    _no_data(ax)


DRAWERS: dict[str | None, Callable[[Figure, list[dict], dict], None]] = {
    "scatterpolar": _draw_polar,
    "bar": _draw_bars,
    "scatter": _draw_lines,
    "heatmap": _draw_heatmap,
    None: _draw_empty,
}
