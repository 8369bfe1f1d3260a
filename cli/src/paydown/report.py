"""A checked answers file as text, JSON, JUnit XML, SARIF or Markdown (for $GITHUB_STEP_SUMMARY)."""

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import paydown
from paydown import gates, scoring

FORMATS = ["text", "json", "junit", "sarif", "markdown"]
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass(frozen=True)
class Outcome:
    path: str  # the answers file, as given
    bank: dict[str, Any]
    card: scoring.ScoreCard
    checked: list[gates.Checked]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checked)


def render(outcome: Outcome, fmt: str) -> str:
    return {
        "text": text,
        "json": as_json,
        "junit": junit,
        "sarif": sarif,
        "markdown": markdown,
    }[fmt](outcome)


def _plain(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _shown(value: Decimal | None) -> str:
    return "n/a" if value is None else f"{value:g}"


def _overall(outcome: Outcome) -> str:
    card = outcome.card
    if card.method == scoring.ML_TEST_SCORE:
        return f"final score {_shown(card.overall)} (the lowest section's points)"
    return f"overall {_shown(card.overall)} / 100"


def _level(card: scoring.ScoreCard) -> str:
    if card.level is None:
        return "no level (every question is N/A)"
    return f"level {card.level} {card.level_name}"


def _category_score(category: scoring.CategoryScore, method: str) -> str:
    if method == scoring.ML_TEST_SCORE:
        return f"{_shown(category.points)} points"
    return _shown(category.score)


def data(outcome: Outcome) -> dict[str, Any]:
    card = outcome.card
    return {
        "file": outcome.path,
        "bank": outcome.bank["slug"],
        "version": outcome.bank["version"],
        "method": card.method,
        "method_version": card.method_version,
        "overall": _plain(card.overall),
        "level": card.level,
        "level_name": card.level_name,
        "counted": card.counted,
        "total": card.total,
        "unanswered": card.unanswered,
        "categories": [
            {
                "key": c.key,
                "name": c.name,
                "score": _plain(c.score),
                "points": _plain(c.points),
                "level": c.level,
                "level_name": c.level_name,
                "counted": c.counted,
                "total": c.total,
            }
            for c in card.categories
        ],
        "gates": [
            {
                "gate": c.gate.name,
                "subject": c.gate.subject,
                "needed": _plain(c.gate.needed),
                "actual": _plain(c.actual),
                "passed": c.passed,
            }
            for c in outcome.checked
        ],
        "passed": outcome.passed,
    }


def text(outcome: Outcome) -> str:
    card, bank = outcome.card, outcome.bank
    lines = [
        f"{outcome.path}: {bank['slug']} v{bank['version']}: {_overall(outcome)}, {_level(card)}",
        *(
            f"  {c.key:<14} {_category_score(c, card.method):>11}  {c.level_name}".rstrip()
            for c in card.categories
        ),
        f"  {card.unanswered} of {card.total} questions unanswered (scored as the lowest level)"
        if card.unanswered
        else f"  all {card.total} questions answered",
        *(f"  {'PASS' if c.passed else 'FAIL'} {c.message}" for c in outcome.checked),
    ]
    return "\n".join(lines) + "\n"


def as_json(outcome: Outcome) -> str:
    return json.dumps(data(outcome), indent=2) + "\n"


def junit(outcome: Outcome) -> str:
    """One test case for the file's validity (it passed, or nothing is rendered) and one per gate."""
    failures = [c for c in outcome.checked if not c.passed]
    suites = ElementTree.Element("testsuites", name="paydown")
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name=f"paydown {outcome.path}",
        tests=str(1 + len(outcome.checked)),
        failures=str(len(failures)),
        errors="0",
    )
    valid = ElementTree.SubElement(
        suite, "testcase", classname="paydown.check", name=f"{outcome.path} is valid"
    )
    ElementTree.SubElement(valid, "system-out").text = text(outcome)
    for checked in outcome.checked:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname="paydown.gates",
            name=checked.gate.name + " " + checked.gate.subject,
        )
        if not checked.passed:
            ElementTree.SubElement(case, "failure", message=checked.message).text = checked.message
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + ElementTree.tostring(suites, encoding="unicode")
        + "\n"
    )


def sarif(outcome: Outcome) -> str:
    """SARIF 2.1.0: one rule per gate kind, one error result per failed gate, on the file."""
    rules = [
        {"id": "fail-under", "shortDescription": {"text": "Overall score below the gate"}},
        {"id": "fail-under-level", "shortDescription": {"text": "Level below the gate"}},
        {"id": "fail-under-category", "shortDescription": {"text": "Category below the gate"}},
    ]
    results = [
        {
            "ruleId": c.gate.name,
            "level": "error",
            "message": {"text": c.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": outcome.path}}}],
        }
        for c in outcome.checked
        if not c.passed
    ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "paydown",
                        "version": paydown.__version__,
                        "rules": rules,
                    }
                },
                "results": results,
                "properties": data(outcome),
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def markdown(outcome: Outcome) -> str:
    card, bank = outcome.card, outcome.bank
    verdict = "passed" if outcome.passed else "failed"
    lines = [
        f"## Paydown: {bank['name']} v{bank['version']}",
        "",
        f"`{outcome.path}`: **{_overall(outcome)}**, {_level(card)}"
        + (f"; gates {verdict}" if outcome.checked else ""),
        "",
        "| Category | Score | Level | Applicable |",
        "| --- | ---: | --- | ---: |",
        *(
            f"| {c.name} | {_category_score(c, card.method)} | {c.level_name or '—'} "
            f"| {c.counted}/{c.total} |"
            for c in card.categories
        ),
    ]
    if card.unanswered:
        lines += ["", f"{card.unanswered} questions unanswered (scored as the lowest level)."]
    if outcome.checked:
        lines += ["", *(f"- {'✅' if c.passed else '❌'} {c.message}" for c in outcome.checked)]
    return "\n".join(lines) + "\n"
