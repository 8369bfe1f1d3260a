"""Assessments, their answers, stored results, tracked actions and report jobs."""

from assessment.models.answers import (
    Answer,
    AnswerChange,
    Assessment,
    Comment,
    Settlement,
    SubmittedAssessmentError,
    TeamAnswer,
)
from assessment.models.reports import ReportJob
from assessment.models.results import (
    AnswerSnapshot,
    AssessmentResult,
    CategoryResult,
    QuestionResult,
    TrackedAction,
)

__all__ = [
    "AnswerSnapshot",
    "ReportJob",
    "AssessmentResult",
    "CategoryResult",
    "QuestionResult",
    "TrackedAction",
    "Answer",
    "AnswerChange",
    "Assessment",
    "Comment",
    "Settlement",
    "SubmittedAssessmentError",
    "TeamAnswer",
]
