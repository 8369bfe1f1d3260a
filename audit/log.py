"""The one way to write the audit log: `audit.log.record(Action.X, by=user, project=p, ...)`, called
inside the transaction of the action it records, so there is never one without the other."""

from typing import Any

from audit.models import Entry

Action = Entry.Action


def record(
    action: str,
    *,
    by=None,
    project=None,
    team_id: int | None = None,
    subject: str = "",
    details: dict[str, Any] | None = None,
) -> Entry:
    """`by` is the user who acted (None: the system, e.g. a sign-in's group sync); `project` a
    project the action concerns, whose team is then the entry's team."""
    return Entry.objects.create(
        action=action,
        actor_id=getattr(by, "pk", None),
        actor=by.get_username() if by is not None else "",
        team_id=project.team_id if project is not None else team_id,
        project_id=getattr(project, "pk", None),
        project=project.name if project is not None else "",
        subject=str(subject)[:300],
        details=details or {},
    )
