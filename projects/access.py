"""Who may see and manage what: every view asks here, so the rules live in one place."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from projects.models import Membership, Project, Team

User = AbstractBaseUser | AnonymousUser


def visible_teams(user: User) -> QuerySet[Team]:
    """Teams whose projects the user may see: their own, or all for staff."""
    if user.is_staff:
        return Team.objects.all()
    return Team.objects.filter(memberships__user=user)


def visible_projects(user: User) -> QuerySet[Project]:
    if user.is_staff:
        return Project.objects.all()
    return Project.objects.filter(team__memberships__user=user)


def role_in(user: User, team: Team) -> str | None:
    """The user's role in the team, or None; staff count as managers everywhere."""
    if user.is_staff:
        return Membership.Role.MANAGER
    return Membership.objects.filter(team=team, user=user).values_list("role", flat=True).first()


def can_manage(user: User, team: Team) -> bool:
    return role_in(user, team) == Membership.Role.MANAGER


def team_members(team_id: int) -> QuerySet:
    """The users of a team, by name: owners of tracked actions, respondents of demo history."""
    return get_user_model().objects.filter(memberships__team_id=team_id).order_by("username")


def get_team_for_user(user: User, slug: str) -> Team:
    """The team, or 404 when it does not exist or the user is not in it (no leak of existence)."""
    team = visible_teams(user).filter(slug=slug).first()
    if team is None:
        raise Http404
    return team


def get_project_for_user(user: User, slug: str) -> Project:
    project = visible_projects(user).select_related("team").filter(slug=slug).first()
    if project is None:
        raise Http404
    return project
