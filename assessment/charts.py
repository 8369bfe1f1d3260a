"""Pure: score data in, plotly figure dicts out; the web pages and the PDF draw from the same data."""

import math
import textwrap
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

ACCENT = "#1f5f8b"
TARGET = "#b3261e"
# Scores, low to high: cividis, a sequential scale that readers with any colour-vision deficiency
# see alike (Nuñez et al. 2018), its lightness rising with the score; the red-to-green scale it
# replaces read the same to red-green colour-blind readers at both ends (issue #18).
SEQUENTIAL = [
    [0, "#00224e"],
    [0.25, "#35456c"],
    [0.5, "#666970"],
    [0.75, "#a59c74"],
    [1, "#fee838"],
]
PALETTE = ["#1f5f8b", "#e08a00", "#2e8540", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d", "#d35400"]
# plotly's settings for a page's chart (charts.js reads them): its toolbar covered the legends (on
# hover, and after a tap on a phone), and each chart's numbers are in its table and the exports.
WITHOUT_TOOLBAR = {"displayModeBar": False}
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _category_ticks(names: Sequence[str], width: int = 12) -> dict:
    """An axis's category names on lines of about `width` characters: plotly never wraps a tick
    label, so a long one ran out of the chart ("Skills and c"). The names stay the axis's values,
    for the hovers and the PDF."""
    return {
        "tickmode": "array",
        "tickvals": list(names),
        "ticktext": [
            "<br>".join(textwrap.wrap(name, width, break_long_words=False)) or name
            for name in names
        ],
        "tickfont": {"size": 11},
    }


def _polar(names: Sequence[str]) -> dict:
    """A radar's axes: the first category at the top, going clockwise, and the score rings labelled
    only at 50 and 100, upright, between the first two spokes, where no category line runs: five
    labelled rings ran into each other on a small radar ("80100")."""
    between = 90 - (180 / len(names) if names else 0)
    return {
        "radialaxis": {
            "range": [0, 100],
            "tickvals": [25, 50, 75, 100],
            "ticktext": ["", "50", "", "100"],
            "angle": between,
            # Relative to the axis, which plotly turns by its angle: the same angle sets it upright.
            "tickangle": between,
            "showline": False,
        },
        "angularaxis": {"rotation": 90, "direction": "clockwise", **_category_ticks(names)},
    }


def _fitted_range(values: Sequence[float | None]) -> list[int]:
    """The scores' span widened to whole tens and at least 30 points, within 0–100: seven lines
    between 10 and 45 of a 0–100 axis could not be told apart."""
    present = [v for v in values if v is not None]
    if not present:
        return [0, 100]
    low = max(0, math.floor((min(present) - 5) / 10) * 10)
    high = min(100, math.ceil((max(present) + 5) / 10) * 10)
    while high - low < 30:
        low, high = max(0, low - 10), min(100, high + 10)
    return [low, high]


def _layout(**extra) -> dict:
    return {
        "font": FONT,
        "margin": {"l": 48, "r": 24, "t": 40, "b": 64},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "legend": {"orientation": "h", "y": 1.08, "x": 0, "yanchor": "bottom"},
        **extra,
    }


def radar(
    names: Sequence[str], actual: Sequence[Decimal | None], target: Sequence[Decimal | None]
) -> dict:
    """Category scores against the project's targets, 0–100; N/A categories are left as gaps."""
    closed = [*names, names[0]] if names else []

    def close(values):
        values = [_number(v) for v in values]
        return [*values, values[0]] if values else []

    return {
        "data": [
            {
                "type": "scatterpolar",
                "r": close(target),
                "theta": closed,
                "name": "Target",
                "line": {"color": TARGET, "dash": "dash"},
                "fill": "none",
            },
            {
                "type": "scatterpolar",
                "r": close(actual),
                "theta": closed,
                "name": "Score",
                "line": {"color": ACCENT},
                "fill": "toself",
                "fillcolor": "rgba(31,95,139,0.18)",
            },
        ],  # fmt: skip
        "layout": _layout(
            polar=_polar(names), showlegend=True, margin={"l": 72, "r": 72, "t": 56, "b": 64}
        ),
    }


def delta_bars(
    names: Sequence[str], current: Sequence[Decimal | None], previous: Sequence[Decimal | None]
) -> dict:
    """This assessment's category scores beside the previous one's."""
    data = []
    if any(v is not None for v in previous):
        data.append({"type": "bar", "x": list(names), "y": [_number(v) for v in previous],
                     "name": "Previous", "marker": {"color": "#b8c4d0"}})  # fmt: skip
    data.append({"type": "bar", "x": list(names), "y": [_number(v) for v in current],
                 "name": "This assessment", "marker": {"color": ACCENT}})  # fmt: skip
    return {
        "data": data,
        "layout": _layout(
            barmode="group",
            yaxis={"range": [0, 100], "title": {"text": "Score"}, "automargin": True},
            # Labels too long for their slot tilt; automargin makes room for them, uncut.
            xaxis={"automargin": True, **_category_ticks(names)},
            margin={"l": 48, "r": 24, "t": 40, "b": 24},
        ),
    }


def trend(dates: Sequence[str], series: dict[str, Sequence[Decimal | None]]) -> dict:
    """Scores over time on shared dates: one line per series, the first (overall) drawn bolder."""
    figure = trends(
        {name: list(zip(dates, values, strict=True)) for name, values in series.items()},
        emphasize_first=True,
    )
    figure["config"] = WITHOUT_TOOLBAR
    return figure


def heatmap(
    projects: Sequence[str], categories: Sequence[str], scores: Sequence[Sequence[Decimal | None]]
) -> dict:
    """Projects × categories coloured by score, dark (debt) to light, with each score printed in
    its cell; N/A cells stay empty."""
    z = [[_number(v) for v in row] for row in scores]
    text = [["N/A" if v is None else f"{v:.0f}" for v in row] for row in scores]
    return {
        "data": [
            {
                "type": "heatmap",
                "z": z,
                "x": list(categories),
                "y": list(projects),
                "text": text,
                "texttemplate": "%{text}",
                "hovertemplate": "%{y} · %{x}: %{text}<extra></extra>",
                "zmin": 0,
                "zmax": 100,
                "colorscale": SEQUENTIAL,
                # No colour bar: each cell prints its score, and plotly draws the bar's fills
                # with style attributes, which the CSP refuses (a console error on every load).
                "showscale": False,
                "xgap": 2,
                "ygap": 2,
            }
        ],
        "layout": _layout(
            height=max(260, 120 + 28 * len(projects)),
            margin={"l": 180, "r": 16, "t": 16, "b": 16},
            yaxis={"autorange": "reversed", "automargin": True},
            # The category names on top, where the reader starts, wrapped rather than cut; plotly
            # turns them when they would still overlap, and the margin grows to fit them.
            xaxis={"side": "top", "automargin": True, **_category_ticks(categories, width=16)},
        ),
    }


def level_distribution(
    categories: Sequence[str], counts: Sequence[Sequence[int]], level_names: Sequence[str]
) -> dict:
    """How many projects sit at each maturity level, per category: stacked bars."""
    colours = ["#b3261e", "#e08a00", "#f0c94a", "#7cb66b", "#2e8540"]
    return {
        "data": [
            {
                "type": "bar",
                "x": list(categories),
                "y": [row[level] for row in counts],
                "name": name,
                "marker": {"color": colours[level % len(colours)]},
            }
            for level, name in enumerate(level_names)
        ],
        # automargin: room below for the category names, which plotly turns on a narrow chart.
        "layout": _layout(
            barmode="stack",
            yaxis={"title": {"text": "Projects"}},
            xaxis={"automargin": True, **_category_ticks(categories)},
        ),
    }


def radar_compare(categories: Sequence[str], series: dict[str, Sequence[Decimal | None]]) -> dict:
    """Two to five projects' category scores on one radar."""
    closed = [*categories, categories[0]] if categories else []
    data = []
    for index, (name, values) in enumerate(series.items()):
        r = [_number(v) for v in values]
        data.append({"type": "scatterpolar", "r": [*r, r[0]] if r else [], "theta": closed, "name": name,
                     "line": {"color": PALETTE[index % len(PALETTE)]}, "fill": "none"})  # fmt: skip
    return {
        "data": data,
        "layout": _layout(
            # The category names wrap (_polar), so the radar's margins hold them: side margins wide
            # enough for unwrapped names ("iguration" was cut) left a phone a dot of a circle.
            polar=_polar(categories),
            margin={"l": 72, "r": 72, "t": 56, "b": 64},
        ),
    }


def trends(
    series: dict[str, Sequence[tuple[str, Decimal | None]]],
    *,
    emphasize_first: bool = False,
    in_points: bool = False,
) -> dict:
    """Scores over time, one line per series, each with its own dates. `in_points`: ML Test
    Score final scores, drawn in whole points from 0 to one above the best."""
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": name, "x": [d for d, _ in points],
         "y": [_number(v) for _, v in points],
         "line": {"color": PALETTE[index % len(PALETTE)], "width": 3 if emphasize_first and index == 0 else 1.5}}
        for index, (name, points) in enumerate(series.items())
    ]  # fmt: skip
    values = [value for trace in data for value in trace["y"] if value is not None]
    if in_points:
        low, high, step, title = 0, math.ceil(max(values, default=0)) + 1, 1, _("Points")
    else:
        low, high = _fitted_range(values)
        step = 10
        # The axis shows only the scores' span, so its title says where that sits on 0–100.
        title = (
            _("Score")
            if (low, high) == (0, 100)
            else _("Score (%(low)s–%(high)s of 0–100)") % {"low": low, "high": high}
        )
    return {
        "data": data,
        "layout": _layout(
            yaxis={
                "range": [low, high],
                "dtick": step,
                "title": {"text": title},
                "automargin": True,
            },
            xaxis={"automargin": True, **_date_span([x for trace in data for x in trace["x"]])},
            hovermode="x unified",
            # Room for the last date's label, tilted on a phone, to the right of the last point.
            margin={"l": 48, "r": 40, "t": 40, "b": 48},
        ),
    }


