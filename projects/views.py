"""Home page and project pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment import queries as assessment_queries
from projects import access, queries, services
from projects.forms import ProjectForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/home.html", {"teams": queries.home_teams(request.user)})


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    assessments = assessment_queries.project_assessments(project)
    progress = assessment_queries.progress_by_assessment(assessments)
    context = {
        "project": project,
        "can_manage": access.can_manage(request.user, project.team),
        "in_progress": [(a, progress[a.pk]) for a in assessments if a.is_open],
        "submitted": [a for a in assessments if not a.is_open],
    }
    return render(request, "projects/project_detail.html", context)


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, team_slug: str) -> HttpResponse:
    team = access.get_team_for_user(request.user, team_slug)
    if not access.can_manage(request.user, team):
        raise PermissionDenied(_("Only the team's managers can create projects."))
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        project = services.create_project(team=team, **form.cleaned_data)
        messages.success(request, _("Project “%(name)s” created.") % {"name": project.name})
        return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "team": team})


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    if not access.can_manage(request.user, project.team):
        raise PermissionDenied(_("Only the team's managers can edit projects."))
    categories, scale = assessment_queries.default_bank_categories()
    form = ProjectForm(request.POST or None, instance=project, categories=categories, scale=scale)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Project saved."))
        return redirect(project)
    context = {"form": form, "team": project.team, "project": project}
    return render(request, "projects/project_form.html", context)
