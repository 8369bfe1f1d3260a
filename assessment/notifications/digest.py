"""What a person's weekly digest says: reads only, a handful of queries a person."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q

from assessment.models import (
    Answer,
    Assessment,
    Evidence,
    LatestResult,
    TeamAnswer,
    TrackedAction,
)
from banks.models import Question

DUE_SOON_DAYS = 7  # a tracked action due within a week is listed
STALE_SOON_DAYS = 30  # evidence turning stale within a month is listed


@dataclass(frozen=True)
class OpenAssessment:
    assessment: Assessment
    unanswered: int  # questions this person has not answered yet
    disagreements: int  # questions the team disagrees on and has not settled


@dataclass
class Digest:
    actions: list[TrackedAction] = field(default_factory=list)
    assessments: list[OpenAssessment] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.actions or self.assessments or self.evidence)


def digest_for(user, now: datetime) -> Digest:
    today = now.date()
    return Digest(
        actions=_actions(user, today),
        assessments=_open_assessments(user),
        evidence=_evidence_turning_stale(user, now),
    )


def _actions(user, today: date) -> list[TrackedAction]:
    """The person's open tracked actions that are overdue or due within a week."""
    return list(
        TrackedAction.objects.filter(
            owner=user,
            status__in=[TrackedAction.Status.OPEN, TrackedAction.Status.IN_PROGRESS],
            due__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("project")
        .order_by("due", "pk")
    )


def _open_assessments(user) -> list[OpenAssessment]:
    """The open assessments of the person's teams where questions wait for their answer or the
    team disagrees: three queries however many."""
    assessments = list(
        Assessment.objects.filter(
            status=Assessment.Status.IN_PROGRESS, project__team__memberships__user=user
        )
        .select_related("project")
        .order_by("project__name", "pk")
    )
    ids = [a.pk for a in assessments]
    questions = dict(
        Question.objects.filter(version_id__in={a.version_id for a in assessments})
        .values("version_id")
        .annotate(n=Count("pk"))
        .values_list("version_id", "n")
    )
    answered = dict(
        Answer.objects.filter(assessment_id__in=ids, respondent=user)
        .values("assessment_id")
        .annotate(n=Count("pk"))
        .values_list("assessment_id", "n")
    )
    disagreements = dict(
        TeamAnswer.objects.filter(assessment_id__in=ids, discuss=True)
        .values("assessment_id")
        .annotate(n=Count("pk"))
        .values_list("assessment_id", "n")
    )
    found = [
        OpenAssessment(
            a,
            unanswered=questions.get(a.version_id, 0) - answered.get(a.pk, 0),
            disagreements=disagreements.get(a.pk, 0),
        )
        for a in assessments
    ]
    return [o for o in found if o.unanswered or o.disagreements]


def _evidence_turning_stale(user, now: datetime) -> list[Evidence]:
    """Evidence in the person's own answers that turns stale within a month, or did this week
    (so a weekly digest lists it at least once)."""
    return list(
        Evidence.objects.filter(
            answer__respondent=user,
            stale_after__gte=now - timedelta(days=7),
            stale_after__lte=now + timedelta(days=STALE_SOON_DAYS),
        )
        # Only what still stands: an open assessment's, or a project's latest submitted one's.
        .filter(
            Q(answer__assessment__status=Assessment.Status.IN_PROGRESS)
            | Q(answer__assessment__in=LatestResult.objects.values("assessment_id"))
        )
        .select_related("answer__assessment__project", "answer__question")
        .order_by("stale_after", "pk")[:50]
    )