def _date_span(dates: Sequence[str]) -> dict:
    """Scores of a single fortnight (one assessment each, say) get a month either side, labelled by
    day: plotly zoomed in to that day's hours ("23:59:59.999")."""
    days = sorted({date.fromisoformat(str(day)[:10]) for day in dates})
    if not days or (days[-1] - days[0]).days >= 14:
        return {}
    month = timedelta(days=30)
    return {
        "range": [(days[0] - month).isoformat(), (days[-1] + month).isoformat()],
        "tickformat": "%-d %b %Y",
    }


def result_figures(categories: Sequence) -> dict[str, dict]:
    """The results page's and the audit report's figures, from the page's category rows."""
    names = [row.result.name for row in categories]
    scores = [row.result.score for row in categories]
    return {
        "radar": {
            **radar(names, scores, [row.target for row in categories]),
            "config": WITHOUT_TOOLBAR,
        },
        "bars": {
            **delta_bars(names, scores, [row.previous for row in categories]),
            "config": WITHOUT_TOOLBAR,
        },
    }


def portfolio_figures(data, heatmap_rows: Sequence) -> dict[str, dict]:
    """The dashboard's and the portfolio report's figures, from one portfolio read."""
    names = [name for _, name in data.categories]
    keys = data.category_keys
    distribution = data.distribution
    figures = {
        "heatmap": heatmap(
            [row.project.name for row in heatmap_rows],
            names,
            [[row.scores.get(key) for key in keys] for row in heatmap_rows],
        ),
        "distribution": level_distribution(
            names, [distribution[key] for key in keys], data.level_names
        ),
        "radar": radar_compare(
            names, {row.project.name: [row.scores.get(k) for k in keys] for row in data.compared}
        ),
        "trends": trends(
            {
                name: [(when.date().isoformat(), value) for when, value in points]
                for name, points in data.trends.items()
            },
            in_points=data.trends_in_points,
        ),
    }
    for figure in figures.values():
        # plotly's toolbar covered the legends (on a phone a tap shows it); every number is in
        # the tables and the exports, so the dashboard goes without it.
        figure["config"] = WITHOUT_TOOLBAR
    return figures
