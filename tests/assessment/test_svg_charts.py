"""The PDF's charts: charts.py's figures as inline SVG that keep their text and values, always."""

import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal as D
from math import cos, pi, sin

import matplotlib
import numpy as np
import pytest

from assessment import charts
from assessment.reports import svg_charts

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
CATEGORIES = ["Data", "Code", "Feedback loops", "Configuration", "Operations", "Skills & culture"]
PROJECTS = ["Search & ranking", "Fraud detection", "Churn model"]
LEVELS = ["Initial", "Managed", "Defined", "Measured", "Optimising"]
SCORES = [D("62.5"), D("40.0"), None, D("75.0"), D("55.5"), D("81.2")]
TARGETS = [D("80.0"), D("70.0"), D("60.0"), D("80.0"), None, D("90.0")]
DATES = ["2025-03-31", "2025-06-30", "2025-09-30", "2026-01-31"]

FIGURES = {
    "radar": (charts.radar(CATEGORIES, SCORES, TARGETS), [*CATEGORIES, "Target", "Score"]),
    "delta_bars": (
        charts.delta_bars(
            CATEGORIES, SCORES, [D("50.0"), D("45.5"), D("30.0"), None, D(60), D(70)]
        ),
        [*CATEGORIES, "Previous", "This assessment"],
    ),
    "trend": (
        charts.trend(
            DATES,
            {
                "Overall": [D("41.3"), D("48.0"), None, D("63.2")],
                "Data": [D(30), D(50), D("55.5"), D(70)],
                "Skills & culture": [None, D(20), D(35), D(41)],
            },
        ),
        ["Overall", "Data", "Skills & culture"],
    ),
    "heatmap": (
        charts.heatmap(
            PROJECTS,
            CATEGORIES,
            [SCORES, TARGETS, [D("12.4"), D("99.6"), D(50), D(0), D(100), None]],
        ),
        [*PROJECTS, *CATEGORIES],
    ),
    "level_distribution": (
        charts.level_distribution(
            CATEGORIES,
            [[1, 3, 5, 2, 0], [0, 2, 4, 4, 1], [3, 3, 3, 1, 0], [0, 0, 5, 5, 1], [2] * 5, [1] * 5],
            LEVELS,
        ),
        [*CATEGORIES, *LEVELS],
    ),
    "radar_compare": (
        charts.radar_compare(
            CATEGORIES, dict(zip(PROJECTS, [SCORES, TARGETS, SCORES[::-1]], strict=True))
        ),
        [*CATEGORIES, *PROJECTS],
    ),
    "trends": (
        charts.trends(
            {
                PROJECTS[0]: [("2025-01-15", D("40.0")), ("2025-06-01", D("55.5"))],
                PROJECTS[1]: [("2025-03-01", None), ("2025-09-01", D("48.2"))],
                PROJECTS[2]: [("2026-01-10", D("71.0"))],
            }
        ),
        PROJECTS,
    ),
}
EMPTY = {
    "radar": charts.radar([], [], []),
    "radar all N/A": charts.radar(CATEGORIES[:3], [None] * 3, [None] * 3),
    "delta_bars": charts.delta_bars([], [], []),
    "trend": charts.trend([], {}),
    "trend all N/A": charts.trend(DATES[:2], {"Overall": [None, None]}),
    "heatmap": charts.heatmap([], [], []),
    "level_distribution": charts.level_distribution([], [], LEVELS),
    "radar_compare": charts.radar_compare([], {}),
    "trends": charts.trends({}),
}


