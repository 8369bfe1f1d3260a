"""Results, remediation plans, tracked actions, project history and the results' exports."""

import io
from decimal import Decimal
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from paydown import planning

from assessment import access, charts, downloads, exports, services, tracker_exports
from assessment.models import TrackedAction
from assessment.results import queries
from assessment.results.forms import (
    AcceptRiskForm,
    TrackActionForm,
    TrackedActionUpdateForm,
    WithdrawRiskForm,
)
from projects import replica
from projects import services as project_services


def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_submitted_assessment_for_user(request.user, pk)
    page = queries.result_page(assessment)
    context = {
        "assessment": assessment,
        "page": page,
        **charts.result_figures(page.categories),
        "scale_top": Decimal(str(page.result.version.scale[-1])),
    }
    return render(request, "results/results.html", context)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan with a what-if: tick actions (?take=key) to see projected scores."""
    assessment = access.get_submitted_assessment_for_user(request.user, pk)
    page = queries.plan_page(assessment)
    taken = set(request.GET.getlist("take"))
    projection = planning.what_if(page.bank, [a for a in page.actions if a.question_key in taken])
    context = {
        "assessment": assessment,
        "page": page,
        "taken": taken,
        "projection": projection,
        "projected_rows": [
            (before, projection.category(before.key)) for before in page.baseline.categories
        ],
        "tracked": queries.tracked_keys(assessment),
        "members": access.team_members(assessment.project.team_id),
    }
    later = [a for a in page.actions if a.bucket == "later"]
    if request.htmx and request.GET.get("bucket") == "later":
        return render(request, "results/plan.html#actions", {**context, "actions": later})
    if request.htmx and request.htmx.target == "whatif":
        return render(request, "results/plan.html#whatif", context)
    # The later bucket opens on request, or when one of its steps is ticked in the what-if.
    context["show_later"] = request.GET.get("later") == "1" or any(
        a.question_key in taken for a in later
    )
    return render(request, "results/plan.html", context)


@require_POST
def track_action(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_submitted_assessment_for_user(request.user, pk)
    form = TrackActionForm(request.POST, members=access.team_members(assessment.project.team_id))
    action = None
    if form.is_valid():
        action = queries.plan_action(assessment, form.cleaned_data["question"])
    if action is None:
        messages.error(
            request, _("That action is not part of this plan, or the form was incomplete.")
        )
        return redirect("assessment:plan", pk=pk)
    key = action.question_key
    _tracked, created = services.track_action(
        assessment=assessment,
        action=action,
        owner=form.cleaned_data["owner"],
        due=form.cleaned_data["due"],
    )
    if created:
        messages.success(request, _("Added to the project's backlog."))
    else:
        messages.info(request, _("This action was already in the backlog."))
    return redirect(_back_to_plan(request, pk, key))


def _back_to_plan(request: HttpRequest, pk: int, key: str) -> str:
    """The plan as the person left it: the what-if's ticks (kept in the page's URL, which htmx
    updates) and the action they acted on in view."""
    plan = reverse("assessment:plan", args=[pk])
    came_from = urlsplit(request.headers.get("Referer", ""))
    query = came_from.query if came_from.path == plan else ""
    return f"{plan}{'?' + query if query else ''}#action-{key}"


@require_POST
def accept_risk(request: HttpRequest, pk: int) -> HttpResponse:
    """Leave a gap of this plan open on purpose: the plan drops it, its interest stops, and the
    results and PDF show who accepted it, why and until when."""
    assessment = access.get_submitted_assessment_for_user(request.user, pk)
    form = AcceptRiskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Not accepted: give a reason and an end date."))
        return redirect("assessment:plan", pk=pk)
    key = form.cleaned_data["question"]
    page = queries.plan_page(assessment)
    gaps = {a.question_key for a in page.actions} | {g.question_key for g in page.accepted}
    if key not in gaps:
        messages.error(request, _("That question has no gap in this plan."))
        return redirect("assessment:plan", pk=pk)
    try:
        project_services.accept_risk(
            project=assessment.project,
            question_key=key,
            by=request.user,
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data["until"],
            today=timezone.localdate(),
        )
    except project_services.AcceptanceRefused as refused:
        messages.error(request, _("Not accepted: %(error)s") % {"error": refused})
        return redirect("assessment:plan", pk=pk)
    messages.success(request, _("Risk accepted: the gap leaves the plan until that date."))
    return redirect("assessment:plan", pk=pk)


@require_POST
def withdraw_risk(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_submitted_assessment_for_user(request.user, pk)
    form = WithdrawRiskForm(request.POST)
    if form.is_valid() and project_services.withdraw_risk(
        project=assessment.project, question_key=form.cleaned_data["question"], by=request.user
    ):
        messages.success(request, _("The gap is back in the plan."))
    else:
        messages.error(request, _("There was no accepted risk to withdraw."))
    return redirect("assessment:plan", pk=pk)


def backlog(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    context = {
        "project": project,
        "actions": queries.backlog_actions(project),
        "members": list(access.team_members(project.team_id)),
        "statuses": TrackedAction.Status.choices,
    }
    return render(request, "results/backlog.html", context)


@require_POST
def update_action(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    action = access.get_tracked_action_for_user(request.user, slug, action_id)
    members = access.team_members(action.project.team_id)
    form = TrackedActionUpdateForm(request.POST, instance=action, members=members)
    if form.is_valid():
        try:
            services.update_tracked_action(
                action=action,
                by=request.user,
                today=timezone.localdate(),
                **form.cleaned_data,
            )
        except project_services.AcceptanceRefused as refused:
            messages.error(request, _("Not saved: %(error)s") % {"error": refused})
        else:
            messages.success(request, _("Action updated."))
    else:
        first_error = next(iter(form.errors.values()))[0]
        messages.error(request, _("Not saved: %(error)s") % {"error": first_error})
    return redirect("assessment:backlog", slug=slug)


@replica.reads_from_replica
def history(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    page = queries.history_page(
        project, overall_label=_("Overall"), bank=request.GET.get("bank", "")
    )
    context = {"project": project, "page": page, "trend": charts.trend(page.dates, page.series)}
    return render(request, "results/history.html", context)


def compare(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    first, second = request.GET.get("a", ""), request.GET.get("b", "")
    page = queries.comparison(project, first, second)
    if (first or second) and not (page["first"] and page["second"]):
        raise Http404(_("Choose two submitted assessments of this project."))
    return render(request, "results/compare.html", {"project": project, **page})


def results_export(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    assessment = access.get_submitted_assessment_for_user(request.user, pk)
    data = exports.results_data(assessment, queries.load_result(assessment, answers=True))
    stem = f"{assessment.project.slug}-assessment-{assessment.pk}-results"
    return downloads.export(
        data, exports.results_csv, stem, fmt, by=request.user, project=assessment.project
    )


def plan_export(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    assessment = access.get_submitted_assessment_for_user(request.user, pk)
    data = exports.plan_data(assessment, queries.plan_page(assessment).actions)
    stem = f"{assessment.project.slug}-assessment-{assessment.pk}-plan"
    return downloads.export(
        data, exports.plan_csv, stem, fmt, by=request.user, project=assessment.project
    )


def plan_tracker_export(request: HttpRequest, pk: int, tracker_file: str) -> FileResponse:
    """The plan's steps as issues to import into GitHub, GitLab or Jira (docs/exports.md)."""
    assessment = access.get_submitted_assessment_for_user(request.user, pk)
    slug = assessment.project.slug
    plan_url = request.build_absolute_uri(reverse("assessment:plan", args=[assessment.pk]))
    items = tracker_exports.plan_tracker_items(
        assessment, queries.plan_page(assessment).actions, plan_url=plan_url
    )
    filename = f"{slug}-assessment-{assessment.pk}-plan-{tracker_file}"
    about = f"the remediation plan of {slug}, assessment {assessment.pk}"
    body = tracker_exports.tracker_file(items, tracker_file, filename=filename, about=about)
    return _tracker_attachment(body, filename, by=request.user, project=assessment.project)


