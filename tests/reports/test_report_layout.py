"""The PDF reports' layout (issue #18): the portfolio names its bank and keeps its table inside the
page; the audit report's executive summary page is not left half empty."""

import io
from decimal import Decimal as D

import weasyprint
from django.template.loader import render_to_string
from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.text import Text
from pypdf import PdfReader
from weasyprint.formatting_structure.boxes import MarginBox

from assessment import access, charts
from assessment.dashboard import queries as portfolio
from assessment.reports import pdf as reports
from assessment.reports import svg_charts, svg_drawers
from tests import factories


def portfolio_html(bob, bank: str) -> str:
    data = portfolio.build(access.managed_teams(bob), portfolio.Filters(bank=bank), trends=False)
    return render_to_string(
        "reports/portfolio.html", reports.portfolio_report_context(data, requested_by="bob")
    )


def boxes_past_the_right_margin(html: str) -> list[str]:
    """The text of every laid-out box whose right edge lies beyond its page's content area."""
    past = []
    for page in weasyprint.HTML(string=html).render().pages:
        page_box = page._page_box
        right = page_box.content_box_x() + page_box.width
        content = [child for child in page_box.children if not isinstance(child, MarginBox)]
        for box in (box for child in content for box in child.descendants()):
            if box.position_x + box.margin_width() > right + 0.5:
                past.append(getattr(box, "text", None) or type(box).__name__)
    return past


def test_the_portfolio_report_names_its_bank_and_version_not_the_slug(bob, small_portfolio):
    html = " ".join(portfolio_html(bob, "tiny").split())

    assert "bank Tiny bank (newest version: 1)" in html
    assert "bank tiny" not in html


def test_the_portfolio_table_of_the_default_bank_stays_within_the_page(shipped_banks, team1, bob):
    version = shipped_banks["ml-technical-debt-v3"]
    for name in ("Real-time fraud detection for card payments", "Spell correction"):
        project = factories.make_project(team1, name)
        factories.make_result(project, version, bob, {})

    html = portfolio_html(bob, version.bank.slug)

    assert "People, process and governance" in html  # the widest of its 7 columns of scores
    assert boxes_past_the_right_margin(html) == []


def test_the_executive_summary_page_goes_on_with_the_scores_by_category(submitted):
    reader = PdfReader(io.BytesIO(reports.assessment_report_pdf(submitted)))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]

    (summary,) = [text for text in pages if text.startswith("Executive summary")]
    assert "Scores by category" in summary
    assert "Category Score Target Previous Level Questions counted" in summary


def test_the_radar_of_the_default_bank_keeps_every_label_inside_the_drawing():
    """Issue #18: the audit report's radar printed "People, process and governan"."""
    names = ["Data", "Code", "Feedback loops and system coupling", "Configuration",
             "Model evaluation and release", "Operations", "People, process and governance"]  # fmt: skip
    figure = charts.radar(names, [D(60)] * 7, [D(75)] * 7)
    with rc_context(svg_charts._STYLE):
        fig = Figure(figsize=(5.5, 4.2), layout="constrained")  # as the report draws it
        FigureCanvasSVG(fig)
        svg_drawers.DRAWERS["scatterpolar"](fig, figure["data"], figure["layout"])
        fig.draw_without_rendering()
        renderer = fig._get_renderer()
        drawn = [t for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
        outside = [
            t.get_text()
            for t in drawn
            if t.get_window_extent(renderer).x0 < 0
            or t.get_window_extent(renderer).x1 > fig.bbox.width
        ]

    assert outside == []
    assert any("governance" in t.get_text() for t in drawn)