def texts(svg: str) -> list[str]:
    """Each <text> element's content, in drawing order (a wrapped label is several in a row)."""
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def coordinates(path: ET.Element) -> tuple[list[float], list[float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d"))]
    return numbers[0::2], numbers[1::2]


def value_at(svg: str):
    """Turns a height in the drawing into a value on the y axis, from its grid lines' labels."""
    ticks = []
    for tick in ET.fromstring(svg).iter(f"{SVG}g"):
        if tick.get("id", "").startswith("ytick_"):
            _, ys = coordinates(next(tick.iter(f"{SVG}path")))
            ticks.append((float(texts(ET.tostring(tick, encoding="unicode"))[0]), ys[0]))
    (low, low_y), (high, high_y) = min(ticks), max(ticks)
    return lambda y: low + (y - low_y) * (high - low) / (high_y - low_y)


def bars(svg: str, colour: str) -> list[tuple[float, float, float]]:
    """(middle, top, bottom) of each bar filled with `colour` in the plot (the legend's swatches
    are not clipped to it), in drawing order."""
    found = []
    for path in ET.fromstring(svg).iter(f"{SVG}path"):
        if path.get("clip-path") and path.get("style") == f"fill: {colour}":
            xs, ys = coordinates(path)
            found.append(((min(xs) + max(xs)) / 2, min(ys), max(ys)))
    return found


def points(svg: str, colour: str) -> list[tuple[float, float]]:
    """The markers of the line in `colour` in the plot (the legend's are not clipped)."""
    return [
        (float(use.get("x")), float(use.get("y")))
        for group in ET.fromstring(svg).iter(f"{SVG}g") if group.get("clip-path")
        for use in group.iter(f"{SVG}use") if f"fill: {colour};" in use.get("style", "")
    ]  # fmt: skip


@pytest.mark.parametrize("kind", FIGURES)
def test_svg_is_an_inline_element_that_scales(kind):
    svg = svg_charts.figure_to_svg(FIGURES[kind][0])

    root = ET.fromstring(svg)
    assert svg.startswith("<svg") and "<?xml" not in svg and "<!DOCTYPE" not in svg
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%" and root.get("height") is None
    assert len(root.get("viewBox").split()) == 4


@pytest.mark.parametrize("kind", FIGURES)
def test_every_name_is_text_in_the_svg(kind):
    figure, names = FIGURES[kind]

    svg = svg_charts.figure_to_svg(figure)

    drawn = " ".join(texts(svg))
    for name in names:
        assert name in drawn
    assert "DejaVu Sans" in svg


@pytest.mark.parametrize("kind", FIGURES)
def test_same_figure_same_bytes(kind):
    figure = FIGURES[kind][0]

    assert svg_charts.figure_to_svg(figure) == svg_charts.figure_to_svg(figure)


@pytest.mark.parametrize("kind", FIGURES)
def test_trace_colours_are_the_figures(kind):
    svg = svg_charts.figure_to_svg(FIGURES[kind][0])

    for trace in FIGURES[kind][0]["data"]:
        colour = (trace.get("line") or trace.get("marker") or {}).get("color")
        if colour:
            assert colour.lower() in svg


def test_heatmap_cells_show_their_scores_and_na():
    figure = FIGURES["heatmap"][0]

    drawn = texts(svg_charts.figure_to_svg(figure, width=7.0, height=3.0))

    cells = [cell for row in figure["data"][0]["text"] for cell in row]
    assert {"62", "40", "N/A", "12", "100", "0"} <= set(cells)
    for cell in cells:
        assert cell in drawn
    assert drawn.count("N/A") == cells.count("N/A")


@pytest.mark.parametrize("kind", EMPTY)
def test_empty_figure_draws_a_no_data_note(kind):
    svg = svg_charts.figure_to_svg(EMPTY[kind])

    assert ET.fromstring(svg).tag == f"{SVG}svg"
    assert "No data" in texts(svg)


def test_rendering_leaves_global_matplotlib_settings_alone():
    before = dict(matplotlib.rcParams)

    svg_charts.figure_to_svg(FIGURES["radar"][0])

    assert dict(matplotlib.rcParams) == before


def test_unknown_trace_type_is_refused():
    with pytest.raises(ValueError, match="pie"):
        svg_charts.figure_to_svg({"data": [{"type": "pie"}], "layout": {}})


def test_threads_rendering_at_once_get_the_same_svg():
    # Unserialised, rc_context's save-and-restore interleaves: settings leak and outputs differ.
    figure = FIGURES["radar_compare"][0]
    expected = svg_charts.figure_to_svg(figure)
    before = dict(matplotlib.rcParams)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: svg_charts.figure_to_svg(figure), range(12)))

    assert results == [expected] * 12
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("kind", ["delta_bars", "level_distribution"])
def test_each_bar_is_as_tall_as_its_value(kind):
    figure = FIGURES[kind][0]
    svg = svg_charts.figure_to_svg(figure)
    value = value_at(svg)
    stacked = figure["layout"].get("barmode") == "stack"

    for trace in figure["data"]:
        drawn = bars(svg, trace["marker"]["color"])
        # No bar for N/A; on a stack, none for a zero either.
        expected = [v for v in trace["y"] if v is not None and not (stacked and v == 0)]
        assert [round(value(top) - value(bottom), 1) for _, top, bottom in drawn] == expected
        middles = [middle for middle, _, _ in drawn]
        assert middles == sorted(middles)  # in category order


