"""Bank file format: parse, validate, import and export one bank version as YAML (docs/bank-format.md)."""

import copy
from decimal import Decimal
from typing import Any

import yaml
from django.db import IntegrityError, transaction
from paydown import bankfile
from paydown.bankfile import translations
from paydown.bankfile.validation import number as _number

from banks import queries
from banks.models import BankVersion, Category, Level, Question, QuestionBank, Remediation

# The format itself (parse, validate, the shipped files) is plain data in the paydown package,
# which the command line shares; this module adds the database's import and export.
MAX_FILE_BYTES = bankfile.MAX_FILE_BYTES
MAX_ERRORS = bankfile.MAX_ERRORS
BANK_FILES = bankfile.FILES
SHIPPED_BANKS = bankfile.SHIPPED
BankFileError = bankfile.BankFileError
parse = bankfile.parse
load = bankfile.load


# --- numbers and YAML output ---------------------------------------------------------------------


class _BankDumper(yaml.SafeDumper):
    """Readable, deterministic YAML: long text folded, short scalar lists inline."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value used twice is written twice: import refuses aliases


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


# Parts of a version 2 file kept as the file has them (validated on import; JSON in the database).
VERSION_DATA = ["tiers", "mlops_levels", "previous_version"]
# PostgreSQL's jsonb keeps no key order, so export writes these parts' keys in one order on every
# database: the documented fields in this order, then free keys (categories, questions, models)
# sorted, so that an export is the same bytes on SQLite and PostgreSQL.
FIELD_ORDER = ["rule", "version", "key", "level", "name", "description", "source", "question",
               "at_least", "critical_target", "targets", "levels", "requires", "keys",
               "new_series", "added", "notes"]  # fmt: skip


def _in_field_order(value: Any) -> Any:
    if isinstance(value, list):
        return [_in_field_order(item) for item in value]
    if not isinstance(value, dict):
        return value
    known = [key for key in FIELD_ORDER if key in value]
    free = sorted(key for key in value if key not in FIELD_ORDER)
    return {key: _in_field_order(value[key]) for key in [*known, *free]}


def version_to_data(version: BankVersion) -> dict[str, Any]:
    """The file's data for a version loaded by version_for_export(), keys in the documented order.
    What only method version 2 uses is written only when set, so a version 1 file round-trips to
    the same bytes."""
    optional: dict[str, Any] = {}  # what only method version 2 uses, written only when set
    if version.method_version != 1:
        optional["method"] = {
            "version": version.method_version,
            "gate_share": _number(version.gate_share),
        }
    if version.level_rule:
        optional["level_rule"] = version.level_rule
    if version.evidence_link_from_level is not None:
        optional["evidence_link_from_level"] = _number(version.evidence_link_from_level)
    if version.evidence_max_age_days is not None:
        optional["evidence_max_age_days"] = version.evidence_max_age_days
    data = {
        "slug": version.bank.slug,
        "name": version.bank.name,
        "description": version.bank.description,
        "version": version.number,
        "changelog": version.changelog,
        "scoring": version.scoring_method,
        **optional,
        "scale": [_number(v) for v in version.scale],
        **{
            name: _in_field_order(getattr(version, name))
            for name in VERSION_DATA
            if getattr(version, name)
        },
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
    # Other languages' texts go back in place, as {en: …, de: …}, the way the file wrote them.
    return translations.join(data, version.translations)


def _question_to_data(question: Question) -> dict[str, Any]:
    return {
        "key": question.key,
        "text": question.text,
        "why": question.why,
        "weight": _number(question.weight),
        **({"critical": True} if question.critical else {}),
        "allow_na": question.allow_na,
        **({"na_precondition": question.na_precondition} if question.na_precondition else {}),
        "prerequisites": list(question.prerequisites),
        "covers": list(question.covers),
        "references": list(question.references),
        "levels": [
            {
                "value": _number(level.value),
                "label": level.label,
                "description": level.description,
                **({"evidence": level.evidence} if level.evidence else {}),
            }
            for level in question.levels.all()
        ],
        "remediation": [
            {
                "to": _number(step.to_value),
                "advice": step.advice,
                "effort": step.effort,
                **(
                    {"effort_weeks": _number(step.effort_weeks)}
                    if step.effort_weeks is not None
                    else {}
                ),
                "impact": step.impact,
            }
            for step in question.remediations.all()
        ],
        **(
            {"evidence_max_age_days": question.evidence_max_age_days}
            if question.evidence_max_age_days is not None
            else {}
        ),
        **({"signals": [_signal_to_data(s) for s in question.signals]} if question.signals else {}),
    }


# A signal's keys in the documented order (jsonb keeps none), optional flags only when set.
SIGNAL_ORDER = ["rule", "says", "supports", "confidence", "ceiling", "same_file", "all"]
CONDITION_ORDER = ["files", "pattern", "key"]


def _signal_to_data(signal: dict[str, Any]) -> dict[str, Any]:
    ordered = {
        name: signal[name]
        for name in SIGNAL_ORDER
        if name in signal and (signal[name] or name not in ("ceiling", "same_file"))
    }
    ordered["all"] = [
        {
            kind: (
                {name: spec[name] for name in CONDITION_ORDER if name in spec}
                if isinstance(spec, dict)
                else spec
            )
            for kind, spec in condition.items()
        }
        for condition in signal["all"]
    ]
    return ordered


def export_version(version: BankVersion) -> str:
    return dump(version_to_data(version_for_export(version.pk)))


@transaction.atomic
def import_data(data: dict[str, Any]) -> BankVersion:
    """Create a draft version from validated data; the bank is created on first import.

    Only services.publish_version publishes, so a file can never skip preview and publish.
    Texts written as {en: …, de: …} keep their English in the content and the rest on the
    version (bankfile.translations).
    """
    data, in_place, _problems = translations.split(copy.deepcopy(data))
    table = data.get("translations", {})
    for place, by_language in in_place.items():
        for language, by_field in by_language.items():
            table.setdefault(place, {}).setdefault(language, {}).update(by_field)
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
    try:
        version = BankVersion.objects.create(
            bank=bank,
            number=data["version"],
            changelog=data.get("changelog", ""),
            scoring_method=data["scoring"],
            scale=[_number(v) for v in data["scale"]],
            **_method_fields(data.get("method", {})),
            level_rule=data.get("level_rule", ""),
            evidence_max_age_days=data.get("evidence_max_age_days"),
            evidence_link_from_level=(
                Decimal(str(data["evidence_link_from_level"]))
                if "evidence_link_from_level" in data
                else None
            ),
            **{name: data[name] for name in VERSION_DATA if name in data},
            translations=table,
        )
    except IntegrityError:  # a concurrent import took the number between the check and here
        raise BankFileError(
            [f"version: {bank.slug} already has a version {data['version']}"]
        ) from None
    # The ML Test Score has no N/A (Breck et al. 2017): a test allows it only where the file says so.
    _create_content(version, data["categories"], allow_na=data["scoring"] != "ml-test-score")
    return version


def _method_fields(method: dict[str, Any]) -> dict[str, Any]:
    fields = {"method_version": method.get("version", 1)}
    if "gate_share" in method:
        fields["gate_share"] = Decimal(str(method["gate_share"]))
    return fields


def _create_content(
    version: BankVersion, categories: list[dict[str, Any]], *, allow_na: bool
) -> None:
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
            allow_na=q.get("allow_na", allow_na),
            na_precondition=q.get("na_precondition", ""),
            critical=q.get("critical", False),
            prerequisites=q.get("prerequisites", []),
            covers=q.get("covers", []),
            references=q.get("references", []),
            evidence_max_age_days=q.get("evidence_max_age_days"),
            signals=q.get("signals", []),
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
                evidence=level.get("evidence", ""),
            )
            for level in q["levels"]
        ]
        steps += [
            Remediation(
                question=row,
                to_value=Decimal(str(step["to"])),
                advice=step["advice"],
                effort=step["effort"],
                effort_weeks=(
                    Decimal(str(step["effort_weeks"])) if "effort_weeks" in step else None
                ),
                impact=step["impact"],
            )
            for step in q["remediation"]
        ]
    Level.objects.bulk_create(levels)
    Remediation.objects.bulk_create(steps)


def import_file(raw: bytes | str) -> BankVersion:
    """Validate and import a whole file; a file with any error changes nothing."""
    return import_data(load(raw))


def refresh_signals(version: BankVersion, data: dict[str, Any]) -> int:
    """Give a loaded version the scan rules of its file, which may have gained rules since it was
    published (they change no score); returns how many questions changed."""
    wanted = {q["key"]: q.get("signals", []) for c in data["categories"] for q in c["questions"]}
    changed = [q for q in version.questions.all() if q.key in wanted and q.signals != wanted[q.key]]
    for question in changed:
        question.signals = wanted[question.key]
    Question.objects.bulk_update(changed, ["signals"])
    return len(changed)


def load_shipped_banks() -> list[BankVersion]:
    """Import and publish the shipped banks (paydown/bankfile/files/) whose version is not in the database yet.

    They take the way of every bank: imported as a draft, then published, which validates.
    """
    from banks import services  # services imports this module

    published = []
    for path in SHIPPED_BANKS:
        data = load(path.read_bytes())
        loaded = BankVersion.objects.filter(bank__slug=data["slug"], number=data["version"]).first()
        if loaded is not None:
            refresh_signals(loaded, data)
            continue
        with transaction.atomic():  # a version that fails to publish leaves no draft behind
            published.append(services.publish_version(version=import_data(data)))
    return published
