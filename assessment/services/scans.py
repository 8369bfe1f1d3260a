"""Scans attached to an assessment, and what a respondent does with a suggestion: accept it (the
level and its files as dated evidence), keep only its evidence, or dismiss it. A scan never
answers and never submits: each suggestion waits for a person."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessment.models import Answer, Assessment, Evidence, RepositoryScan, ScanSuggestion
from assessment.services import evidence
from assessment.services.answers import AnswerInput, lock_open, record_answer


class ScanRefused(Exception):
    """A scan that does not fit the assessment (another bank); nothing was saved."""


class SuggestionDecided(Exception):
    """Someone decided on the suggestion (or a later scan replaced it) meanwhile."""


@dataclass(frozen=True)
class AttachedScan:
    scan: RepositoryScan
    suggestions: int
    ignored: list[str]  # keys the scan suggested that this assessment cannot take, with why


@transaction.atomic
def attach_scan(*, assessment: Assessment, document: dict[str, Any], by) -> AttachedScan:
    """Attach a read scan (paydown.scan.document.read) to an open assessment. Its suggestions
    replace the open ones of earlier scans; decided ones stay as they were decided."""
    assessment = lock_open(assessment)
    version = assessment.version
    if document["bank"]["slug"] != version.bank.slug:
        raise ScanRefused(
            f"The scan used the bank “{document['bank']['slug']}”; this assessment answers "
            f"“{version.bank.slug}”. Scan again with --bank {version.bank.slug}."
        )
    questions = {q.key: q for q in version.questions.prefetch_related("levels")}
    scan = RepositoryScan.objects.create(
        assessment=assessment,
        uploaded_by=by,
        root=document["root"][:200],
        revision=document["revision"] or "",
        files_scanned=document["files_scanned"],
        bank_version=document["bank"]["version"],
    )
    suggestions, ignored = [], []
    for item in document["questions"]:
        if item["status"] != "suggested":
            continue
        question = questions.get(item["key"])
        level = Decimal(str(item["suggested_level"]))
        if question is None:
            ignored.append(f"{item['key']}: not a question of version {version.number}")
        elif level not in {lv.value for lv in question.levels.all()}:
            ignored.append(f"{item['key']}: {level.normalize()} is not one of its levels")
        else:
            suggestions.append(
                ScanSuggestion(
                    scan=scan,
                    assessment=assessment,
                    question=question,
                    level_value=level,
                    confidence=item["confidence"],
                    files=item["files"],
                    evidence=item["evidence"],
                )
            )
    ScanSuggestion.objects.filter(
        assessment=assessment,
        status=ScanSuggestion.Status.OPEN,
        question__in=[s.question for s in suggestions],
    ).update(status=ScanSuggestion.Status.SUPERSEDED)
    ScanSuggestion.objects.bulk_create(suggestions)
    return AttachedScan(scan, len(suggestions), ignored)


ACCEPT, EVIDENCE_ONLY, DISMISS = "accept", "evidence", "dismiss"
DECISIONS = {
    ACCEPT: ScanSuggestion.Status.ACCEPTED,
    EVIDENCE_ONLY: ScanSuggestion.Status.EVIDENCE_ONLY,
    DISMISS: ScanSuggestion.Status.DISMISSED,
}


@transaction.atomic
def decide(*, assessment: Assessment, suggestion: ScanSuggestion, by, decision: str) -> None:
    """Accept: the respondent's answer takes the suggested level and the scan's files become its
    dated evidence. Evidence only: the files, the respondent's level as it was. Dismiss: only the
    record. `suggestion` is an open one of this assessment (access checked it)."""
    assessment = lock_open(assessment)
    now = timezone.now()
    # Under the assessment's lock: of two people deciding at once, the second finds it decided.
    decided = ScanSuggestion.objects.filter(
        pk=suggestion.pk, status=ScanSuggestion.Status.OPEN
    ).update(status=DECISIONS[decision], decided_by=by, decided_at=now)
    if not decided:
        raise SuggestionDecided
    if decision in (ACCEPT, EVIDENCE_ONLY):
        mine = Answer.objects.filter(
            assessment=assessment, question_id=suggestion.question_id, respondent=by
        )
        notes, links = mine.values_list("notes", "links").first() or ("", "")
        record_answer(  # the respondent's notes and links stay as they are
            assessment=assessment,
            question_id=suggestion.question_id,
            respondent=by,
            answer=AnswerInput(
                value=suggestion.level_value if decision == ACCEPT else None,
                notes=notes,
                links=links,
                confirm=decision == ACCEPT,
            ),
        )
        evidence.add_notes(
            answer_id=mine.values_list("pk", flat=True).get(),
            question_id=suggestion.question_id,
            notes=suggestion.evidence_notes(),
            source=Evidence.Source.SCAN,
            by=by,
            now=now,
        )
