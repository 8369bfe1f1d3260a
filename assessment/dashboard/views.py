"""The portfolio dashboard: managers compare their teams' projects, staff all of them."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from assessment import access, charts, downloads, exports
from assessment.dashboard import queries
from assessment.dashboard.forms import read_filters
from projects import replica


@replica.reads_from_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    teams = access.managed_teams(request.user)
    if not teams:
        return _member_summary(request)
    form, filters = read_filters(request.GET, teams)
    data = queries.dashboard_page(teams, filters)
    context = {
        "form": form,
        "data": data,
        **charts.portfolio_figures(data, data.page_rows[: queries.HEATMAP_ROWS]),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    template = "dashboard/dashboard.html#portfolio" if request.htmx else "dashboard/dashboard.html"
    return render(request, template, context, status=status)


def _member_summary(request: HttpRequest) -> HttpResponse:
    """Members who manage no team see their own projects' latest results, nothing else: one bank
    at a time (`?bank=`), the one their teams used last unless they choose."""
    teams = list(access.visible_teams(request.user).order_by("name"))
    banks = queries.banks_assessed(teams)
    slugs = [slug for slug, _name in banks]
    bank = request.GET.get("bank", "")
    bank = bank if bank in slugs else (slugs[0] if slugs else queries.DEFAULT_BANK)
    filters = queries.Filters(bank=bank, sort="name", stale_days=settings.STALE_AFTER_DAYS)
    context = {
        "data": queries.build(teams, filters, trends=False, gaps=False),
        "banks": banks,
        "bank": bank,
    }
    return render(request, "dashboard/dashboard_member.html", context)


@replica.reads_from_replica
def portfolio_export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """The filtered portfolio as CSV or JSON, streamed: memory stays flat however many projects."""
    teams = access.get_managed_teams(request.user)
    _form, filters = read_filters(request.GET, teams)
    data = queries.export(teams, filters)
    if fmt == "json":
        head = {"schema": exports.PORTFOLIO_SCHEMA, "filters": filters.to_dict()}
        chunks = exports.canonical_json_chunks(head, streamed="projects", items=data.rows)
    else:
        chunks = exports.csv_lines(queries.export_csv_rows(data))
    return downloads.streamed_attachment(chunks, f"paydown-portfolio.{fmt}", by=request.user)
