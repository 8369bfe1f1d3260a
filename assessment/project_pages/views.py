"""The home page and the project pages: a team's projects, one project's assessments, its form,
and its public level badge."""

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import access
from assessment.project_pages import queries
from assessment.project_pages.forms import ProjectForm
from banks import queries as bank_queries
from projects import services
from projects.models import Project

BADGE_MAX_AGE = 300  # seconds: a renewed token shuts out caches' copies within five minutes
BADGE_CHAR_WIDTH = 7  # px per character of 11px Verdana, roughly: shields.io's look without fonts
BADGE_PADDING = 10  # px either side of each half's text
# The level colours of the portfolio's score chips (static/css/paydown.css `.level-0`…`.level-4`).
BADGE_LEVEL_COLOURS = ("#f6d5d2", "#fbe3c2", "#fbf1c7", "#dcefd6", "#c3e5c0")
BADGE_NOT_ASSESSED_COLOUR = "#d9dee5"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/home.html", {"teams": queries.home_teams(request.user)})


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    context = {
        "project": project,
        "can_manage": access.can_manage(request.user, project.team),
        **queries.project_assessments(project),
    }
    # Only managers see the token: whoever holds it can read the badge without a login.
    if context["can_manage"] and project.badge_token:
        context["badge"] = _badge_links(request, project)
    return render(request, "projects/project_detail.html", context)


def _badge_links(request: HttpRequest, project: Project) -> dict[str, str]:
    url = reverse("projects:badge", args=[project.slug])
    url = request.build_absolute_uri(f"{url}?{urlencode({'token': project.badge_token})}")
    return {"url": url, "markdown": f"![Paydown level]({url})"}


@require_POST
def renew_badge(request: HttpRequest, slug: str) -> HttpResponse:
    project = access.get_project_for_user(request.user, slug)
    access.require_manager(
        request.user, project.team, _("Only the team's managers can renew the badge link.")
    )
    renewed = bool(project.badge_token)
    services.renew_badge_token(project=project)
    if renewed:
        messages.success(request, _("Badge link renewed: the old links no longer work."))
    else:
        messages.success(request, _("Badge link created."))
    return redirect(f"{project.get_absolute_url()}#badge")


@login_not_required
@require_GET
def badge(request: HttpRequest, slug: str) -> HttpResponse:
    """The project's level and score as a small SVG for a README, readable without a login with
    the project's badge token. A missing project and a wrong token answer the same bare 404."""
    project = queries.badge_project(slug)
    token = request.GET.get("token", "")
    if project is None or not project.badge_token or not _same_token(token, project.badge_token):
        return HttpResponseNotFound("Not found\n", content_type="text/plain; charset=utf-8")
    svg = render_to_string("projects/badge.svg", _badge_layout(queries.badge_level(project)))
    response = HttpResponse(svg, content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=BADGE_MAX_AGE)
    return response


def _same_token(given: str, expected: str) -> bool:
    # Bytes: compare_digest refuses str with characters outside ASCII, which a URL may carry.
    return secrets.compare_digest(given.encode(), expected.encode())


def _badge_layout(level: queries.BadgeLevel | None) -> dict:
    """The badge's two halves, each as wide as its text, coloured by the level."""
    label = "paydown"
    if level is None:
        message, colour = _("not assessed"), BADGE_NOT_ASSESSED_COLOUR
    else:
        message = _("level %(level)s %(name)s · %(score)s") % {
            "level": level.level,
            "name": level.name,
            "score": f"{level.overall:.1f}",
        }
        colour = BADGE_LEVEL_COLOURS[min(level.level, len(BADGE_LEVEL_COLOURS) - 1)]
    label_width = len(label) * BADGE_CHAR_WIDTH + 2 * BADGE_PADDING
    message_width = len(message) * BADGE_CHAR_WIDTH + 2 * BADGE_PADDING
    return {
        "label": label,
        "message": message,
        "colour": colour,
        "width": label_width + message_width,
        "label_width": label_width,
        "message_width": message_width,
        "label_x": label_width / 2,
        "message_x": label_width + message_width / 2,
    }


@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest, team_slug: str) -> HttpResponse:
    team = access.get_team_for_user(request.user, team_slug)
    access.require_manager(request.user, team, _("Only the team's managers can create projects."))
    tiers = bank_queries.default_bank_target_choices().tiers
    form = ProjectForm(request.POST or None, choices=bank_queries.TargetChoices(tiers=tiers))
    if request.method == "POST" and form.is_valid():
        project = services.create_project(team=team, by=request.user, **form.cleaned_data)
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
        services.update_project(project=project, by=request.user, **form.project_fields())
        messages.success(request, _("Project saved."))
        return redirect(project)
    context = {"form": form, "team": project.team, "project": project}
    return render(request, "projects/project_form.html", context)
