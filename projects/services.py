"""Writes for teams and projects."""

from django.db import transaction
from django.utils.text import slugify

from projects.models import Project, Team


def unique_project_slug(name: str) -> str:
    base = slugify(name)[:70] or "project"
    slug, counter = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def create_project(*, team: Team, name: str, description: str = "", kind: str = "") -> Project:
    return Project.objects.create(
        team=team,
        name=name,
        slug=unique_project_slug(name),
        description=description,
        kind=kind,
    )
