"""The `paydown.yml` answers file: its template, its validation against a bank, and its scoring input.

```yaml
bank: ml-technical-debt
version: 2
answers:
  data-schema:
    level: 2            # a level on the bank's scale; "na" (with reason); "?" (don't know); empty
    reason: not_used    # with "na": not_used, out_of_scope (or other_team, on banks of method 1)
    detail: ""          # with "na": optional, up to 300 characters
    notes: ""
    links: []
```

One file is one respondent, so the team answer is that respondent's answer, as on the server: an
empty level or "?" is unanswered and scores as the lowest level, "na" leaves the question out.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from paydown import scoring
from paydown.bankfile import read_mapping

NOT_APPLICABLE = "na"
DONT_KNOW = "?"
# As the server's Answer.NotApplicableReason.
NA_REASONS = {
    "out_of_scope": "Out of scope for this assessment",
    "not_used": "Not used by this system",
    "other_team": "Handled by another team",
}
# With maturity method 2 a part run by another team is answered for the system (the level the
# platform provides), so that reason is not offered, as on the server (docs/scoring.md).
OTHER_TEAM = "other_team"
MAX_DETAIL_CHARS = 300
ENTRY_FIELDS = {"level", "reason", "detail", "notes", "links"}


class AnswersError(Exception):
    """An answers file that cannot be read or does not fit its bank; `errors` start with a path."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Answer:
    key: str
    value: Decimal | None  # None when unanswered, don't know or N/A
    not_applicable: bool = False
    dont_know: bool = False
    reason: str = ""
    detail: str = ""
    notes: str = ""
    links: tuple[str, ...] = ()

    @property
    def is_answered(self) -> bool:
        return self.value is not None or self.not_applicable


@dataclass(frozen=True)
class AnswersFile:
    bank: str
    version: int | None
    answers: dict[str, Answer]


def parse(raw: bytes | str) -> dict[str, Any]:
    """The file's data, refusing oversized, non-UTF-8 and malformed YAML (as bank files are read)."""
    return read_mapping(raw, refused=AnswersError, expected="bank, version and answers")


def header(data: dict[str, Any]) -> tuple[str, int | None]:
    """The bank slug and version the file names, so the caller can find the bank."""
    errors = []
    slug, version = data.get("bank"), data.get("version")
    if not isinstance(slug, str) or not slug:
        errors.append("bank: the bank's slug is required, e.g. bank: ml-technical-debt")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        errors.append(f"version: {version!r} is not a whole number")
    if errors:
        raise AnswersError(errors)
    return slug, version


def validate(data: dict[str, Any], bank: dict[str, Any]) -> AnswersFile:
    """The answers checked against the bank's data (validated); raises AnswersError listing every
    problem, each with its path (`answers.data-schema.level: …`)."""
    slug, version = header(data)
    errors = [f"{key}: unknown field" for key in data if key not in {"bank", "version", "answers"}]
    if slug != bank["slug"]:
        errors.append(f"bank: {slug!r} is not the bank checked against ({bank['slug']!r})")
    if version is not None and version != bank["version"]:
        errors.append(f"version: {version} is not the bank file's version ({bank['version']})")
    entries = data.get("answers") or {}
    if not isinstance(entries, dict):
        raise AnswersError([*errors, "answers: expected a mapping of question keys"])
    questions = _questions(bank)
    scale = [Decimal(str(value)) for value in bank["scale"]]
    answers = {}
    for key, entry in entries.items():
        path = f"answers.{key}"
        if key not in questions:
            errors.append(f"{path}: unknown question key {key!r}")
            continue
        answer, problems = _answer(
            key, entry, path, scale, allow_na=questions[key], reasons=na_reasons(bank)
        )
        errors += problems
        answers[key] = answer
    if errors:
        raise AnswersError(errors)
    return AnswersFile(slug, version, answers)


def na_reasons(bank: dict[str, Any]) -> dict[str, str]:
    """The reasons a bank version takes for "not applicable"."""
    if bank.get("method", {}).get("version", 1) >= 2:
        return {key: label for key, label in NA_REASONS.items() if key != OTHER_TEAM}
    return NA_REASONS


def _questions(bank: dict[str, Any]) -> dict[str, bool]:
    """Question key → whether it allows N/A; the ML Test Score allows it only where a test says so."""
    default = bank["scoring"] != scoring.ML_TEST_SCORE
    return {
        q["key"]: q.get("allow_na", default) for c in bank["categories"] for q in c["questions"]
    }


