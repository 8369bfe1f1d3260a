"""The home page and the project pages: a team's projects, one project's assessments, its form."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessment import access
from assessment.project_pages import queries
from assessment.project_pages.forms import ProjectForm
from banks import queries as bank_queries
from projects import services


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/home.html", {"teams": queries.home_teams(request.user)})


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    context = {
        "project": project,
        "can_manage": access.can_manage(request.user, project.team),
        **queries.project_assessments(project),
    }
    return render(request, "projects/project_detail.html", context)


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, team_slug: str) -> HttpResponse:
    team = access.get_team_for_user(request.user, team_slug)
    access.require_manager(request.user, team, _("Only the team's managers can create projects."))
    tiers = bank_queries.default_bank_target_choices().tiers
    form = ProjectForm(request.POST or None, choices=bank_queries.TargetChoices(tiers=tiers))
    if request.method == "POST" and form.is_valid():
        project = services.create_project(team=team, **form.cleaned_data)
        messages.success(request, _("Project “%(name)s” created.") % {"name": project.name})
        return redirect(project)
    return render(request, "projects/project_form.html", {"form": form, "team": team})


@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    access.require_manager(
        request.user, project.team, _("Only the team's managers can edit projects.")
    )
    choices = bank_queries.default_bank_target_choices()
    form = ProjectForm(request.POST or None, instance=project, choices=choices)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Project saved."))
        return redirect(project)
    context = {"form": form, "team": project.team, "project": project}
    return render(request, "projects/project_form.html", context)
