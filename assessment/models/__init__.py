"""Assessments, their answers, stored results, tracked actions and report jobs."""

from assessment.models.answers import (
    Answer,
    AnswerChange,
    Assessment,
    Comment,
    Evidence,
    Settlement,
    SubmittedAssessmentError,
    TeamAnswer,
)
from assessment.models.notices import SentNotice
from assessment.models.reports import ReportJob
from assessment.models.results import (
    AnswerSnapshot,
    AssessmentResult,
    CategoryResult,
    LatestResult,
    QuestionResult,
    TeamGapCount,
    TeamScoreCount,
    TrackedAction,
)
from assessment.models.scans import RepositoryScan, ScanSuggestion

__all__ = [
    "SentNotice",
    "RepositoryScan",
    "ScanSuggestion",
    "Evidence",
    "AnswerSnapshot",
    "ReportJob",
    "AssessmentResult",
    "CategoryResult",
    "LatestResult",
    "QuestionResult",
    "TeamGapCount",
    "TeamScoreCount",
    "TrackedAction",
    "Answer",
    "AnswerChange",
    "Assessment",
    "Comment",
    "Settlement",
    "SubmittedAssessmentError",
    "TeamAnswer",
]