def _answer(
    key: str,
    entry: Any,
    path: str,
    scale: list[Decimal],
    *,
    allow_na: bool,
    reasons: dict[str, str],
) -> tuple[Answer, list[str]]:
    if entry is None:
        return Answer(key, None), []
    if not isinstance(entry, dict):
        return Answer(key, None), [f"{path}: expected a mapping with level, notes, links"]
    errors = [f"{path}.{name}: unknown field" for name in entry if name not in ENTRY_FIELDS]
    level = entry.get("level")
    value, na, dont_know = None, False, False
    if level == NOT_APPLICABLE:
        na = True
        if not allow_na:
            errors.append(f"{path}.level: this question cannot be answered not applicable")
    elif level == DONT_KNOW:
        dont_know = True
    elif isinstance(level, int | float | Decimal) and not isinstance(level, bool):
        value = Decimal(str(level))
        if value not in scale:
            shown = ", ".join(f"{v:g}" for v in scale)
            errors.append(f"{path}.level: {level} is not on the bank's scale [{shown}]")
    elif level is not None:
        errors.append(f'{path}.level: {level!r} is not a level, "na" or "?"')
    reason, detail = entry.get("reason") or "", entry.get("detail") or ""
    if na and reason not in reasons:
        errors.append(f"{path}.reason: not applicable needs a reason: {', '.join(reasons)}")
    elif not na and reason:
        errors.append(f'{path}.reason: a reason goes only with level "na"')
    if not isinstance(detail, str) or len(detail) > MAX_DETAIL_CHARS:
        errors.append(f"{path}.detail: expected a text of at most {MAX_DETAIL_CHARS} characters")
    notes = entry.get("notes") or ""
    if not isinstance(notes, str):
        errors.append(f"{path}.notes: expected a text")
    links = entry.get("links") or []
    if not isinstance(links, list) or not all(isinstance(link, str) for link in links):
        errors.append(f"{path}.links: expected a list of URLs")
        links = []
    answer = Answer(key, value, na, dont_know, str(reason), str(detail), str(notes), tuple(links))
    return answer, errors


def bank_input(bank: dict[str, Any], answers: dict[str, Answer]) -> scoring.BankInput:
    """The scoring input as the server builds it at submit for a team of one respondent."""
    method = bank.get("method", {})
    return scoring.BankInput(
        method=bank["scoring"],
        scale=[Decimal(str(value)) for value in bank["scale"]],
        categories=[
            scoring.CategoryInput(c["key"], c["name"], Decimal(str(c["weight"])))
            for c in bank["categories"]
        ],
        questions=[
            scoring.QuestionInput(
                q["key"],
                c["key"],
                Decimal(str(q["weight"])),
                answers[q["key"]].value if q["key"] in answers else None,
                q["key"] in answers and answers[q["key"]].not_applicable,
                q.get("critical", False),
            )
            for c in bank["categories"]
            for q in c["questions"]
        ],
        method_version=method.get("version", 1),
        gate_share=Decimal(str(method.get("gate_share", scoring.DEFAULT_GATE_SHARE))),
    )


def template(bank: dict[str, Any]) -> str:
    """A `paydown.yml` with every question of the bank, its levels as comments, answers empty."""
    scale = ", ".join(f"{Decimal(str(v)):g}" for v in bank["scale"])
    lines = [
        f"# Paydown answers for {bank['name']} (version {bank['version']}).",
        f'# level: one of [{scale}], "na" (not applicable, with a reason:',
        f'# {", ".join(na_reasons(bank))}), "?" (don\'t know), or empty (unanswered: scores lowest).',
        "# Check and score it offline: paydown check paydown.yml",
        f"bank: {bank['slug']}",
        f"version: {bank['version']}",
        "answers:",
    ]
    allow_na = _questions(bank)
    for category in bank["categories"]:
        lines.append(f"  # --- {category['name']}")
        for question in category["questions"]:
            lines.append(f"  {question['key']}:")
            lines += [f"    # {line}" for line in _wrap(question["text"])]
            for level in question["levels"]:
                value = f"{Decimal(str(level['value'])):g}"
                lines.append(f"    #   {value}: {level['label']}")
            if allow_na[question["key"]]:
                lines.append("    #   na: not applicable (give a reason)")
            lines += ["    level:", '    notes: ""', "    links: []"]
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 92) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines
