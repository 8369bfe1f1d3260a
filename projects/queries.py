"""Reads tuned per page for the projects app."""

from dataclasses import dataclass

from django.db.models import Prefetch

from projects.access import User, visible_teams
from projects.models import Membership, Project, Team


@dataclass(frozen=True)
class TeamWithProjects:
    team: Team
    role: str
    projects: list[Project]

    @property
    def can_manage(self) -> bool:
        return self.role == Membership.Role.MANAGER


def home_teams(user: User) -> list[TeamWithProjects]:
    """The home page: the user's teams with their projects, in two queries whatever their number."""
    teams = visible_teams(user).prefetch_related(
        Prefetch("projects", queryset=Project.objects.order_by("name"))
    )
    if not user.is_staff:
        teams = teams.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.filter(user=user), to_attr="mine")
        )
    rows = []
    for team in teams.order_by("name"):
        role = Membership.Role.MANAGER if user.is_staff else team.mine[0].role
        rows.append(TeamWithProjects(team=team, role=role, projects=list(team.projects.all())))
    return rows
