"""Writes while an assessment is open: start it (with carry-over), answer, comment, settle."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Subquery
from django.utils import timezone
from paydown import consensus

from assessment import queries
from assessment.models import (
    Answer,
    AnswerChange,
    AnswerSnapshot,
    Assessment,
    AssessmentResult,
    Comment,
    Settlement,
    TeamAnswer,
)
from assessment.services import evidence
from audit.log import Action, record
from banks.models import BankVersion, Question
from banks.queries import scale_of
from projects.models import Project


@dataclass(frozen=True)
class AnswerInput:
    """What a respondent posted for one question: a level, not applicable, or don't know; none of
    them (value None, both flags False) = no level given."""

    value: Decimal | None = None
    not_applicable: bool = False
    na_reason: str = ""
    na_detail: str = ""
    notes: str = ""
    links: str = ""
    confirm: bool = False
    dont_know: bool = False

    def __post_init__(self) -> None:
        # The form refuses these with a message; a caller that builds one anyway has a bug, and
        # must learn it here rather than from the database's constraint mid-transaction.
        if self.dont_know and (self.value is not None or self.not_applicable):
            raise ValueError("“Don't know” goes with neither a level nor “not applicable”.")


DONT_KNOW = "?"  # how the history records a don't know


def _choice_text(value: Decimal | None, not_applicable: bool, dont_know: bool = False) -> str:
    if not_applicable:
        return "na"
    if dont_know:
        return DONT_KNOW
    return "" if value is None else f"{value.normalize():f}"


def lock_open(assessment: Assessment) -> Assessment:
    """Lock the assessment's row until the transaction ends and check, under the lock, that it is
    still open: every write to an assessment's answers and its submit go through here, so a save
    either lands before a submit or is refused after it (on SQLite the IMMEDIATE transaction holds
    the database's write lock instead). An instance locked in this transaction already (by
    `access.lock_open_assessment_for_user`) costs no second query."""
    if assessment.lock_held:
        return assessment
    return Assessment.objects.lock_open(assessment.pk)


@dataclass(frozen=True)
class SavedAnswer:
    """What a save left: the question's status (team answer, tally, the respondent's confirmation)."""

    status: queries.AnswerStatus
    confirmed: bool  # this save chose a level or re-confirmed one
    team_changed: bool  # the team's answer moved, so progress may have too


def record_answer(
    *,
    assessment: Assessment,
    question_id: int,
    respondent,
    answer: AnswerInput,
    current: queries.QuestionAnswers | None = None,
) -> SavedAnswer:
    """Save one respondent's answer and the team's answer to the question that follows from it.

    One upsert, so respondents never overwrite each other (each has a row of their own); the
    assessment's lock orders it against a submit. A change of level, notes or links also writes
    a history row. `current` is the question's answers when the caller read them under the same
    lock (autosave reads them first to validate the form); else they are read here.
    """
    # Inside the caller's locked transaction a savepoint would guard nothing the caller does not.
    with transaction.atomic(savepoint=not assessment.lock_held):
        assessment = lock_open(assessment)
        now = timezone.now()
        if current is None:
            current = queries.question_answers(
                assessment, pk=question_id, respondent_id=respondent.pk
            )
        return _save(assessment, current, respondent, answer, now)


def _save(assessment, current, respondent, answer: AnswerInput, now: datetime) -> SavedAnswer:
    previous = current.mine
    previous_choice = (
        _choice_text(previous.value, previous.not_applicable, previous.dont_know)
        if previous
        else ""
    )
    evidence_changed = (answer.notes, answer.links) != (
        (previous.notes, previous.links) if previous else ("", "")
    )
    new_choice = _choice_text(answer.value, answer.not_applicable, answer.dont_know)
    # No level given (notes typed before choosing, or a form that sent none) keeps the saved one:
    # a level is never cleared by omission.
    level_given = bool(new_choice)
    level_changed = level_given and new_choice != previous_choice
    confirming = level_given and (level_changed or answer.confirm)
    question_id = current.question.id
    fields = ["notes", "links", "updated_at"]
    if level_given:
        fields += ["level_value", "not_applicable", "dont_know", "na_reason", "na_detail"]
    if confirming:
        fields += ["carried_over", "confirmed_at", "confirmed_by"]
    (saved,) = Answer.objects.bulk_create(
        [
            Answer(
                assessment=assessment,
                question_id=question_id,
                respondent=respondent,
                level_value=answer.value,
                not_applicable=answer.not_applicable,
                dont_know=answer.dont_know,
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
    if answer.links != (previous.links if previous else ""):
        evidence.sync_links(
            answer_id=saved.pk, question_id=question_id, links=answer.links, by=respondent, now=now
        )
    notes_only = evidence_changed and not level_changed
    if level_changed or (
        notes_only and not _extend_sitting(assessment, question_id, respondent, now)
    ):
        AnswerChange.objects.create(
            assessment=assessment,
            question_id=question_id,
            respondent=respondent,
            from_value=previous_choice,
            to_value=new_choice if level_changed else previous_choice,
            notes_changed=evidence_changed,
        )

    before = previous.counted if previous else None
    if level_given:
        still_carried = previous is not None and previous.carried and not confirming
        after = consensus.Counted(
            answer.value, answer.not_applicable, still_carried, dont_know=answer.dont_know
        )
    else:
        after = before
    scale = scale_of(assessment.version)
    team = current.team(scale, after)
    team_changed = _stored(team) != _stored(current.team(scale, before))
    if team_changed:
        _store_team_answers(assessment, {question_id: team})
    status = queries.AnswerStatus(
        question_key=current.question.key,
        category_key=current.question.category_key,
        team=team,
        tally=current.tally(after),
        confirmed_at=now if confirming else (previous.confirmed_at if previous else None),
    )
    return SavedAnswer(status, confirmed=confirming, team_changed=team_changed)


# Notes autosave while the respondent types: edits this close to the last one are one change.
SITTING = timedelta(minutes=10)


def _extend_sitting(assessment, question_id: int, respondent, now: datetime) -> bool:
    """A notes-only edit joins the respondent's notes-only history row of the same sitting, so
    typing does not leave a row per autosave; False when there is no such row."""
    sitting = AnswerChange.objects.filter(
        assessment=assessment,
        question_id=question_id,
        respondent=respondent,
        from_value=F("to_value"),
        notes_changed=True,
        changed_at__gte=now - SITTING,
    ).order_by("-changed_at", "-pk")
    return (
        AnswerChange.objects.filter(pk=Subquery(sitting.values("pk")[:1])).update(changed_at=now)
        == 1
    )


def _stored(team: consensus.Consensus) -> tuple:
    """The part of the team's answer a TeamAnswer row keeps."""
    return (team.value, team.not_applicable, team.discuss, team.to_confirm, team.dont_know)


