"""Small builders for test data; each returns a saved object."""

from itertools import count

from django.contrib.auth import get_user_model

from projects.models import Membership, Project, Team

_serial = count(1)


def make_user(username: str | None = None, *, is_staff: bool = False):
    username = username or f"user{next(_serial)}"
    return get_user_model().objects.create_user(
        username=username, password="pw-for-tests", is_staff=is_staff
    )


def make_team(name: str | None = None) -> Team:
    n = next(_serial)
    name = name or f"Team {n}"
    return Team.objects.create(name=name, slug=f"team-{n}")


def add_member(team: Team, user, role: str = Membership.Role.MEMBER) -> Membership:
    return Membership.objects.create(team=team, user=user, role=role)


def make_project(team: Team, name: str | None = None) -> Project:
    n = next(_serial)
    return Project.objects.create(team=team, name=name or f"Project {n}", slug=f"project-{n}")
