"""The portfolio dashboard: managers compare their teams' projects, staff all of them."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessment import charts, exports, portfolio, reports, scoring, tasks
from assessment.forms import PortfolioFilterForm
from assessment.models import Category, QuestionBank, ReportJob
from projects import access
from projects.models import Project


def _filters(request: HttpRequest, teams) -> tuple[PortfolioFilterForm, portfolio.Filters]:
    """Bind the query string; invalid values show the form's errors and fall back to defaults."""
    form = PortfolioFilterForm(
        request.GET or None,
        initial={"bank": portfolio.DEFAULT_BANK, "stale_days": settings.STALE_AFTER_DAYS},
        teams=teams,
        banks=list(QuestionBank.objects.order_by("name").values_list("slug", "name")),
        projects=Project.objects.filter(team__in=teams).values_list("slug", flat=True),
        sort_columns={
            *portfolio.SORT_COLUMNS,
            *Category.objects.values_list("key", flat=True).distinct(),
        },
    )
    defaults = portfolio.Filters(stale_days=settings.STALE_AFTER_DAYS)
    if not request.GET or not form.is_valid():
        return form, defaults
    data = form.cleaned_data
    return form, portfolio.Filters(
        bank=data["bank"] or defaults.bank,
        team=data["team"],
        min_score=data["min_score"],
        max_score=data["max_score"],
        level=data["level"],
        staleness=data["staleness"],
        sort=data["sort"],
        compare=tuple(data["compare"]),
        page=data["page"] or 1,
        stale_days=data["stale_days"] or defaults.stale_days,
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    teams = portfolio.managed_teams(request.user)
    if not teams:
        return _member_summary(request)
    form, filters = _filters(request, teams)
    data = portfolio.build(teams, filters)
    names = [name for _, name in data.categories]
    keys = data.category_keys
    distribution = data.distribution()
    level_names = [name for _, _, name, _ in scoring.MATURITY_LEVELS]
    context = {
        "form": form,
        "data": data,
        "heatmap": charts.heatmap(
            [r.project.name for r in data.page_rows[: portfolio.HEATMAP_ROWS]],
            names,
            [[r.scores.get(k) for k in keys] for r in data.page_rows[: portfolio.HEATMAP_ROWS]],
        ),
        "distribution": charts.level_distribution(
            names, [distribution[k] for k in keys], level_names
        ),
        "distribution_rows": [(name, distribution[key]) for key, name in data.categories],
        "level_names": level_names,
        "radar": charts.radar_compare(
            names, {r.project.name: [r.scores.get(k) for k in keys] for r in data.compared}
        ),
        "trends": charts.trends(
            {
                name: [(d.date().isoformat(), v) for d, v in points]
                for name, points in data.trends.items()
            }
        ),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    if request.htmx:
        return render(request, "assessment/dashboard.html#portfolio", context, status=status)
    return render(request, "assessment/dashboard.html", context, status=status)


def _member_summary(request: HttpRequest) -> HttpResponse:
    """Members who manage no team see their own projects' latest results, nothing else."""
    teams = list(access.visible_teams(request.user).order_by("name"))
    data = portfolio.build(
        teams, portfolio.Filters(sort="name", stale_days=settings.STALE_AFTER_DAYS)
    )
    return render(request, "assessment/dashboard_member.html", {"data": data})


# Up to this many projects a portfolio PDF renders within the request (a few seconds at most);
# above it the report is queued for the background worker.
SYNC_REPORT_LIMIT = 100


def _manager_portfolio(request: HttpRequest) -> portfolio.Portfolio:
    teams = portfolio.managed_teams(request.user)
    if not teams:
        raise Http404
    _form, filters = _filters(request, teams)
    return portfolio.build(teams, filters)


def portfolio_report(request: HttpRequest) -> HttpResponse:
    data = _manager_portfolio(request)
    if len(data.rows) > SYNC_REPORT_LIMIT:
        return render(request, "assessment/report_queue.html", {"data": data})
    response = HttpResponse(
        reports.portfolio_report_pdf(data, requested_by=request.user.get_username()),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = 'inline; filename="paydown-portfolio.pdf"'
    return response


@require_POST
def start_portfolio_report(request: HttpRequest) -> HttpResponse:
    data = _manager_portfolio(request)
    job = ReportJob.objects.create(requested_by=request.user, params=data.filters.to_dict())
    tasks.render_portfolio_report.enqueue(job.pk)
    return redirect("assessment:report_job", job_id=job.pk)


def _job_for_user(request: HttpRequest, job_id: int) -> ReportJob:
    job = ReportJob.objects.defer("pdf").filter(pk=job_id, requested_by=request.user).first()
    if job is None:
        raise Http404
    return job


def report_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_for_user(request, job_id)
    template = "assessment/report_job.html#status" if request.htmx else "assessment/report_job.html"
    return render(request, template, {"job": job})


def report_job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = _job_for_user(request, job_id)
    if job.status != ReportJob.Status.DONE:
        raise Http404
    pdf = ReportJob.objects.values_list("pdf", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response


def portfolio_export(request: HttpRequest, fmt: str) -> HttpResponse:
    data = _manager_portfolio(request)
    rows = portfolio.export_rows(data)
    if fmt == "json":
        body = exports.canonical_json(
            {"schema": "paydown.portfolio/1", "filters": data.filters.to_dict(), "projects": rows}
        )
        response = HttpResponse(body, content_type="application/json")
    else:
        response = HttpResponse(
            portfolio.export_csv(data, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="paydown-portfolio.{fmt}"'
    return response