def _store_team_answers(
    assessment: Assessment, teams: dict[int, consensus.Consensus], *, answers_read: bool = True
) -> None:
    """Upsert the team answers. `answers_read` False: the teams were judged without reading the
    answers (a settlement), so each row keeps its don't-know count; a question without a row yet
    has no don't know, as every answer that says so writes its row."""
    fields = ["level_value", "not_applicable", "discuss", "to_confirm"]
    TeamAnswer.objects.bulk_create(
        [
            TeamAnswer(
                assessment=assessment,
                question_id=question_id,
                level_value=team.value,
                not_applicable=team.not_applicable,
                discuss=team.discuss,
                to_confirm=team.to_confirm,
                dont_know=team.dont_know,
            )
            for question_id, team in teams.items()
        ],
        update_conflicts=True,
        unique_fields=["assessment", "question"],
        update_fields=[*fields, "dont_know"] if answers_read else fields,
    )


def refresh_team_answers(*, assessment: Assessment, question_ids: list[int] | None = None) -> None:
    """Rebuild the team answers of these questions (all when None) from the answers and
    settlements, after writes that change many answers at once (confirming a category, taking a
    settlement back). Three queries: the answers as counts, the settlements, the upsert."""
    answers = assessment.answers.all()
    settlements = assessment.settlements.all()
    if question_ids is not None:
        answers = answers.filter(question_id__in=question_ids)
        settlements = settlements.filter(question_id__in=question_ids)
    counts = queries.counted_responses(answers, "question_id")
    settled = {s.question_id: queries.settled_of(s) for s in settlements}
    # Answers are never deleted nor their level cleared: a question with neither answers nor a
    # settlement never had a team answer, so only these need one.
    ids = {key for (key,) in counts} | set(settled) | set(question_ids or ())
    scale = scale_of(assessment.version)
    teams = {pk: consensus.consensus_of_counts(counts[(pk,)], scale, settled.get(pk)) for pk in ids}
    _store_team_answers(assessment, teams)