def backlog_export(request: HttpRequest, slug: str, fmt: str) -> FileResponse:
    project = access.get_project_for_user(request.user, slug)
    data = tracker_exports.backlog_data(project, queries.backlog_actions(project))
    stem = f"{project.slug}-backlog"
    return downloads.export(
        data, tracker_exports.backlog_csv, stem, fmt, by=request.user, project=project
    )


def backlog_tracker_export(request: HttpRequest, slug: str, tracker_file: str) -> FileResponse:
    """The backlog's open work as issues to import into GitHub, GitLab or Jira."""
    project = access.get_project_for_user(request.user, slug)
    actions = queries.backlog_actions(project)
    plan_urls = {
        source_id: request.build_absolute_uri(reverse("assessment:plan", args=[source_id]))
        for source_id in {a.source_id for a in actions}
    }
    backlog_url = request.build_absolute_uri(reverse("assessment:backlog", args=[project.slug]))
    items = tracker_exports.backlog_tracker_items(
        project, actions, backlog_url=backlog_url, plan_urls=plan_urls
    )
    filename = f"{project.slug}-backlog-{tracker_file}"
    about = f"the open actions of the backlog of {project.slug}"
    body = tracker_exports.tracker_file(items, tracker_file, filename=filename, about=about)
    return _tracker_attachment(body, filename, by=request.user, project=project)


def _tracker_attachment(body: str, filename: str, *, by, project) -> FileResponse:
    if filename.endswith(".sh"):
        downloads.recorded(by=by, project=project, filename=filename)
        # Not in downloads' types: a script to save and run, never to show in the browser.
        return FileResponse(
            io.BytesIO(body.encode()),
            as_attachment=True,
            filename=filename,
            content_type="text/x-sh; charset=utf-8",
        )
    return downloads.attachment(body, filename, by=by, project=project)
