"""The PDF's charts: every figure from charts.py as inline SVG that keeps its text and never varies."""

import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal as D

import matplotlib
import pytest

from assessment import charts
from assessment.reports import svg_charts

SVG = "{http://www.w3.org/2000/svg}"
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
