"""Writes: send each notice once. A notice's row is inserted, then the email sent, in one
transaction: a second worker's insert of the same notice waits for the first and is refused
(the unique constraint), and a failed send leaves no row, so the next run tries again."""

import logging
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import translation

from assessment.models import Assessment, SentNotice
from assessment.notifications.digest import digest_for
from projects.models import Membership, Profile, Project

logger = logging.getLogger(__name__)


def send_once(*, user, kind: str, key: str, template: str, context: dict) -> bool:
    """Email the user (one of `_wanting`, which reads their language with them) the notice
    `template` in their language, unless it went already; True when this call sent it. A mail
    server that fails is logged, and the next run tries again."""
    language = user.profile_language
    try:
        with transaction.atomic():
            SentNotice.objects.create(user=user, kind=kind, key=key)
            with translation.override(language or settings.LANGUAGE_CODE):
                context = {**context, "user": user, "base_url": settings.PAYDOWN_BASE_URL}
                send_mail(
                    subject=render_to_string(f"{template}_subject.txt", context).strip(),
                    message=render_to_string(f"{template}.txt", context),
                    from_email=None,
                    recipient_list=[user.email],
                )
    except IntegrityError:
        return False
    except OSError:  # the mail server: the notice's row went with the rollback
        logger.exception("The %s notice %s to %s was not sent", kind, key, user.pk)
        return False
    return True


def _wanting(flag: str):
    """People with an address who have not switched this kind of email off (no profile: on),
    each with their profile's language (None without a profile)."""
    off = Profile.objects.filter(**{flag: False}).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .exclude(pk__in=off)
        .annotate(
            profile_language=Subquery(
                Profile.objects.filter(user=OuterRef("pk")).values("language")[:1]
            )
        )
    )


def send_weekly_digests(now: datetime) -> int:
    """Each person's digest for this ISO week, when it has anything to say; returns how many
    were sent."""
    year, week, _day = now.isocalendar()
    sent = 0
    for user in _wanting("weekly_digest").filter(memberships__isnull=False).distinct():
        digest = digest_for(user, now)
        if digest.is_empty:
            continue
        sent += send_once(
            user=user,
            kind=SentNotice.Kind.DIGEST,
            key=f"{year}-W{week:02d}",
            template="notifications/digest",
            context={"digest": digest, "now": now},
        )
    return sent


def stale_projects(now: datetime) -> list[Project]:
    """Projects due for reassessment: their last submit (else their creation) is older than
    their cadence. Each carries `last_submitted_at` (None when never assessed)."""
    projects = Project.objects.annotate(
        last_submitted_at=Max(
            "assessments__submitted_at",
            filter=Q(assessments__status=Assessment.Status.SUBMITTED),
        )
    )
    return [
        project
        for project in projects
        if (now - (project.last_submitted_at or project.created)).days >= project.cadence_days
    ]


def send_stale_reminders(now: datetime) -> int:
    """Remind a stale project's managers once per staleness: the key names the project and its
    last submit, so the next reminder waits for the next submit to go stale."""
    projects = stale_projects(now)
    managers_of: dict[int, list] = defaultdict(list)  # team id → its managers, one query for all
    for manager in (
        _wanting("stale_reminders")
        .filter(
            memberships__team_id__in={project.team_id for project in projects},
            memberships__role=Membership.Role.MANAGER,
        )
        .annotate(managed_team_id=F("memberships__team_id"))
    ):
        managers_of[manager.managed_team_id].append(manager)
    sent = 0
    for project in projects:
        since = (
            project.last_submitted_at.date().isoformat() if project.last_submitted_at else "never"
        )
        sent += sum(
            send_once(
                user=user,
                kind=SentNotice.Kind.STALE,
                key=f"{project.pk}:{since}",
                template="notifications/stale",
                context={"project": project, "now": now},
            )
            for user in managers_of[project.team_id]
        )
    return sent
