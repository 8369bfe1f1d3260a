"""Bank file format: parse, validate, import and export one bank version as YAML (docs/bank-format.md)."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone

from banks import queries, validation
from banks.models import BankVersion, Category, Level, Question, QuestionBank, Remediation
from banks.validation import number as _number

MAX_FILE_BYTES = 2 * 1024 * 1024
BANK_FILES = Path(__file__).resolve().parent / "bank_files"
SHIPPED_BANKS = [BANK_FILES / "ml-technical-debt.yaml", BANK_FILES / "ml-test-score.yaml"]


class BankFileError(Exception):
    """A bank file or draft that cannot be imported or published; `errors` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


# --- parsing and validation (plain data, no database) -------------------------------------------


def parse(raw: bytes | str) -> dict[str, Any]:
    """Turn file content into data, refusing oversized, non-UTF-8 and malformed YAML."""
    if isinstance(raw, str):
        raw = raw.encode()
    if len(raw) > MAX_FILE_BYTES:
        raise BankFileError([f"file: {len(raw):,} bytes is over the 2 MB limit"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BankFileError([f"file: not UTF-8 text (byte {error.start})"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        raise BankFileError([f"{where}: invalid YAML: {error.problem}"]) from None
    except yaml.YAMLError as error:
        raise BankFileError([f"file: invalid YAML: {error}"]) from None
    if not isinstance(data, dict):
        raise BankFileError(["file: expected a mapping with slug, name, version, categories …"])
    return data


def load(raw: bytes | str) -> dict[str, Any]:
    """Parse and validate; raises BankFileError listing every problem."""
    data = parse(raw)
    errors = validation.validate(data)
    if errors:
        raise BankFileError(errors)
    return data


# --- numbers and YAML output ---------------------------------------------------------------------


class _BankDumper(yaml.SafeDumper):
    """Readable, deterministic YAML: long text folded, short scalar lists inline."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else (">" if len(text) > 70 else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_list(dumper: yaml.SafeDumper, items: list) -> yaml.Node:
    inline = (
        all(isinstance(i, int | float | str) for i in items)
        and sum(len(str(i)) + 2 for i in items) <= 60
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=inline)


_BankDumper.add_representer(str, _represent_str)
_BankDumper.add_representer(list, _represent_list)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(
        data, Dumper=_BankDumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )


# --- database: export and import -----------------------------------------------------------------


def version_for_export(version_id: int) -> BankVersion:
    """A version with everything export needs, in five queries."""
    return queries.versions_with_content("levels", "remediations").get(pk=version_id)


def version_to_data(version: BankVersion) -> dict[str, Any]:
    """The file's data for a version loaded by version_for_export(), keys in the documented order."""
    return {
        "slug": version.bank.slug,
        "name": version.bank.name,
        "description": version.bank.description,
        "version": version.number,
        "status": version.status,
        "changelog": version.changelog,
        "scoring": version.scoring_method,
        "scale": [_number(v) for v in version.scale],
        "categories": [
            {
                "key": category.key,
                "name": category.name,
                "description": category.description,
                "weight": _number(category.weight),
                "questions": [_question_to_data(q) for q in category.questions.all()],
            }
            for category in version.categories.all()
        ],
    }


def _question_to_data(question: Question) -> dict[str, Any]:
    return {
        "key": question.key,
        "text": question.text,
        "why": question.why,
        "weight": _number(question.weight),
        "allow_na": question.allow_na,
        "prerequisites": list(question.prerequisites),
        "covers": list(question.covers),
        "references": list(question.references),
        "levels": [
            {"value": _number(level.value), "label": level.label, "description": level.description}
            for level in question.levels.all()
        ],
        "remediation": [
            {
                "to": _number(step.to_value),
                "advice": step.advice,
                "effort": step.effort,
                "impact": step.impact,
            }
            for step in question.remediations.all()
        ],
    }


def export_version(version: BankVersion) -> str:
    return dump(version_to_data(version_for_export(version.pk)))


@transaction.atomic
def import_data(data: dict[str, Any]) -> BankVersion:
    """Create a bank version from validated data; the bank is created on first import."""
    bank, created = QuestionBank.objects.select_for_update().get_or_create(
        slug=data["slug"], defaults={"name": data["name"], "description": data["description"]}
    )
    if not created and (bank.name, bank.description) != (data["name"], data["description"]):
        bank.name, bank.description = data["name"], data["description"]
        bank.save(update_fields=["name", "description"])
    if bank.versions.filter(number=data["version"]).exists():
        raise BankFileError(
            [f"version: {bank.slug} already has a version {data['version']}; number the file anew"]
        )
    status = data.get("status", BankVersion.Status.DRAFT)
    try:
        version = BankVersion.objects.create(
            bank=bank,
            number=data["version"],
            changelog=data.get("changelog", ""),
            scoring_method=data["scoring"],
            scale=[_number(v) for v in data["scale"]],
        )
    except IntegrityError:  # a concurrent import took the number between the check and here
        raise BankFileError(
            [f"version: {bank.slug} already has a version {data['version']}"]
        ) from None
    _create_content(version, data["categories"])
    if status != BankVersion.Status.DRAFT:
        version.status = status
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
    return version


def _create_content(version: BankVersion, categories: list[dict[str, Any]]) -> None:
    # Bulk inserts: the version is a draft here, so the per-row frozen check has nothing to refuse.
    category_rows = Category.objects.bulk_create(
        Category(
            version=version,
            key=c["key"],
            name=c["name"],
            description=c.get("description", ""),
            weight=Decimal(str(c["weight"])),
            order=i,
        )
        for i, c in enumerate(categories)
    )
    question_data = [
        (category_row, i, q)
        for category_row, c in zip(category_rows, categories, strict=True)
        for i, q in enumerate(c["questions"])
    ]
    question_rows = Question.objects.bulk_create(
        Question(
            version=version,
            category=category_row,
            key=q["key"],
            text=q["text"],
            why=q["why"],
            weight=Decimal(str(q["weight"])),
            order=i,
            allow_na=q.get("allow_na", True),
            prerequisites=q.get("prerequisites", []),
            covers=q.get("covers", []),
            references=q.get("references", []),
        )
        for category_row, i, q in question_data
    )
    levels, steps = [], []
    for row, (_, _, q) in zip(question_rows, question_data, strict=True):
        levels += [
            Level(
                question=row,
                value=Decimal(str(level["value"])),
                label=level["label"],
                description=level["description"],
            )
            for level in q["levels"]
        ]
        steps += [
            Remediation(
                question=row,
                to_value=Decimal(str(step["to"])),
                advice=step["advice"],
                effort=step["effort"],
                impact=step["impact"],
            )
            for step in q["remediation"]
        ]
    Level.objects.bulk_create(levels)
    Remediation.objects.bulk_create(steps)


def import_file(raw: bytes | str) -> BankVersion:
    """Validate and import a whole file; a file with any error changes nothing."""
    return import_data(load(raw))


def load_shipped_banks() -> list[BankVersion]:
    """Import the banks shipped in bank_files/ whose version is not in the database yet."""
    imported = []
    for path in SHIPPED_BANKS:
        data = load(path.read_bytes())
        exists = BankVersion.objects.filter(
            bank__slug=data["slug"], number=data["version"]
        ).exists()
        if not exists:
            imported.append(import_data(data))
    return imported
