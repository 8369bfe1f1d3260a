"""Who did what, when: a project's audit log for its managers, the whole log for staff."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessment import access, downloads, exports
from assessment.audit_log import queries
from assessment.audit_log.forms import AuditFilterForm


def project_log(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_to_audit(request.user, slug)
    form = AuditFilterForm(request.GET or None, with_project=False)
    page = queries.page_of(
        access.audit_entries_of_project(project), form.filters(), request.GET.get("page")
    )
    context = {"project": project, "form": form, "page": page}
    return render(request, "audit/log.html", context)


def project_log_export(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_to_audit(request.user, slug)
    form = AuditFilterForm(request.GET or None, with_project=False)
    rows = queries.csv_rows(access.audit_entries_of_project(project), form.filters())
    filename = f"{project.slug}-audit-log.csv"
    return downloads.streamed_attachment(
        exports.csv_lines(rows), filename, by=request.user, project=project
    )


def staff_log(request: HttpRequest) -> HttpResponse:
    entries = access.all_audit_entries(request.user)
    form = AuditFilterForm(request.GET or None)
    page = queries.page_of(entries, form.filters(), request.GET.get("page"))
    return render(request, "audit/log.html", {"project": None, "form": form, "page": page})


def staff_log_export(request: HttpRequest) -> HttpResponse:
    entries = access.all_audit_entries(request.user)
    form = AuditFilterForm(request.GET or None)
    rows = queries.csv_rows(entries, form.filters())
    return downloads.streamed_attachment(
        exports.csv_lines(rows), "paydown-audit-log.csv", by=request.user
    )
