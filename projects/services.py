"""Writes for teams and projects."""

from datetime import date, timedelta

from django.db import transaction
from django.utils.text import slugify

from projects.models import AcceptedRisk, Project, Team


def unique_project_slug(name: str) -> str:
    base = slugify(name)[:70] or "project"
    slug, counter = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def create_project(
    *, team: Team, name: str, description: str = "", kind: str = "", risk_tier: str = ""
) -> Project:
    return Project.objects.create(
        team=team,
        name=name,
        slug=unique_project_slug(name),
        description=description,
        kind=kind,
        risk_tier=risk_tier,
    )


MAX_ACCEPTANCE_DAYS = 2 * 365  # an accepted risk is reviewed at least every two years


class AcceptanceRefused(ValueError):
    """An accepted risk without a reason, or with an end date in the past or too far ahead."""


@transaction.atomic
def accept_risk(
    *, project: Project, question_key: str, by, reason: str, until: date, today: date
) -> AcceptedRisk:
    """Record (or renew) the team's acceptance of its gap on one question, under a lock on the
    project's row so that two acceptances of the same gap cannot interleave."""
    reason = reason.strip()
    if not reason:
        raise AcceptanceRefused("Say why the risk is accepted.")
    if not today < until <= today + timedelta(days=MAX_ACCEPTANCE_DAYS):
        raise AcceptanceRefused("Accept a risk until a date in the next two years.")
    Project.objects.select_for_update().filter(pk=project.pk).first()
    accepted, _ = AcceptedRisk.objects.update_or_create(
        project=project,
        question_key=question_key,
        defaults={"reason": reason, "until": until, "accepted_by": by},
    )
    return accepted


def withdraw_risk(*, project: Project, question_key: str) -> bool:
    """The gap is back in the plan; True when there was an acceptance to withdraw."""
    deleted, _ = AcceptedRisk.objects.filter(project=project, question_key=question_key).delete()
    return bool(deleted)
