"""Question banks and the assessments answered against them."""

from assessment.models.answers import (
    Answer,
    AnswerChange,
    Assessment,
    Comment,
    Settlement,
    SubmittedAssessmentError,
)
from assessment.models.bank import (
    BankVersion,
    Category,
    Level,
    PublishedVersionError,
    Question,
    QuestionBank,
    Remediation,
)
from assessment.models.reports import ReportJob
from assessment.models.results import (
    AssessmentResult,
    CategoryResult,
    QuestionResult,
    TrackedAction,
)

__all__ = [
    "ReportJob",
    "AssessmentResult",
    "CategoryResult",
    "QuestionResult",
    "TrackedAction",
    "Answer",
    "AnswerChange",
    "Assessment",
    "BankVersion",
    "Category",
    "Comment",
    "Level",
    "PublishedVersionError",
    "Question",
    "QuestionBank",
    "Remediation",
    "Settlement",
    "SubmittedAssessmentError",
]
