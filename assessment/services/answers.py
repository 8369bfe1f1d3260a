"""Writes while an assessment is open: start it (with carry-over), answer, comment, settle."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessment.models import (
    Answer,
    AnswerChange,
    AnswerSnapshot,
    Assessment,
    AssessmentResult,
    Comment,
    Settlement,
    SubmittedAssessmentError,
)
from banks.models import BankVersion
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


def lock_open(assessment: Assessment) -> Assessment:
    """Lock the assessment's row until the transaction ends and check, under the lock, that it is
    still open: every write to an assessment's answers and its submit go through here, so a save
    either lands before a submit or is refused after it (on SQLite the IMMEDIATE transaction holds
    the database's write lock instead)."""
    # No join to the submitter: after waiting for the lock, PostgreSQL re-reads the locked row but
    # keeps the joined rows of its first read, where nobody had submitted yet.
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("version", "project__team")
        .get(pk=assessment.pk)
    )
    if not locked.is_open:
        raise SubmittedAssessmentError.of(locked)
    return locked


@transaction.atomic
def record_answer(
    *, assessment: Assessment, question_id: int, respondent, answer: AnswerInput
) -> bool:
    """Save one respondent's answer; returns whether this save confirmed it (chose or re-confirmed).

    One upsert, so respondents never overwrite each other (each has a row of their own); the
    assessment's lock orders it against a submit. A change of level, notes or links also writes
    a history row.
    """
    lock_open(assessment)
    previous = (
        Answer.objects.filter(assessment=assessment, question_id=question_id, respondent=respondent)
        .values_list("level_value", "not_applicable", "notes", "links")
        .first()
    )
    previous_choice = _choice_text(*previous[:2]) if previous else ""
    evidence_changed = (answer.notes, answer.links) != (previous[2:] if previous else ("", ""))
    new_choice = _choice_text(answer.value, answer.not_applicable)
    # No level given (notes typed before choosing, or a form that sent none) keeps the saved one:
    # a level is never cleared by omission.
    level_given = bool(new_choice)
    level_changed = level_given and new_choice != previous_choice
    confirming = level_given and (level_changed or answer.confirm)
    now = timezone.now()
    fields = ["notes", "links", "updated_at"]
    if level_given:
        fields += ["level_value", "not_applicable", "na_reason", "na_detail"]
    if confirming:
        fields += ["carried_over", "confirmed_at", "confirmed_by"]
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
                confirmed_by=respondent if confirming else None,
            )
        ],
        locked=True,
        update_conflicts=True,
        unique_fields=["assessment", "question", "respondent"],
        update_fields=fields,
    )
    if level_changed or evidence_changed:
        _record_change(
            AnswerChange(
                assessment=assessment,
                question_id=question_id,
                respondent=respondent,
                from_value=previous_choice,
                to_value=new_choice if level_changed else previous_choice,
                notes_changed=evidence_changed,
            ),
            now=now,
        )
    return confirming


# Notes autosave while the respondent types: edits this close to the last one are one change.
SITTING = timedelta(minutes=10)


def _record_change(change: AnswerChange, *, now) -> None:
    """Add a history row; a notes-only edit joins the respondent's notes-only row of the same
    sitting, so typing does not leave a row per autosave."""
    if change.from_value == change.to_value:
        extended = AnswerChange.objects.filter(
            assessment_id=change.assessment_id,
            question_id=change.question_id,
            respondent=change.respondent,
            from_value=F("to_value"),
            notes_changed=True,
            changed_at__gte=now - SITTING,
        ).update(changed_at=now)
        if extended:
            return
    change.save()


@transaction.atomic
def confirm_carried(*, assessment: Assessment, by, question_ids: list[int]) -> int:
    """Anyone on the team says the carried-over answers of these questions still hold; returns
    how many answers this confirmed. Records who and when."""
    lock_open(assessment)
    return Answer.objects.filter(
        assessment=assessment, question_id__in=question_ids, carried_over=True
    ).update(carried_over=False, confirmed_at=timezone.now(), confirmed_by=by)


@transaction.atomic
def start_assessment(
    *, project: Project, version: BankVersion, started_by, title: str, carry_over: bool = False
) -> Assessment:
    """Start an assessment; optionally carry the previous submitted one's team answers over."""
    previous = (
        project.assessments.filter(status=Assessment.Status.SUBMITTED, result__isnull=False)
        .select_related("result")
        .order_by("-submitted_at")
        .first()
        if carry_over
        else None
    )
    assessment = Assessment.objects.create(
        project=project, version=version, title=title, started_by=started_by, carried_from=previous
    )
    if previous is not None:
        Answer.objects.bulk_create(_carried_answers(previous.result, assessment, started_by))
    return assessment


def _carried_answers(
    previous: AssessmentResult, assessment: Assessment, respondent
) -> list[Answer]:
    """The team answers stored with the previous result, and its respondents' pooled evidence, per
    question key: what was submitted, never the answer rows as they stand."""
    team = {q.question_key: q for q in previous.questions.all()}
    evidence: dict[str, list[AnswerSnapshot]] = {}
    for snapshot in previous.answers.all():
        evidence.setdefault(snapshot.question_key, []).append(snapshot)
    new_scale = scale_of(assessment.version)
    carried = []
    for question in assessment.version.questions.all():
        stored = team.get(question.key)
        answers = evidence.get(question.key, [])
        answered = stored is not None and not stored.unanswered
        if not answered and not any(a.notes or a.links for a in answers):
            continue
        not_applicable = answered and stored.not_applicable and question.allow_na
        value = stored.value if answered and stored.value in new_scale else None
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


@transaction.atomic
def add_comment(*, assessment: Assessment, question_id: int, author, text: str) -> Comment:
    lock_open(assessment)
    return Comment.objects.create(
        assessment=assessment, question_id=question_id, author=author, text=text
    )


@transaction.atomic
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
    lock_open(assessment)
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


@transaction.atomic
def reopen_question(*, assessment: Assessment, question_id: int) -> None:
    lock_open(assessment)
    Settlement.objects.filter(assessment=assessment, question_id=question_id).delete()
