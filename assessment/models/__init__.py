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

__all__ = [
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
