"""PDF reports: the assessment audit report and the portfolio report, small ones served directly,
large ones queued for the background worker with a progress page."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessment import access, downloads
from assessment.dashboard import queries as portfolio
from assessment.dashboard.forms import read_filters
from assessment.models import ReportJob
from assessment.reports import pdf, tasks

# Up to this many projects a portfolio PDF renders within the request (a few seconds at most);
# above it the report is queued for the background worker.
SYNC_REPORT_LIMIT = 100


def assessment_report(request: HttpRequest, pk: int) -> FileResponse:
    """The PDF audit report; about a second to render, so it is served directly."""
    assessment = access.get_submitted_assessment_for_user(request.user, pk)
    filename = f"{assessment.project.slug}-assessment-{assessment.pk}-report.pdf"
    return downloads.attachment(pdf.assessment_report_pdf(assessment), filename)


def _manager_portfolio(request: HttpRequest) -> portfolio.Portfolio:
    teams = access.get_managed_teams(request.user)
    _form, filters = read_filters(request.GET, teams)
    return portfolio.build(teams, filters, trends=False)


def portfolio_report(request: HttpRequest) -> HttpResponse:
    data = _manager_portfolio(request)
    if len(data.rows) > SYNC_REPORT_LIMIT:
        return render(request, "reports/report_queue.html", {"data": data})
    content = pdf.portfolio_report_pdf(data, requested_by=request.user.get_username())
    return downloads.attachment(content, "paydown-portfolio.pdf")


@require_POST
def start_portfolio_report(request: HttpRequest) -> HttpResponse:
    data = _manager_portfolio(request)
    job = tasks.queue_portfolio_report(requested_by=request.user, filters=data.filters.to_dict())
    return redirect("assessment:report_job", job_id=job.pk)


def report_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access.get_report_job_for_user(request.user, job_id)
    template = "reports/report_job.html#status" if request.htmx else "reports/report_job.html"
    return render(request, template, {"job": job})


def report_job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = access.get_report_job_for_user(request.user, job_id)
    if job.status != ReportJob.Status.DONE:
        raise Http404
    pdf_bytes = ReportJob.objects.values_list("pdf", flat=True).get(pk=job.pk)
    return downloads.attachment(bytes(pdf_bytes), job.filename)
