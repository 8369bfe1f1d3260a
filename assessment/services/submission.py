"""Submit: freeze the assessment and store its result, the marks and a snapshot of every answer."""

import hashlib

from django.db import transaction
from django.utils import timezone
from paydown import consensus, scoring

from assessment import exports, queries
from assessment.models import (
    Answer,
    AnswerSnapshot,
    Assessment,
    AssessmentResult,
    CategoryResult,
    QuestionResult,
)
from assessment.services import portfolio
from assessment.services.answers import lock_open, record_on
from audit.log import Action
from banks.models import Category, Question
from banks.queries import scale_of


class IncompleteAssessmentError(Exception):
    """Questions that keep a member from submitting; a manager may submit after confirming them."""

    def __init__(self, *, unanswered: list[str], to_confirm: list[str], unsettled: list[str]):
        super().__init__(
            f"{len(unanswered)} unanswered, {len(to_confirm)} to confirm, "
            f"{len(unsettled)} unsettled question(s)"
        )
        self.unanswered = unanswered
        self.to_confirm = to_confirm
        self.unsettled = unsettled


@transaction.atomic
def submit_assessment(*, assessment: Assessment, by, allow_open_items: bool = False) -> Assessment:
    """Freeze the assessment and store its result. Open items (unanswered questions, those every
    respondent said they don't know included; carried-over answers nobody confirmed;
    disagreements nobody settled) refuse the submit unless a manager allows them: unanswered ones
    count as the lowest level, the others as they stand, and the result marks them."""
    assessment = lock_open(assessment)
    answers = queries.team_answers(assessment)
    teams = queries.consensus_by_question(assessment, answers)
    keys = {info.id: info.key for info in answers.questions.values()}
    unanswered = [keys[q] for q, team in teams.items() if not team.is_answered]
    to_confirm = [keys[q] for q, team in teams.items() if team.to_confirm]
    unsettled = [keys[q] for q, team in teams.items() if team.discuss]
    if (unanswered or to_confirm or unsettled) and not allow_open_items:
        raise IncompleteAssessmentError(
            unanswered=unanswered, to_confirm=to_confirm, unsettled=unsettled
        )
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.submitted_by = by
    assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    result = _store_result(assessment, answers, teams)
    _store_snapshot(result)
    _store_integrity_hash(result)
    record_on(
        assessment,
        Action.SUBMIT,
        by=by,
        open_items_allowed=bool(unanswered or to_confirm or unsettled),
        sha256=result.integrity_sha256,
    )
    return assessment


def results_sha256(assessment: Assessment, result: AssessmentResult) -> str:
    """SHA-256 of the canonical JSON export (results.json): `sha256sum` of the download equals it.
    `result` needs its version and bank, categories, questions and answer snapshots loaded."""
    data = exports.results_data(assessment, result)
    return hashlib.sha256(exports.canonical_json(data).encode()).hexdigest()


def _store_integrity_hash(result: AssessmentResult) -> None:
    """Hash the export as the download will read it: from the stored rows, not the objects in
    memory, whose decimals and datetimes may differ from what the database keeps."""
    stored = (
        AssessmentResult.objects.select_related("assessment__project", "version__bank")
        .prefetch_related("categories", "questions", "answers")
        .get(pk=result.pk)
    )
    result.integrity_sha256 = results_sha256(stored.assessment, stored)
    result.save(update_fields=["integrity_sha256"])


def result_fields(card: scoring.ScoreCard) -> dict:
    """The fields of a stored result that come from its score card."""
    gate = card.gated.held_back_by if card.gated else None
    return {
        "method": card.method,
        "method_version": card.method_version,
        "gate_share": card.gate_share,
        "held_back_by": gate.as_data() if gate else {},
        "overall": card.overall,
        "level": card.level,
        "level_name": card.level_name,
        "level_meaning": card.level_meaning,
        "counted": card.counted,
        "total": card.total,
        "unanswered": card.unanswered,
        "category_weight_sum": card.category_weight_sum,
    }


def category_results(result: AssessmentResult, card: scoring.ScoreCard) -> list[CategoryResult]:
    """The stored rows of a result's categories, in the card's order."""
    return [
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
    ]


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
                    q.key,
                    q.category.key,
                    q.weight,
                    teams[q.pk].value,
                    teams[q.pk].not_applicable,
                    q.critical,
                )
                for q in questions
            ],
            method_version=version.method_version,
            gate_share=version.gate_share,
        )
    )
    # Who took part: a respondent who said they don't know responded, though not with an answer.
    respondents = {r.respondent for rs in answers.responses.values() for r in rs if r.responded}
    result = AssessmentResult.objects.create(
        **result_fields(card),
        assessment=assessment,
        version=version,
        respondents=len(respondents),
        project_name=assessment.project.name,
        team_name=assessment.project.team.name,
        title=assessment.title,
    )
    category_rows = CategoryResult.objects.bulk_create(category_results(result, card))
    question_rows = QuestionResult.objects.bulk_create(
        QuestionResult(
            result=result,
            question_key=q.key,
            category_key=q.category.key,
            order=i,
            text=q.text,
            weight=q.weight,
            critical=q.critical,
            value=teams[q.pk].value,
            not_applicable=teams[q.pk].not_applicable,
            unanswered=not teams[q.pk].is_answered,
            settled=teams[q.pk].settled,
            settled_note=notes.get(q.pk, ""),
            carried_unconfirmed=teams[q.pk].to_confirm,
            unsettled=teams[q.pk].discuss,
            dont_know=teams[q.pk].dont_know,
        )
        for i, q in enumerate(questions)
    )
    portfolio.record_latest(portfolio.latest_for(result, category_rows, question_rows))
    return result


def _store_snapshot(result: AssessmentResult) -> None:
    """Every respondent's answer as it stands at submit, read under the assessment's lock."""
    answers = (
        Answer.objects.filter(assessment_id=result.assessment_id)
        .select_related("question", "respondent", "confirmed_by")
        .prefetch_related("evidence")
    )
    AnswerSnapshot.objects.bulk_create(
        AnswerSnapshot(
            result=result,
            question_key=answer.question.key,
            respondent=answer.respondent.get_username(),
            value=answer.level_value,
            not_applicable=answer.not_applicable,
            dont_know=answer.dont_know,
            na_reason=answer.na_reason,
            na_detail=answer.na_detail,
            notes=answer.notes,
            links=answer.links,
            evidence=[
                {
                    "kind": item.kind,
                    "text": item.text,
                    "source": item.source,
                    "confirmed_at": item.confirmed_at.isoformat(),
                    "stale_after": item.stale_after.isoformat(),
                }
                for item in answer.evidence.all()
            ],
            carried_over=answer.carried_over,
            confirmed_at=answer.confirmed_at,
            confirmed_by=answer.confirmed_by.get_username() if answer.confirmed_by else "",
        )
        for answer in answers
    )
