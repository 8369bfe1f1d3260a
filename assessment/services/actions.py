"""Writes after submit: take a plan's action into the project's backlog."""

from assessment import planning
from assessment.models import Assessment, TrackedAction


def track_action(
    *, assessment: Assessment, action: planning.Action, owner=None, due=None
) -> tuple[TrackedAction, bool]:
    """Accept a plan's action into the project's backlog (once per plan and question)."""
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
