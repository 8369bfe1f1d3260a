"""The web charts' axes (issue #18): radar rings labelled without collisions, category names
wrapped rather than cut, trend axes fitted to the scores with the 0–100 scale named."""

from decimal import Decimal as D
from types import SimpleNamespace

import pytest

from assessment import charts

CATEGORIES = [
    "Data",
    "Code",
    "Feedback loops and system coupling",
    "Configuration",
    "Operations",
    "Skills and collaboration",
]


def unwrapped(ticktext: list[str]) -> list[str]:
    return [text.replace("<br>", " ") for text in ticktext]


@pytest.mark.parametrize(
    "figure", [charts.radar(CATEGORIES, [D(40)] * 6, [D(80)] * 6)], ids=["radar"]
)
def test_radar_rings_are_labelled_at_50_and_100_only_upright_between_two_spokes(figure):
    radial = figure["layout"]["polar"]["radialaxis"]
    angular = figure["layout"]["polar"]["angularaxis"]

    assert radial["range"] == [0, 100]
    labelled = [v for v, t in zip(radial["tickvals"], radial["ticktext"], strict=True) if t]
    assert labelled == [50, 100]
    # First category at the top, clockwise, six spokes 60° apart: halfway between the first two,
    # the numbers upright (plotly turns them with the axis, so they turn back by as much).
    assert (angular["rotation"], angular["direction"]) == (90, "clockwise")
    assert radial["angle"] == radial["tickangle"] == 60
    assert angular["tickvals"] == CATEGORIES
    assert unwrapped(angular["ticktext"]) == CATEGORIES
    assert "Feedback<br>loops and<br>system<br>coupling" in angular["ticktext"]


@pytest.mark.parametrize(
    "figure", [charts.delta_bars(CATEGORIES, [D(40)] * 6, [D(30)] * 6)], ids=["delta_bars"]
)
def test_bar_category_names_wrap_and_the_axis_makes_room_for_them(figure):
    xaxis = figure["layout"]["xaxis"]

    assert xaxis["automargin"] is True
    assert xaxis["tickvals"] == CATEGORIES
    assert unwrapped(xaxis["ticktext"]) == CATEGORIES
    assert max(len(line) for t in xaxis["ticktext"] for line in t.split("<br>")) <= 13


@pytest.mark.parametrize(
    ("values", "expected", "title"),
    [
        # Seven lines between 10 and 45: no longer a fifth of a 0–100 axis.
        ([D(10), D("22.5"), D(45)], [0, 50], "Score (0–50 of 0–100)"),
        ([D(61), D(64)], [40, 80], "Score (40–80 of 0–100)"),
        ([D(2), D(98)], [0, 100], "Score"),
        ([D(100)], [70, 100], "Score (70–100 of 0–100)"),
        ([None, None], [0, 100], "Score"),
    ],
)
def test_trend_axis_fits_the_scores_and_names_the_0_to_100_scale(values, expected, title):
    dates = [f"2026-0{n + 1}-01" for n in range(len(values))]
    figure = charts.trend(dates, {"Overall": values})

    yaxis = figure["layout"]["yaxis"]
    assert yaxis["range"] == expected
    assert yaxis["title"]["text"] == title
    assert all(expected[0] <= v <= expected[1] for v in values if v is not None)


def test_portfolio_trends_fit_every_project_s_scores():
    figure = charts.trends(
        {"A": [("2026-01-01", D(12)), ("2026-04-01", D(31))], "B": [("2026-02-01", D(44))]}
    )

    assert figure["layout"]["yaxis"]["range"] == [0, 50]


def test_the_results_and_history_charts_go_without_plotly_s_toolbar():
    category = SimpleNamespace(
        result=SimpleNamespace(name="Data", score=D(40)), target=D(80), previous=None
    )
    figures = charts.result_figures([category])
    history = charts.trend(["2026-01-01"], {"Overall": [D(40)]})

    assert [f["config"]["displayModeBar"] for f in [*figures.values(), history]] == [False] * 3


def test_a_trend_of_one_day_shows_dates_not_hours():
    # Projects assessed once, on one day: plotly zoomed to that day's hours ("23:59:59.999").
    one_day = charts.trends({"a": [("2026-06-30", D(50))], "b": [("2026-06-30", D(60))]})
    spread = charts.trends({"a": [("2026-03-31", D(50)), ("2026-06-30", D(60))]})

    assert one_day["layout"]["xaxis"]["range"] == ["2026-05-31", "2026-07-30"]
    assert one_day["layout"]["xaxis"]["tickformat"] == "%-d %b %Y"
    assert "range" not in spread["layout"]["xaxis"]
