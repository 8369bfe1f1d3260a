"""Results, plans and answer history as JSON and CSV, in the stable shapes documented in
docs/exports.md (tracker imports and the backlog: tracker_exports.py)."""

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from paydown import planning, scoring
from paydown.bankfile.validation import plain_number as _number

from assessment.models import AnswerChange, Assessment, AssessmentResult

# Each stored result records the shape it was submitted under, so its export (and the hash its
# report printed) never changes: 1 before answer snapshots and marks existed, 2 with them, 3 with
# each category's N/A share and the maturity method's gate.
RESULTS_SCHEMAS = {1: "paydown.results/1", 2: "paydown.results/2", 3: "paydown.results/3"}
PLAN_SCHEMA = "paydown.plan/1"
# Plan v1 for banks on maturity method 1, v2 for method 2 (docs/plans.md).
PLAN_FORMULAS = {
    1: "question weight × category weight × impact × gap × interest ÷ effort",
    2: "expected overall gain × impact × interest (by the gap's age) ÷ person-weeks",
}
HISTORY_SCHEMA = "paydown.answer-history/1"


def iso_date(value) -> str | None:
    return value.isoformat() if value else None


def results_data(assessment: Assessment, result: AssessmentResult) -> dict[str, Any]:
    """Everything needed to recompute the score by hand; stored values only, never recomputed,
    and nothing read from the live answers."""
    data = {
        "schema": RESULTS_SCHEMAS[result.export_schema],
        "project": {
            "slug": assessment.project.slug,
            "name": result.project_name,
            "team": result.team_name,
        },
        "assessment": {
            "id": assessment.pk,
            "title": result.title,
            "started": iso_date(assessment.created),
            "submitted": iso_date(assessment.submitted_at),
            "respondents": result.respondents,
        },
        "bank": {
            "slug": result.version.bank.slug,
            "name": result.version.bank.name,
            "version": result.version.number,
            "scoring": result.method,
            "scale": [_number(Decimal(str(v))) for v in result.version.scale],
        },
        "overall": {
            "score": _number(result.overall),
            "level": result.level,
            "level_name": result.level_name,
            "counted_questions": result.counted,
            "total_questions": result.total,
            "unanswered": result.unanswered,
        },
        "categories": [
            {
                "key": c.key,
                "name": c.name,
                "weight": _number(c.weight),
                "score": _number(c.score),
                "points": _number(c.points),
                "level": c.level,
                "level_name": c.level_name,
                "counted_questions": c.counted,
                "total_questions": c.total,
            }
            for c in result.categories.all()
        ],
        "questions": [
            {
                "key": q.question_key,
                "category": q.category_key,
                "text": q.text,
                "weight": _number(q.weight),
                "level": _number(q.value),
                "not_applicable": q.not_applicable,
                "unanswered": q.unanswered,
                "settled": q.settled,
            }
            for q in result.questions.all()
        ],
    }
    if result.export_schema >= 2:
        _add_marks_and_answers(data, result)
    if result.export_schema >= 3:
        _add_confidence_and_gate(data, result)
    return data


def _add_marks_and_answers(data: dict[str, Any], result: AssessmentResult) -> None:
    """Schema 2: each question says whether it rests on a carried-over answer nobody confirmed or
    on a disagreement nobody settled, and carries every respondent's answer as submitted."""
    answers: dict[str, list[dict[str, Any]]] = {}
    for a in result.answers.all():
        answers.setdefault(a.question_key, []).append(
            {
                "respondent": a.respondent,
                "level": _number(a.value),
                "not_applicable": a.not_applicable,
                "na_reason": a.na_reason,
                "na_detail": a.na_detail,
                "notes": a.notes,
                "links": a.link_list,
                "carried_over_unconfirmed": a.carried_over,
                "confirmed": iso_date(a.confirmed_at),
                "confirmed_by": a.confirmed_by,
            }
        )
    for row, q in zip(data["questions"], result.questions.all(), strict=True):
        row["carried_over_unconfirmed"] = q.carried_unconfirmed
        row["unsettled"] = q.unsettled
        row["settled_note"] = q.settled_note
        row["answers"] = answers.get(q.question_key, [])


def _add_confidence_and_gate(data: dict[str, Any], result: AssessmentResult) -> None:
    """Schema 3: each category's N/A share and whether its score speaks for too few of its
    questions, from its stored counts; the maturity method the level was reached by, with the
    gate that held the next level back as it was stored; and who said "don't know"."""
    said = {(a.question_key, a.respondent) for a in result.answers.all() if a.dont_know}
    for row, q in zip(data["questions"], result.questions.all(), strict=True):
        row["dont_know"] = q.dont_know
        for answer in row["answers"]:
            answer["dont_know"] = (q.question_key, answer["respondent"]) in said
    for row, c in zip(data["categories"], result.categories.all(), strict=True):
        share = scoring.not_applicable_share(c.counted, c.total)
        row["not_applicable_share"] = _number(share.quantize(Decimal("0.001")))
        row["low_confidence"] = scoring.low_confidence(c.score, c.counted, c.total)
    data["overall"]["method_version"] = result.method_version
    data["overall"]["gate_share"] = _number(result.gate_share)
    data["overall"]["held_back_by"] = result.held_back_by or None