def test_grouped_bars_leave_a_gap_for_na_and_stacks_add_up():
    grouped = svg_charts.figure_to_svg(FIGURES["delta_bars"][0])
    stacked_figure = FIGURES["level_distribution"][0]
    stacked = svg_charts.figure_to_svg(stacked_figure)
    value = value_at(stacked)

    # This assessment: N/A on the third category, so the step from the second to the next bar is
    # two categories wide.
    middles = [middle for middle, _, _ in bars(grouped, "#1f5f8b")]
    steps = np.diff(middles)
    assert steps[1] == pytest.approx(2 * steps[0]) and steps[2] == pytest.approx(steps[0])
    # Each category's stack is as tall as its projects, whatever the levels.
    segments = [
        bar for trace in stacked_figure["data"] for bar in bars(stacked, trace["marker"]["color"])
    ]
    tops = {}
    for middle, top, _ in segments:
        tops[round(middle, 3)] = min(top, tops.get(round(middle, 3), top))
    assert [round(value(top)) for _, top in sorted(tops.items())] == [11, 11, 10, 11, 10, 5]


@pytest.mark.parametrize("kind", ["trend", "trends"])
def test_each_point_sits_at_its_value_and_date(kind):
    figure = FIGURES[kind][0]
    svg = svg_charts.figure_to_svg(figure)
    value = value_at(svg)

    dated = []
    for trace in figure["data"]:
        drawn = points(svg, trace["line"]["color"])
        scored = [(x, y) for x, y in zip(trace["x"], trace["y"], strict=True) if y is not None]
        assert [round(value(y), 1) for _, y in drawn] == [y for _, y in scored], trace["name"]
        dated += [
            (date.fromisoformat(day).toordinal(), x)
            for (day, _), (x, _) in zip(scored, drawn, strict=True)
        ]
    # One time axis for all lines: x grows in proportion to the date.
    (first_day, first_x), (last_day, last_x) = min(dated), max(dated)
    for day, x in dated:
        expected = first_x + (day - first_day) * (last_x - first_x) / (last_day - first_day)
        assert x == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("kind", ["radar", "radar_compare"])
def test_each_radar_point_sits_at_its_score_on_its_spoke(kind):
    figure = FIGURES[kind][0]
    svg = svg_charts.figure_to_svg(figure)
    categories = list(dict.fromkeys(name for trace in figure["data"] for name in trace["theta"]))
    angle = {name: 2 * pi * index / len(categories) for index, name in enumerate(categories)}

    # x = centre x + k·r·cos θ and y = centre y − k·r·sin θ for every point, with one k.
    rows, targets = [], []
    for trace in figure["data"]:
        drawn = points(svg, trace["line"]["color"])
        scored = [(t, r) for t, r in zip(trace["theta"], trace["r"], strict=True) if r is not None]
        assert len(drawn) == len(scored), trace["name"]
        for (theta, r), (x, y) in zip(scored, drawn, strict=True):
            rows += [[1, 0, r * cos(angle[theta])], [0, 1, -r * sin(angle[theta])]]
            targets += [x, y]
    solution, residuals, *_ = np.linalg.lstsq(np.array(rows), np.array(targets), rcond=None)
    assert solution[2] > 0
    assert np.abs(np.array(rows) @ solution - targets).max() < 0.01
