"""The portfolio dashboard: managers compare their teams' projects, staff all of them."""

from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from assessment import access, charts, downloads
from assessment.dashboard import queries
from assessment.dashboard.forms import read_filters


def dashboard(request: HttpRequest) -> HttpResponse:
    teams = access.managed_teams(request.user)
    if not teams:
        return _member_summary(request)
    form, filters = read_filters(request.GET, teams)
    data = queries.build(teams, filters)
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


def portfolio_export(request: HttpRequest, fmt: str) -> FileResponse:
    teams = access.get_managed_teams(request.user)
    _form, filters = read_filters(request.GET, teams)
    data = queries.build(teams, filters, trends=False, gaps=False)
    rows = queries.export_rows(data)
    exported = {
        "schema": "paydown.portfolio/1",
        "filters": data.filters.to_dict(),
        "projects": rows,
    }
    return downloads.export(
        exported, lambda _exported: queries.export_csv(data, rows), "paydown-portfolio", fmt
    )
