"""Translated texts in a bank file (issue #17). Any text a person reads may be written as a mapping
from language code to text, e.g. `text: {en: "How are…", de: "Wie werden…"}`; English (`en`) is
required, since the bank's own text is English. Reading a file splits such a mapping into the
English string the rest of the format expects, and a table of the other languages' texts keyed by
where they sit; writing a file joins them again.

Keys of the table: "" for the bank, "tiers/<key>", "mlops" (its rule), "mlops/<framework>/<level>",
"categories/<key>", "questions/<key>", "levels/<question key>/<value>",
"remediation/<question key>/<to>"; each maps language → field → text."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

SOURCE_LANGUAGE = "en"
MAX_LANGUAGE_CODE = 10

Table = dict[str, dict[str, dict[str, str]]]

BANK_FIELDS = ("name", "description", "level_rule")
TIER_FIELDS = ("name", "description")
CATEGORY_FIELDS = ("name", "description")
QUESTION_FIELDS = ("text", "why", "na_precondition")
LEVEL_FIELDS = ("label", "description", "evidence")
STEP_FIELDS = ("advice",)


def number_key(value: Any) -> str:
    """A level value or step as the table names it: 2, 2.5 (never 2.0 or 2.50)."""
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except ArithmeticError:
        return str(value)


def _places(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], tuple[str, ...]]]:
    """(table key, the dict that holds the texts, its translatable fields) for every place."""
    yield "", data, BANK_FIELDS
    for tier in _dicts(data.get("tiers")):
        yield f"tiers/{tier.get('key')}", tier, TIER_FIELDS
    mlops = data.get("mlops_levels")
    if isinstance(mlops, dict):
        yield "mlops", mlops, ("rule",)
        for framework, spec in mlops.items():
            for level in _dicts(spec.get("levels") if isinstance(spec, dict) else None):
                yield f"mlops/{framework}/{level.get('level')}", level, TIER_FIELDS
    for category in _dicts(data.get("categories")):
        yield f"categories/{category.get('key')}", category, CATEGORY_FIELDS
        for question in _dicts(category.get("questions")):
            key = question.get("key")
            yield f"questions/{key}", question, QUESTION_FIELDS
            for level in _dicts(question.get("levels")):
                yield f"levels/{key}/{number_key(level.get('value'))}", level, LEVEL_FIELDS
            for step in _dicts(question.get("remediation")):
                yield f"remediation/{key}/{number_key(step.get('to'))}", step, STEP_FIELDS


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def split(data: dict[str, Any]) -> tuple[dict[str, Any], Table, list[str]]:
    """The data with every translated text replaced by its English (in place), the table of the
    other languages, and the problems found (a mapping without English, a text that is not a
    string, a language code that is not one)."""
    table: Table = {}
    problems: list[str] = []
    for place, holder, fields in _places(data):
        for field in fields:
            value = holder.get(field)
            if not isinstance(value, dict):
                continue
            where = f"{place or 'bank'}: {field}"
            bad = [
                str(code)[:20]
                for code, text in value.items()
                if not isinstance(code, str)
                or not code
                or len(code) > MAX_LANGUAGE_CODE
                or not code.replace("-", "").isalpha()
                or not isinstance(text, str)
            ]
            if bad:
                problems.append(
                    f"{where}: a translation must map a language code to a text ({', '.join(bad)})"
                )
                holder[field] = ""
                continue
            if SOURCE_LANGUAGE not in value:
                problems.append(
                    f"{where}: translations need the English text under '{SOURCE_LANGUAGE}'"
                )
                holder[field] = ""
                continue
            holder[field] = value[SOURCE_LANGUAGE]
            for code, text in value.items():
                if code != SOURCE_LANGUAGE:
                    table.setdefault(place, {}).setdefault(code.lower(), {})[field] = text
    return data, table, problems


def join(data: dict[str, Any], table: Table) -> dict[str, Any]:
    """Put the table's texts back into the data as mappings (in place): the file as written."""
    if not table:
        return data
    for place, holder, fields in _places(data):
        languages = table.get(place, {})
        for field in fields:
            texts = {
                code: by_field[field]
                for code, by_field in sorted(languages.items())
                if field in by_field
            }
            if texts and isinstance(holder.get(field), str):
                holder[field] = {SOURCE_LANGUAGE: holder[field], **texts}
    return data


def languages(table: Table) -> list[str]:
    return sorted({code for by_language in table.values() for code in by_language})


def text(table: Table, place: str, field: str, language: str, default: str) -> str:
    """The text in `language` if the table has it, else the default (the English)."""
    return table.get(place, {}).get(language, {}).get(field) or default
