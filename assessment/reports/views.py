"""PDF reports: the assessment audit report, rendered by the background worker and served from
the storage, and the portfolio report, small ones served directly, large ones queued for the
worker with a progress page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessment import access, downloads
from assessment.dashboard import queries as portfolio
from assessment.dashboard.forms import read_filters
from assessment.models import ReportJob
from assessment.reports import pdf, tasks
from projects import replica

# Up to this many projects a portfolio PDF renders within the request (a few seconds at most);
# above it the report is queued for the background worker.
SYNC_REPORT_LIMIT = 100


def _stored_pdf(job: ReportJob, *, by, project=None) -> HttpResponse:
    """The finished job's file from the storage (streamed, or a redirect to a presigned link on an
    object store); FileNotFoundError when it has gone."""
    return downloads.stored_file(job.file.name, job.filename, by=by, project=project)


@require_http_methods(["GET", "POST"])
def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF audit report, from the storage once the worker has rendered it (usually right after
    submit). Until then a progress page (202) whose status panel polls this URL with htmx and
    offers the file when it is there; a POST asks again after a failed render."""
    result = access.get_submitted_result_for_user(request.user, pk)
    job = getattr(result, "report_job", None)
    asks_for_file = request.method == "GET" and not request.htmx
    if asks_for_file and job is not None and job.status == ReportJob.Status.DONE:
        try:
            return _stored_pdf(job, by=request.user, project=result.assessment.project)
        except FileNotFoundError:
            pass  # the storage lost it: queued again below
    if request.method == "POST" or job is None or asks_for_file:
        # Page loads and retries make sure a render is on its way; polls only read.
        job = tasks.queue_assessment_report(
            result=result, requested_by=request.user, retry=request.method == "POST"
        )
        if request.method == "POST" and not request.htmx:
            return redirect("assessment:assessment_report", pk=pk)
        if asks_for_file and job.status == ReportJob.Status.DONE:
            return _stored_pdf(
                job, by=request.user, project=result.assessment.project
            )  # at once: the immediate backend of tests, scripts
    context = {"job": job, "result": result}
    if request.htmx:
        return render(request, "reports/assessment_report.html#status", context)
    status = 200 if job.status == ReportJob.Status.FAILED else 202
    return render(request, "reports/assessment_report.html", context, status=status)


def _manager_portfolio(request: HttpRequest) -> portfolio.Portfolio:
    teams = access.get_managed_teams(request.user)
    _form, filters = read_filters(request.GET, teams)
    return portfolio.build(teams, filters, trends=False)


@replica.reads_from_replica
def portfolio_report(request: HttpRequest) -> HttpResponse:
    data = _manager_portfolio(request)
    if len(data.rows) > SYNC_REPORT_LIMIT:
        return render(request, "reports/report_queue.html", {"data": data})
    content = pdf.portfolio_report_pdf(data, requested_by=request.user.get_username())
    return downloads.attachment(content, "paydown-portfolio.pdf", by=request.user)


@require_POST
def start_portfolio_report(request: HttpRequest) -> HttpResponse:
    data = _manager_portfolio(request)
    job = tasks.queue_portfolio_report(requested_by=request.user, filters=data.filters.to_dict())
    return redirect("assessment:report_job", job_id=job.pk)


def report_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access.get_report_job_for_user(request.user, job_id)
    template = "reports/report_job.html#status" if request.htmx else "reports/report_job.html"
    return render(request, template, {"job": job})


def report_job_download(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access.get_report_job_for_user(request.user, job_id)
    if job.status != ReportJob.Status.DONE:
        raise Http404
    try:
        return _stored_pdf(job, by=request.user)
    except FileNotFoundError:
        raise Http404 from None
