"""Writes after submit: take a plan's action into the project's backlog, and follow it there."""

from datetime import date

from django.db import transaction
from paydown import planning

from assessment.models import Assessment, TrackedAction
from projects import services as project_services


def track_action(
    *, assessment: Assessment, action: planning.Action, owner=None, due=None
) -> tuple[TrackedAction, bool]:
    """Accept a plan's action into the project's backlog (once per plan and question); an item
    still open for the same question, from an earlier plan, is that action already."""
    still_open = TrackedAction.objects.filter(
        project_id=assessment.project_id,
        question_key=action.question_key,
        status__in=TrackedAction.OPEN_STATUSES,
    ).first()
    if still_open is not None:
        return still_open, False
    return TrackedAction.objects.get_or_create(
        source=assessment,
        question_key=action.question_key,
        defaults={
            "project_id": assessment.project_id,
            "category_key": action.category_key,
            "title": action.text,
            "advice": action.advice,
            "from_value": action.from_value,
            "to_value": action.to_value,
            "owner": owner,
            "due": due,
        },
    )


@transaction.atomic
def update_tracked_action(
    *,
    action: TrackedAction,
    status: str,
    owner,
    due: date | None,
    by,
    today: date,
    risk_reason: str = "",
    risk_until: date | None = None,
) -> TrackedAction:
    """Change a backlog item. Closing it as accepted risk records the project's acceptance of the
    gap (project_services.AcceptanceRefused when its reason or date will not do), and reopening
    it withdraws that acceptance, in one transaction with the status."""
    # The status as stored, under a lock: the form has already set the new one on `action`.
    stored = TrackedAction.objects.select_for_update().get(pk=action.pk)
    accepted = TrackedAction.Status.ACCEPTED_RISK
    # Closing as accepted risk records it; an item already closed so is renewed only when a new
    # reason comes with the change (an owner or date edit leaves the acceptance as it is).
    renewing = stored.status != accepted or risk_reason.strip()
    if status == accepted and renewing:
        project_services.accept_risk(
            project=action.project,
            question_key=action.question_key,
            by=by,
            reason=risk_reason,
            until=risk_until,
            today=today,
        )
    elif status != accepted and stored.status == accepted:
        project_services.withdraw_risk(
            project=action.project, question_key=action.question_key, by=by
        )
    stored.status, stored.owner, stored.due = status, owner, due
    stored.save(update_fields=["status", "owner", "due", "updated"])
    return stored


@transaction.atomic
def remove_tracked_action(*, action: TrackedAction, by=None) -> None:
    """Take an item out of the backlog; an acceptance it recorded goes with it."""
    stored = TrackedAction.objects.select_for_update().get(pk=action.pk)
    if stored.status == TrackedAction.Status.ACCEPTED_RISK:
        project_services.withdraw_risk(
            project=action.project, question_key=action.question_key, by=by
        )
    stored.delete()
