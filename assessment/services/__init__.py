"""Writes, called as `services.<verb>(...)` with keyword arguments: answering while an assessment
is open, submitting it, and tracking its plan's actions."""

from assessment.services.actions import (
    remove_tracked_action,
    track_action,
    update_tracked_action,
)
from assessment.services.answers import (
    AnswerInput,
    SavedAnswer,
    add_comment,
    confirm_carried,
    lock_open,
    record_answer,
    refresh_team_answers,
    reopen_question,
    settle_question,
    start_assessment,
)
from assessment.services.submission import IncompleteAssessmentError, submit_assessment

__all__ = [
    "AnswerInput",
    "IncompleteAssessmentError",
    "add_comment",
    "confirm_carried",
    "lock_open",
    "SavedAnswer",
    "record_answer",
    "refresh_team_answers",
    "reopen_question",
    "settle_question",
    "start_assessment",
    "submit_assessment",
    "remove_tracked_action",
    "track_action",
    "update_tracked_action",
]