def canonical_json(data: dict[str, Any]) -> str:
    """Sorted keys, no extra white space: the same data always gives the same bytes (and hash)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def results_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["kind", "key", "name", "score", "points", "level", "level_name", "counted", "total"]
        + (["carried_over_unconfirmed", "unsettled"] if _with_marks(data) else [])
        + (["not_applicable_share", "low_confidence"] if _with_confidence(data) else [])
    )
    overall = data["overall"]
    writer.writerow(["overall", "", data["assessment"]["title"], overall["score"], "", overall["level"],
                     overall["level_name"], overall["counted_questions"], overall["total_questions"]])  # fmt: skip
    for c in data["categories"]:
        # Schema 3's columns come after the question-only marks, left empty on a category row.
        confidence = (
            ["", "", c["not_applicable_share"], c["low_confidence"]]
            if _with_confidence(data)
            else []
        )
        writer.writerow(["category", c["key"], c["name"], c["score"], c["points"], c["level"],
                         c["level_name"], c["counted_questions"], c["total_questions"],
                         *confidence])  # fmt: skip
    if _with_marks(data):
        for q in data["questions"]:
            level = "N/A" if q["not_applicable"] else q["level"]
            writer.writerow(["question", q["key"], q["text"], "", "", level, "", "", "",
                             q["carried_over_unconfirmed"], q["unsettled"]])  # fmt: skip
    return out.getvalue()


def _with_marks(data: dict[str, Any]) -> bool:
    return data["schema"] != RESULTS_SCHEMAS[1]


def _with_confidence(data: dict[str, Any]) -> bool:
    return data["schema"] not in (RESULTS_SCHEMAS[1], RESULTS_SCHEMAS[2])


def plan_data(assessment: Assessment, actions: list[planning.Action]) -> dict[str, Any]:
    return {
        "schema": PLAN_SCHEMA,
        "project": assessment.project.slug,
        "assessment": assessment.pk,
        "formula": PLAN_FORMULAS[actions[0].method_version if actions else 1],
        "actions": [
            {
                "rank": a.rank,
                "bucket": a.bucket,
                "question": a.question_key,
                "category": a.category_key,
                "text": a.text,
                "from_level": _number(a.from_value),
                "to_level": _number(a.to_value),
                "target_level": _number(a.target),
                "advice": a.advice,
                "effort": a.effort,
                "impact": a.impact,
                "gap": float(round(a.gap, 4)),
                "open_for_assessments": a.streak,
                "interest": float(round(a.interest, 4)),
                "priority": _number(a.priority),
                "expected_gain": {
                    "category": _number(a.category_gain),
                    "overall": _number(a.overall_gain),
                },
                "effort_weeks": _number(a.effort_weeks),
                "gap_open_days": a.age_days,
                "after": list(a.after),
                "why": a.why,
            }
            for a in actions
        ],
    }


def plan_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = ["rank", "bucket", "question", "category", "from_level", "to_level", "priority",
               "effort", "impact", "category_gain", "overall_gain", "advice", "why"]  # fmt: skip
    writer.writerow(columns)
    for a in data["actions"]:
        writer.writerow([a["rank"], a["bucket"], a["question"], a["category"], a["from_level"],
                         a["to_level"], a["priority"], a["effort"], a["impact"],
                         a["expected_gain"]["category"], a["expected_gain"]["overall"], a["advice"],
                         a["why"]])  # fmt: skip
    return out.getvalue()


def history_data(assessment: Assessment, changes: list[AnswerChange]) -> dict[str, Any]:
    """Who changed which answer when: the level from and to, and whether notes or links changed."""
    return {
        "schema": HISTORY_SCHEMA,
        "assessment": assessment.pk,
        "changes": [
            {
                "question": c.question.key,
                "respondent": c.respondent.get_username(),
                "at": iso_date(c.changed_at),
                "from": c.from_value,
                "to": c.to_value,
                "notes_changed": c.notes_changed,
            }
            for c in changes
        ],
    }


def history_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    columns = ["question", "respondent", "at", "from", "to", "notes_changed"]
    writer.writerow(columns)
    for change in data["changes"]:
        writer.writerow([change[column] for column in columns])
    return out.getvalue()


PORTFOLIO_SCHEMA = "paydown.portfolio/1"


class _Line:
    """A file-like object csv.writer writes one line to, handing the line back."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """CSV, one line at a time, for a download that streams."""
    writer = csv.writer(_Line())
    for row in rows:
        yield writer.writerow(row)


def canonical_json_chunks(
    data: dict[str, Any], *, streamed: str, items: Iterable[Any]
) -> Iterator[str]:
    """The bytes of `canonical_json({**data, streamed: list(items)})`, a piece at a time, so a long
    list is never held whole: the same key order, separators and escapes."""
    keys = sorted([*data, streamed])
    yield "{"
    for index, key in enumerate(keys):
        yield ("," if index else "") + json.dumps(key, ensure_ascii=False) + ":"
        if key != streamed:
            yield canonical_json(data[key])
            continue
        yield "["
        for n, item in enumerate(items):
            yield ("," if n else "") + canonical_json(item)
        yield "]"
    yield "}"
