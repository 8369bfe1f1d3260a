"""Writes: start, answer, discuss and submit assessments; track the plan's actions."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assessment import consensus, planning, queries, scoring
from assessment.models import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentResult,
    CategoryResult,
    Comment,
    QuestionResult,
    Settlement,
    SubmittedAssessmentError,
    TrackedAction,
)
from banks.models import BankVersion, Category, Question
from banks.queries import scale_of
from projects.models import Project


@dataclass(frozen=True)
class AnswerInput:
    """What a respondent posted for one question; value None with not_applicable False = no level."""

    value: Decimal | None = None
    not_applicable: bool = False
    na_reason: str = ""
    na_detail: str = ""
    notes: str = ""
    links: str = ""
    confirm: bool = False


def _choice_text(value: Decimal | None, not_applicable: bool) -> str:
    if not_applicable:
        return "na"
    return "" if value is None else f"{value.normalize():f}"


def record_answer(
    *,
    assessment: Assessment,
    question_id: int,
    respondent,
    answer: AnswerInput,
    previous: consensus.Response | None,
) -> bool:
    """Save one respondent's answer; returns whether this save confirmed it (chose or re-confirmed).

    One upsert, so two saves of the same answer keep the latest and respondents never overwrite
    each other (each has a row of their own). A level change also writes a history row.
    """
    if not assessment.is_open:
        raise SubmittedAssessmentError
    previous_choice = _choice_text(previous.value, previous.not_applicable) if previous else ""
    new_choice = _choice_text(answer.value, answer.not_applicable)
    level_changed = new_choice != previous_choice
    confirming = bool(new_choice) and (level_changed or answer.confirm)
    now = timezone.now()
    fields = [
        "level_value",
        "not_applicable",
        "na_reason",
        "na_detail",
        "notes",
        "links",
        "updated_at",
    ]
    if confirming:
        fields += ["carried_over", "confirmed_at"]
    Answer.objects.bulk_create(
        [
            Answer(
                assessment=assessment,
                question_id=question_id,
                respondent=respondent,
                level_value=answer.value,
                not_applicable=answer.not_applicable,
                na_reason=answer.na_reason,
                na_detail=answer.na_detail,
                notes=answer.notes,
                links=answer.links,
                carried_over=False,
                confirmed_at=now if confirming else None,
            )
        ],
        update_conflicts=True,
        unique_fields=["assessment", "question", "respondent"],
        update_fields=fields,
    )
    if level_changed:
        AnswerChange.objects.create(
            assessment=assessment,
            question_id=question_id,
            respondent=respondent,
            from_value=previous_choice,
            to_value=new_choice,
        )
    return confirming


@transaction.atomic
def start_assessment(
    *, project: Project, version: BankVersion, started_by, title: str, carry_over: bool = False
) -> Assessment:
    """Start an assessment; optionally carry the previous submitted one's team answers over."""
    previous = (
        project.assessments.filter(status=Assessment.Status.SUBMITTED)
        .select_related("version")
        .order_by("-submitted_at")
        .first()
        if carry_over
        else None
    )
    assessment = Assessment.objects.create(
        project=project, version=version, title=title, started_by=started_by, carried_from=previous
    )
    if previous is not None:
        Answer.objects.bulk_create(_carried_answers(previous, assessment, started_by))
    return assessment


def _carried_answers(previous: Assessment, assessment: Assessment, respondent) -> list[Answer]:
    """The previous assessment's team answer and pooled evidence per question key."""
    old_answers: dict[str, list[Answer]] = {}
    for old in previous.answers.select_related("question", "respondent"):
        old_answers.setdefault(old.question.key, []).append(old)
    settled = {
        s.question.key: queries.settled_of(s)
        for s in previous.settlements.select_related("question")
    }
    old_scale = scale_of(previous.version)
    new_scale = scale_of(assessment.version)
    carried = []
    for question in assessment.version.questions.all():
        answers = old_answers.get(question.key, [])
        team = consensus.consensus_of(
            [queries.response_of(a) for a in answers],
            old_scale,
            settled.get(question.key),
        )  # fmt: skip
        if not team.is_answered and not any(a.notes or a.links for a in answers):
            continue
        not_applicable = team.not_applicable and question.allow_na
        value = team.value if team.value in new_scale else None
        na_reasons = [a.na_reason for a in answers if a.not_applicable]
        confirmed = [a.confirmed_at for a in answers if a.confirmed_at]
        carried.append(
            Answer(
                assessment=assessment,
                question=question,
                respondent=respondent,
                level_value=None if not_applicable else value,
                not_applicable=not_applicable,
                na_reason=(na_reasons[0] if na_reasons else Answer.NotApplicableReason.OTHER)
                if not_applicable
                else "",
                notes="\n\n".join(
                    dict.fromkeys(a.notes.strip() for a in answers if a.notes.strip())
                ),
                links="\n".join(dict.fromkeys(link for a in answers for link in a.link_list)),
                carried_over=True,
                confirmed_at=max(confirmed) if confirmed else None,
            )
        )
    return carried


