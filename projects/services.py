"""Writes for teams and projects."""

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.log import Action, record
from projects.models import (
    AcceptedRisk,
    ApiToken,
    Invitation,
    Membership,
    Profile,
    Project,
    SignInLink,
    Team,
)


def unique_project_slug(name: str) -> str:
    base = slugify(name)[:70] or "project"
    slug, counter = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def create_project(
    *,
    team: Team,
    name: str,
    by=None,
    description: str = "",
    kind: str = "",
    risk_tier: str = "",
    reassess_every_days: int | None = None,
) -> Project:
    project = Project.objects.create(
        team=team,
        name=name,
        slug=unique_project_slug(name),
        description=description,
        kind=kind,
        risk_tier=risk_tier,
        reassess_every_days=reassess_every_days,
    )
    record(Action.PROJECT_CREATE, by=by, project=project, subject=name)
    return project


# What the audit log records of a project's settings, and under which action.
AUDITED_SETTINGS = {
    "targets": Action.TARGETS,
    "risk_tier": Action.RISK_TIER,
    "reassess_every_days": Action.CADENCE,
}


@transaction.atomic
def update_project(*, project: Project, by, **fields) -> Project:
    """Save the project's settings (name, description, kind, risk tier, targets, cadence); a
    changed target, tier or cadence is recorded with its old and new value."""
    # Compared with the stored row, under a lock: a bound model form has already set the new
    # values on `project`.
    stored = Project.objects.select_for_update().get(pk=project.pk)
    changes = {
        name: (getattr(stored, name), value)
        for name, value in fields.items()
        if getattr(stored, name) != value
    }
    for name, value in fields.items():
        setattr(project, name, value)
    project.save(update_fields=list(fields))
    for name, (old, new) in changes.items():
        if name in AUDITED_SETTINGS:
            record(
                AUDITED_SETTINGS[name],
                by=by,
                project=project,
                subject=project.name,
                details={"from": old, "to": new},
            )
    return project


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
    record(
        Action.RISK_ACCEPT,
        by=by,
        project=project,
        subject=question_key,
        details={"until": until.isoformat(), "reason": reason},
    )
    return accepted


@transaction.atomic
def withdraw_risk(*, project: Project, question_key: str, by=None) -> bool:
    """The gap is back in the plan; True when there was an acceptance to withdraw. `by` None: the
    acceptance ended because its tracked action did."""
    deleted, _ = AcceptedRisk.objects.filter(project=project, question_key=question_key).delete()
    if deleted:
        record(Action.RISK_WITHDRAW, by=by, project=project, subject=question_key)
    return bool(deleted)


TOKEN_START = "pdt_"  # lets secret scanners and people tell a Paydown token from other strings


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
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
    record(
        Action.TOKEN_CREATE,
        by=user,
        project=project,
        subject=f"{name} ({prefix}…)",
        details={"scopes": row.scopes},
    )
    return row, token


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by, now: datetime) -> None:
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        record(Action.TOKEN_REVOKE, by=by, project=token.project, subject=str(token))


def renew_badge_token(*, project: Project) -> str:
    """A new badge token: the badge URLs that carry the old one stop working."""
    project.badge_token = secrets.token_urlsafe(24)
    project.save(update_fields=["badge_token"])
    return project.badge_token


# --- people (issue #16) ---------------------------------------------------------------------------


class InvitationClosed(Exception):
    """An invitation that was used, withdrawn or has expired; the message says which."""


class LastManager(Exception):
    """A change that would leave a team without a manager, who alone can invite and manage."""


