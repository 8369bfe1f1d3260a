"""Names are text: "$…$" in a project, bank or category name is never typeset as maths."""

import html

import pytest
from django.urls import reverse

from assessment import charts, services
from assessment.reports import svg_charts
from tests.pages import pdf_text

NAMES = ["Bad $\\undefinedmacro$", "Cost $x^2$ model"]


def every_chart(name: str) -> list[dict]:
    return [
        charts.heatmap([name, "Other"], ["Data", name], [[1, 2], [3, None]]),
        charts.radar([name, "Code", "Data"], [10, 20, 30], [50, 50, 50]),
        charts.delta_bars([name, "Code"], [10, 20], [None, 15]),
        charts.level_distribution([name], [[1, 2, 3, 4, 5]], ["0", "1", "2", "3", "4"]),
        charts.radar_compare([name, "Code", "Data"], {name: [1, 2, 3], "Other": [3, 2, 1]}),
        charts.trends({name: [("2026-01-01", 10), ("2026-02-01", 20)], "Other": []}),
    ]


@pytest.mark.parametrize("name", NAMES)
def test_every_chart_draws_a_name_with_dollars_as_written(name):
    for figure in every_chart(name):
        svg = svg_charts.figure_to_svg(figure)

        # As one text element (the SVG also keeps every label in a comment, maths or not).
        assert f">{html.escape(name, quote=False)}</text>" in svg, figure["data"][0]["type"]


def test_the_portfolio_report_renders_a_project_named_like_maths(
    client_for, bob, project1, published
):
    project1.name = NAMES[0]
    project1.save(update_fields=["name"])
    assessment = services.start_assessment(
        project=project1, version=published, started_by=bob, title="Q"
    )
    services.submit_assessment(assessment=assessment, by=bob, allow_open_items=True)

    response = client_for(bob).get(reverse("assessment:portfolio_report"), {"bank": "tiny"})

    assert response.status_code == 200
    text = pdf_text(response.getvalue())
    assert NAMES[0] in text
