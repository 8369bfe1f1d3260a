"""The dashboard's score cells, written in Python: a page has 50 rows of six or seven of them, and
rendering them through an included template per row was a third of the page's time (bench:
dashboard 10,000 vs 10 projects). The markup is the one `dashboard/_score_cells.html` had."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def score_cells(row, plain: bool = False) -> str:
    """One <td> per category of a dashboard row: the score's chip, a low-confidence mark, and
    (unless `plain`) its percentile; "—" for a project never assessed or a category its bank
    version does not have, "N/A" for a category whose questions were all not applicable."""
    not_applicable = "—" if row.never else gettext("N/A")
    mark = format_html(
        '<span class="low-confidence" title="{0}">?<span class="visually-hidden"> {0}</span></span>',
        gettext("low confidence: mostly N/A"),
    )
    return format_html_join(
        "",
        '<td class="num">{}</td>',
        (
            (
                _cell(cell, plain, mark)
                if cell.score is not None
                else (not_applicable if cell.asked else "—"),
            )
            for cell in row.cells
        ),
    )


def _cell(cell, plain: bool, mark: str) -> str:
    return format_html(
        '<span class="score-chip level-{}">{}</span>{}{}',
        cell.level,
        cell.score,
        mark if cell.low_confidence else "",
        "" if plain else format_html(' <span class="pct">p{}</span>', cell.percentile),
    )
