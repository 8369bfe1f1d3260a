"""Views for results, remediation plans, tracked actions, project history and exports."""

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import charts, exports, planning, reports, results, services
from assessment.forms import TrackActionForm, TrackedActionUpdateForm
from assessment.models import Assessment
from assessment.views import get_assessment_for_user
from projects import access


def _submitted_assessment(request: HttpRequest, pk: int) -> Assessment:
    assessment = get_assessment_for_user(request, pk)
    if assessment.is_open:
        raise Http404(_("This assessment has no results until it is submitted."))
    return assessment


def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _submitted_assessment(request, pk)
    page = results.result_page(assessment)
    if page is None:
        raise Http404
    names = [row.result.name for row in page.categories]
    context = {
        "assessment": assessment,
        "page": page,
        "radar": charts.radar(
            names, [row.result.score for row in page.categories], [row.target for row in page.categories]
        ),
        "bars": charts.delta_bars(
            names, [row.result.score for row in page.categories], [row.previous for row in page.categories]
        ),
        "scale_top": Decimal(str(page.result.version.scale[-1])),
    }  # fmt: skip
    return render(request, "assessment/results.html", context)


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan with a what-if: tick actions (?take=key) to see projected scores."""
    assessment = _submitted_assessment(request, pk)
    page = results.plan_page(assessment)
    if page is None:
        raise Http404
    taken = set(request.GET.getlist("take"))
    chosen = [a for a in page.actions if a.question_key in taken]
    projection = planning.what_if(page.bank, chosen)
    tracked = set(assessment.tracked_actions.values_list("question_key", flat=True))
    context = {
        "assessment": assessment,
        "page": page,
        "taken": taken,
        "projection": projection,
        "projected_rows": [
            (before, projection.category(before.key)) for before in page.baseline.categories
        ],
        "tracked": tracked,
        "members": access.team_members(assessment.project.team_id),
    }
    if request.htmx and request.htmx.target == "whatif":
        return render(request, "assessment/plan.html#whatif", context)
    return render(request, "assessment/plan.html", context)


@require_POST
def track_action(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _submitted_assessment(request, pk)
    page = results.plan_page(assessment)
    form = TrackActionForm(request.POST, members=access.team_members(assessment.project.team_id))
    action = None
    if form.is_valid() and page is not None:
        action = next(
            (a for a in page.actions if a.question_key == form.cleaned_data["question"]), None
        )
    if action is None:
        messages.error(
            request, _("That action is not part of this plan, or the form was incomplete.")
        )
        return redirect("assessment:plan", pk=pk)
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
    return redirect("assessment:plan", pk=pk)


def backlog(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    actions = project.actions.select_related("owner", "source").order_by("status", "due", "pk")
    members = access.team_members(project.team_id)
    rows = [
        (action, TrackedActionUpdateForm(instance=action, members=members)) for action in actions
    ]
    return render(request, "assessment/backlog.html", {"project": project, "rows": rows})


@require_POST
def update_action(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    action = project.actions.filter(pk=action_id).first()
    if action is None:
        raise Http404
    members = access.team_members(project.team_id)
    form = TrackedActionUpdateForm(request.POST, instance=action, members=members)
    if form.is_valid():
        form.save()
        messages.success(request, _("Action updated."))
    else:
        first_error = next(iter(form.errors.values()))[0]
        messages.error(request, _("Not saved: %(error)s") % {"error": first_error})
    return redirect("assessment:backlog", slug=slug)


def history(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    page = results.history_page(project, overall_label=_("Overall"))
    context = {"project": project, "page": page, "trend": charts.trend(page.dates, page.series)}
    return render(request, "assessment/history.html", context)


def compare(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    history_rows = results.project_history(project)
    by_id = {str(r.assessment_id): r for r in history_rows}
    first, second = by_id.get(request.GET.get("a", "")), by_id.get(request.GET.get("b", ""))
    if (request.GET.get("a") or request.GET.get("b")) and (first is None or second is None):
        raise Http404(_("Choose two submitted assessments of this project."))
    rows = []
    if first and second:
        first_q = results.load_result(first.assessment)
        second_q = results.load_result(second.assessment)
        rows = results.compared_questions(first_q, second_q)
    context = {
        "project": project,
        "history": history_rows,
        "first": first,
        "second": second,
        "rows": rows,
    }
    return render(request, "assessment/compare.html", context)


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def results_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    assessment = _submitted_assessment(request, pk)
    result = results.load_result(assessment)
    data = exports.results_data(assessment, result)
    name = f"{assessment.project.slug}-assessment-{assessment.pk}-results"
    if fmt == "json":
        return _download(exports.canonical_json(data), "application/json", f"{name}.json")
    return _download(exports.results_csv(data), "text/csv; charset=utf-8", f"{name}.csv")


def plan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    assessment = _submitted_assessment(request, pk)
    page = results.plan_page(assessment)
    data = exports.plan_data(assessment, page.actions)
    name = f"{assessment.project.slug}-assessment-{assessment.pk}-plan"
    if fmt == "json":
        return _download(exports.canonical_json(data), "application/json", f"{name}.json")
    return _download(exports.plan_csv(data), "text/csv; charset=utf-8", f"{name}.csv")


def assessment_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF audit report; about a second to render, so it is served directly."""
    assessment = _submitted_assessment(request, pk)
    response = HttpResponse(
        reports.assessment_report_pdf(assessment), content_type="application/pdf"
    )
    filename = f"{assessment.project.slug}-assessment-{assessment.pk}-report.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