@transaction.atomic
def confirm_carried(*, assessment: Assessment, by, question_ids: list[int]) -> int:
    """Anyone on the team says the carried-over answers of these questions still hold; returns
    how many answers this confirmed. Records who and when."""
    lock_open(assessment)
    confirmed = Answer.objects.filter(
        assessment=assessment, question_id__in=question_ids, carried_over=True
    ).update(carried_over=False, confirmed_at=timezone.now(), confirmed_by=by)
    refresh_team_answers(assessment=assessment, question_ids=question_ids)
    if confirmed:
        keys = Question.objects.filter(pk__in=question_ids).order_by("key")
        record_on(
            assessment,
            Action.CONFIRM_CARRIED,
            by=by,
            questions=list(keys.values_list("key", flat=True)),
        )
    return confirmed


@transaction.atomic
def start_assessment(
    *, project: Project, version: BankVersion, started_by, title: str, carry_over: bool = False
) -> Assessment:
    """Start an assessment; optionally carry over the team answers of the project's last submitted
    assessment on the same bank (any version: questions match by key, and a question whose meaning
    changed has a new key, so it is asked again)."""
    previous = (
        project.assessments.filter(
            status=Assessment.Status.SUBMITTED,
            result__isnull=False,
            version__bank_id=version.bank_id,
        )
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
        carried = Answer.objects.bulk_create(
            _carried_answers(previous.result, assessment, started_by)
        )
        evidence.carry_evidence(previous=previous, carried=carried)
        scale = scale_of(version)
        _store_team_answers(
            assessment,
            {
                answer.question_id: consensus.consensus_of_counts(
                    [consensus.Counted(answer.level_value, answer.not_applicable, carried=True)],
                    scale,
                )
                for answer in carried
            },
        )
    return assessment


def _carried_answers(
    previous: AssessmentResult, assessment: Assessment, respondent
) -> list[Answer]:
    """The team answers stored with the previous result, and its respondents' pooled evidence, per
    question key: what was submitted, never the answer rows as they stand. A don't know is never
    carried: it is no team answer (all don't know leaves the question unanswered), and the next
    assessment asks again."""
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
    settled = consensus.Settled(settlement.level_value, settlement.not_applicable)
    _store_team_answers(
        assessment,
        {question_id: consensus.consensus_of_counts([], [], settled)},
        answers_read=False,
    )
    record_on(
        assessment,
        Action.SETTLE,
        by=by,
        subject=_question_key(question_id),
        level=None if settlement.level_value is None else float(settlement.level_value),
        not_applicable=not_applicable,
        note=note,
    )
    return settlement


@transaction.atomic
def reopen_question(*, assessment: Assessment, question_id: int, by) -> None:
    lock_open(assessment)
    deleted, _ = Settlement.objects.filter(assessment=assessment, question_id=question_id).delete()
    refresh_team_answers(assessment=assessment, question_ids=[question_id])
    if deleted:
        record_on(assessment, Action.REOPEN, by=by, subject=_question_key(question_id))


def record_on(assessment: Assessment, action: str, *, by, subject: str = "", **details) -> None:
    """The audit log's entry for an action on an assessment: under its project, with its id
    among the details, about its title unless a question is the subject."""
    record(
        action,
        by=by,
        project=assessment.project,
        subject=subject or assessment.title,
        details={"assessment": assessment.pk, **details},
    )


def _question_key(question_id: int) -> str:
    return Question.objects.filter(pk=question_id).values_list("key", flat=True).first() or ""
