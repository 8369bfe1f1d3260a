"""Writes of dated evidence (issue #15): the rows that follow an answer's links, re-attestation,
and the rows a carry-over brings along. Callers hold the assessment's lock (lock_open)."""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from assessment import freshness
from assessment.models import Answer, Assessment, Evidence
from banks.models import Question


def question_max_age(question_id: int) -> int:
    days, version_days = Question.objects.values_list(
        "evidence_max_age_days", "version__evidence_max_age_days"
    ).get(pk=question_id)
    return freshness.max_age_days(days, version_days)


def sync_links(*, answer_id: int, question_id: int, links: str, by, now: datetime) -> None:
    """One row a link: a link kept keeps its dates, a new one is confirmed now, a removed one
    goes. One query to read, one to delete and one to add, each only when needed."""
    wanted = list(dict.fromkeys(line.strip() for line in links.splitlines() if line.strip()))
    existing = dict(
        Evidence.objects.filter(answer_id=answer_id, kind=Evidence.Kind.LINK).values_list(
            "text", "pk"
        )
    )
    gone = [pk for text, pk in existing.items() if text not in wanted]
    if gone:
        Evidence.objects.filter(pk__in=gone).delete()
    new = [text for text in wanted if text not in existing]
    if new:
        days = question_max_age(question_id)
        Evidence.objects.bulk_create(
            _row(answer_id, Evidence.Kind.LINK, text, Evidence.Source.TYPED, by, now, days)
            for text in new
        )


def add_notes(
    *, answer_id: int, question_id: int, notes: Iterable[str], source: str, by, now: datetime
) -> int:
    """Add evidence notes (a scan's files and lines) to an answer; a note it has already is
    confirmed again. Returns how many rows were written."""
    texts = list(dict.fromkeys(text[: Evidence.MAX_TEXT] for text in notes))
    if not texts:
        return 0
    days = question_max_age(question_id)
    Evidence.objects.bulk_create(
        [_row(answer_id, Evidence.Kind.NOTE, text, source, by, now, days) for text in texts],
        update_conflicts=True,
        unique_fields=["answer", "kind", "text"],
        update_fields=["confirmed_at", "confirmed_by", "stale_after"],
    )
    return len(texts)


def _row(answer_id, kind, text, source, by, now, days) -> Evidence:
    return Evidence(
        answer_id=answer_id,
        kind=kind,
        text=text,
        source=source,
        added_by=by,
        added_at=now,
        confirmed_at=now,
        confirmed_by=by,
        stale_after=freshness.stale_after(now, days),
    )


@transaction.atomic
def reattest(*, assessment: Assessment, question_id: int, by) -> int:
    """Someone on the team says the question's evidence still holds: every piece of it, whoever
    gave it, is confirmed now by them. Returns how many pieces."""
    if not assessment.lock_held:  # ordered against a submit, as every answer write is
        Assessment.objects.lock_open(assessment.pk)
    now = timezone.now()
    return Evidence.objects.filter(
        answer__assessment=assessment, answer__question_id=question_id
    ).update(
        confirmed_at=now,
        confirmed_by=by,
        stale_after=freshness.stale_after(now, question_max_age(question_id)),
    )


def carry_evidence(*, previous: Assessment, carried: list[Answer]) -> None:
    """The previous assessment's evidence for the carried answers' questions (matched by key),
    with its dates: carrying evidence over does not make it fresh. Its limit is the new
    question's."""
    by_key = {answer.question.key: answer for answer in carried}
    rows = (
        Evidence.objects.filter(answer__assessment=previous, answer__question__key__in=by_key)
        .values_list(
            "answer__question__key", "kind", "text", "source", "added_by", "added_at",
            "confirmed_at", "confirmed_by",
        )
        .order_by("confirmed_at")
    )  # fmt: skip
    latest: dict[tuple[str, str, str], tuple] = {}
    for row in rows:  # the latest confirmation of each piece, when respondents share one
        latest[row[:3]] = row
    ages = {
        answer.question.key: freshness.max_age_days(
            answer.question.evidence_max_age_days, answer.question.version.evidence_max_age_days
        )
        for answer in carried
    }
    Evidence.objects.bulk_create(
        Evidence(
            answer=by_key[key],
            kind=kind,
            text=text,
            source=source,
            added_by_id=added_by,
            added_at=added_at,
            confirmed_at=confirmed_at,
            confirmed_by_id=confirmed_by,
            stale_after=freshness.stale_after(confirmed_at, ages[key]),
        )
        for (key, kind, text), (
            _,
            _,
            _,
            source,
            added_by,
            added_at,
            confirmed_at,
            confirmed_by,
        ) in latest.items()
    )