@transaction.atomic
def invite(*, team: Team, email: str, role: str, by, now: datetime) -> tuple[Invitation, str]:
    """An invitation and its link's token, which is not kept anywhere: it goes in the email."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        team=team,
        email=email,
        role=role,
        digest=token_digest(token),
        invited_by=by,
        expires_at=now + timedelta(days=settings.PAYDOWN_INVITATION_DAYS),
    )
    record(Action.INVITE, by=by, team_id=team.pk, subject=email, details={"role": role})
    return invitation, token


def invitation_problem(invitation: Invitation, now: datetime) -> str:
    """Why the invitation no longer works, or "" while it does."""
    if invitation.accepted_at is not None:
        return _("This invitation was used already: its link works once.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn by a manager of the team.")
    if invitation.expires_at <= now:
        return _("This invitation expired on %(date)s.") % {
            "date": formats.date_format(invitation.expires_at, "DATE_FORMAT")
        }
    return ""


def create_invited_user(*, invitation: Invitation, username: str, password: str):
    return get_user_model().objects.create_user(
        username=username, email=invitation.email, password=password
    )


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user, now: datetime) -> Membership:
    """Join the team with the invited role (a member already there takes it). The invitation's
    row is locked and checked again, so of two clicks on one link only the first joins."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(locked, now)
    if problem:
        raise InvitationClosed(problem)
    membership, _created = Membership.objects.update_or_create(
        team_id=locked.team_id, user=user, defaults={"role": locked.role}
    )
    locked.accepted_at, locked.accepted_by = now, user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    record(
        Action.INVITE_ACCEPT,
        by=user,
        team_id=locked.team_id,
        subject=locked.email,
        details={"role": locked.role},
    )
    return membership


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, by) -> None:
    if Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    ):
        record(Action.INVITE_REVOKE, by=by, team_id=invitation.team_id, subject=invitation.email)


@transaction.atomic
def change_role(*, membership: Membership, role: str, by) -> Membership:
    _lock_managers(membership.team_id)
    if role != Membership.Role.MANAGER:
        _keep_a_manager(membership)
    before, membership.role = membership.role, role
    membership.save(update_fields=["role"])
    if before != role:
        record(
            Action.ROLE_CHANGE,
            by=by,
            team_id=membership.team_id,
            subject=membership.user.get_username(),
            details={"from": before, "to": role},
        )
    return membership


@transaction.atomic
def remove_member(*, membership: Membership, by) -> None:
    """The member leaves the team; their answers, comments and history stay where they are."""
    _lock_managers(membership.team_id)
    _keep_a_manager(membership)
    membership.delete()
    record(
        Action.MEMBER_REMOVE,
        by=by,
        team_id=membership.team_id,
        subject=membership.user.get_username(),
        details={"role": membership.role},
    )


def _lock_managers(team_id: int) -> None:
    # Two managers demoting each other at once must not both succeed.
    list(Team.objects.select_for_update().filter(pk=team_id).values_list("pk"))


def _keep_a_manager(membership: Membership) -> None:
    others = Membership.objects.filter(
        team_id=membership.team_id, role=Membership.Role.MANAGER
    ).exclude(pk=membership.pk)
    if membership.role == Membership.Role.MANAGER and not others.exists():
        raise LastManager(
            _("%(team)s needs a manager: make someone else a manager first.")
            % {"team": membership.team.name}
        )


def update_profile(*, user, first_name: str, last_name: str, email: str, **profile_fields) -> str:
    """Save the name and the profile's fields (language, role, emails wanted); returns a new
    email address to verify ("" when unchanged): the address changes only once its link is
    followed (services.set_email)."""
    user.first_name, user.last_name = first_name, last_name
    user.save(update_fields=["first_name", "last_name"])
    Profile.objects.update_or_create(user=user, defaults=profile_fields)
    return email if email and email != user.email else ""


def set_language(*, user, language: str) -> None:
    Profile.objects.update_or_create(user=user, defaults={"language": language})


def set_email(*, user, email: str) -> None:
    user.email = email
    user.save(update_fields=["email"])


class SignInLinkRefused(Exception):
    """A sign-in link that was used, has expired, or is for someone no longer staff."""


def create_sign_in_link(*, user, now: datetime, minutes: int = 15) -> str:
    """A one-time sign-in link's token for a staff user; the token is shown once, not kept."""
    if not (user.is_active and user.is_staff):
        raise SignInLinkRefused(_("Sign-in links are for active staff users only."))
    token = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        user=user, digest=token_digest(token), expires_at=now + timedelta(minutes=minutes)
    )
    return token


@transaction.atomic
def use_sign_in_link(*, link: SignInLink, now: datetime):
    """The link's user, once: the row is locked, so of two clicks only the first signs in."""
    locked = SignInLink.objects.select_for_update().select_related("user").get(pk=link.pk)
    if locked.used_at is not None:
        raise SignInLinkRefused(_("This sign-in link was used already: it works once."))
    if locked.expires_at <= now:
        raise SignInLinkRefused(_("This sign-in link has expired: make a new one."))
    if not (locked.user.is_active and locked.user.is_staff):
        raise SignInLinkRefused(_("Sign-in links are for active staff users only."))
    locked.used_at = now
    locked.save(update_fields=["used_at"])
    return locked.user
