"""Writes for teams and projects."""

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils.text import slugify

from projects.models import AcceptedRisk, ApiToken, Project, Team


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


TOKEN_START = "pdt_"  # lets secret scanners and people tell a Paydown token from other strings


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(
    *,
    user,
    name: str,
    scopes: list[str],
    project: Project | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token and return it with its plain text, which is not kept anywhere: show it once."""
    unknown = set(scopes) - set(ApiToken.Scope.values)
    if unknown or not scopes:
        raise ValueError(f"scopes must be some of {', '.join(ApiToken.Scope.values)}")
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiToken.objects.create(
        user=user,
        project=project,
        name=name,
        prefix=prefix,
        digest=token_digest(token),
        scopes=[s for s in ApiToken.Scope.values if s in scopes],
        expires_at=expires_at,
    )
    return row, token


def revoke_api_token(*, token: ApiToken, now: datetime) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)


def renew_badge_token(*, project: Project) -> str:
    """A new badge token: the badge URLs that carry the old one stop working."""
    project.badge_token = secrets.token_urlsafe(24)
    project.save(update_fields=["badge_token"])
    return project.badge_token
