"""The API's request and response shapes (OpenAPI components)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Generic, TypeVar

from ninja import Schema
from pydantic import Field

Item = TypeVar("Item")


class Page(Schema, Generic[Item]):
    items: list[Item]
    next: str | None = Field(None, description="Cursor of the next page; null on the last.")


class ProjectOut(Schema):
    slug: str
    name: str
    team: str
    kind: str
    risk_tier: str


class AssessmentOut(Schema):
    id: int
    project: str
    title: str
    status: str
    bank: str
    bank_version: int
    created: datetime
    submitted: datetime | None


class AssessmentIn(Schema):
    bank: str = Field(
        "ml-technical-debt", description="Slug of a bank: its newest published version."
    )
    version: int | None = Field(
        None,
        ge=1,
        le=2147483647,
        description=(
            "A published version of the bank to answer instead of the newest, e.g. the one an "
            "answers file was written for (a version that only adds translations keeps its keys)."
        ),
    )
    title: str = Field(..., min_length=1, max_length=200)
    carry_over: bool = Field(
        False, description="Start from the last submitted result on this bank."
    )


class AnswerIn(Schema):
    """One of level, not_applicable and dont_know, or none of them to keep the saved level."""

    level: Decimal | None = None
    not_applicable: bool = False
    na_reason: str = Field("", max_length=20)
    na_detail: str = Field("", max_length=300)
    dont_know: bool = False
    notes: str = Field("", max_length=5000)
    links: list[str] = Field(default_factory=list, max_length=20)
    confirm: bool = Field(False, description="Confirm a carried-over answer.")


class AnswerOut(Schema):
    question: str
    level: float | None
    not_applicable: bool
    na_reason: str
    na_detail: str
    dont_know: bool
    notes: str
    links: list[str]


class TeamAnswerOut(Schema):
    question: str
    level: float | None
    not_applicable: bool
    dont_know: int = Field(description="Respondents who said they don't know.")
    discuss: bool
    to_confirm: bool


class AnswersOut(Schema):
    mine: list[AnswerOut]
    team: list[TeamAnswerOut]


class SubmitIn(Schema):
    allow_open_items: bool = Field(
        False, description="Managers only, with the manage scope: submit with open items marked."
    )


class ScanOut(Schema):
    id: int
    suggestions: int  # waiting on their questions for a person to accept, change or dismiss
    ignored: list[str]  # suggested keys or levels this assessment's bank version does not have


class SubmittedOut(Schema):
    id: int
    overall: float | None
    level: int | None
    level_name: str
    integrity_sha256: str


class TrackedActionOut(Schema):
    id: int
    question: str
    category: str
    title: str
    advice: str
    from_level: float | None
    to_level: float
    status: str
    owner: str | None
    due: date | None
    source_assessment: int


class TrackIn(Schema):
    question: str = Field(..., max_length=80, description="A question with a step in the plan.")
    owner: str | None = Field(None, description="Username of a member of the team.")
    due: date | None = None


class TrackedActionPatch(Schema):
    status: str | None = Field(None, description="open, in_progress, done, wont_do, accepted_risk")
    owner: str | None = Field(None, description="Username of a member of the team; '' for none.")
    due: date | None = None
    risk_reason: str = Field("", max_length=2000, description="With status accepted_risk.")
    risk_until: date | None = Field(None, description="With status accepted_risk.")


class BankVersionOut(Schema):
    bank: str
    name: str
    version: int
    status: str
    scoring: str
    method_version: int