class IncompleteAssessmentError(Exception):
    def __init__(self, unanswered: list[str]) -> None:
        super().__init__(f"{len(unanswered)} question(s) unanswered")
        self.unanswered = unanswered


@transaction.atomic
def submit_assessment(*, assessment: Assessment, by, allow_unanswered: bool = False) -> Assessment:
    """Freeze the assessment; unanswered questions (allowed for managers) count as the lowest level."""
    assessment = (
        Assessment.objects.select_for_update().select_related("version").get(pk=assessment.pk)
    )
    if not assessment.is_open:
        raise SubmittedAssessmentError
    answers = queries.team_answers(assessment)
    teams = queries.consensus_by_question(assessment, answers)
    unanswered = [info.key for info in answers.questions.values() if not teams[info.id].is_answered]
    if unanswered and not allow_unanswered:
        raise IncompleteAssessmentError(unanswered)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    _store_result(assessment, answers, teams)
    return assessment


def _store_result(
    assessment: Assessment,
    answers: "queries.TeamAnswers",
    teams: dict[int, consensus.Consensus],
) -> AssessmentResult:
    """Score the submitted answers and store the result with the inputs it was computed from."""
    version = assessment.version
    categories = list(Category.objects.filter(version=version).order_by("order", "pk"))
    questions = list(
        Question.objects.filter(version=version)
        .select_related("category")
        .order_by("category__order", "order", "pk")
    )
    notes = dict(assessment.settlements.values_list("question_id", "note"))
    card = scoring.score(
        scoring.BankInput(
            method=version.scoring_method,
            scale=scale_of(version),
            categories=[scoring.CategoryInput(c.key, c.name, c.weight) for c in categories],
            questions=[
                scoring.QuestionInput(
                    q.key, q.category.key, q.weight, teams[q.pk].value, teams[q.pk].not_applicable
                )
                for q in questions
            ],
        )
    )
    respondents = {r.respondent for rs in answers.responses.values() for r in rs if r.is_answered}
    result = AssessmentResult.objects.create(
        assessment=assessment,
        version=version,
        method=card.method,
        overall=card.overall,
        level=card.level,
        level_name=card.level_name,
        level_meaning=card.level_meaning,
        counted=card.counted,
        total=card.total,
        unanswered=card.unanswered,
        respondents=len(respondents),
        category_weight_sum=card.category_weight_sum,
    )
    CategoryResult.objects.bulk_create(
        CategoryResult(
            result=result,
            key=c.key,
            name=c.name,
            order=i,
            weight=c.weight,
            score=c.score,
            points=c.points,
            level=c.level,
            level_name=c.level_name,
            counted=c.counted,
            total=c.total,
            weighted_sum=c.weighted_sum,
            weight_sum=c.weight_sum,
        )
        for i, c in enumerate(card.categories)
    )
    QuestionResult.objects.bulk_create(
        QuestionResult(
            result=result,
            question_key=q.key,
            category_key=q.category.key,
            order=i,
            text=q.text,
            weight=q.weight,
            value=teams[q.pk].value,
            not_applicable=teams[q.pk].not_applicable,
            unanswered=not teams[q.pk].is_answered,
            settled=teams[q.pk].settled,
            settled_note=notes.get(q.pk, ""),
        )
        for i, q in enumerate(questions)
    )
    return result


def add_comment(*, assessment: Assessment, question_id: int, author, text: str) -> Comment:
    if not assessment.is_open:
        raise SubmittedAssessmentError
    return Comment.objects.create(
        assessment=assessment, question_id=question_id, author=author, text=text
    )


def settle_question(
    *,
    assessment: Assessment,
    question_id: int,
    by,
    value: Decimal | None,
    not_applicable: bool,
    note: str = "",
) -> Settlement:
    """Record the level the team agreed on for a question it disagreed about."""
    if not assessment.is_open:
        raise SubmittedAssessmentError
    settlement, _ = Settlement.objects.update_or_create(
        assessment=assessment,
        question_id=question_id,
        defaults={
            "level_value": None if not_applicable else value,
            "not_applicable": not_applicable,
            "note": note,
            "settled_by": by,
        },
    )
    return settlement


def reopen_question(*, assessment: Assessment, question_id: int) -> None:
    if not assessment.is_open:
        raise SubmittedAssessmentError
    Settlement.objects.filter(assessment=assessment, question_id=question_id).delete()


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
