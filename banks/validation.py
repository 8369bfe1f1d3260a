"""Bank validation on plain data: the JSON Schema, then the rules a schema cannot say (scale,
levels, steps, duplicate keys, prerequisites and their cycles). No database."""

import json
from collections import Counter
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA_PATH = Path(__file__).resolve().parent / "bank_files" / "bank.schema.json"


@cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def _path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


def validate(data: dict[str, Any]) -> list[str]:
    """Every problem with a bank version's data, each prefixed by its path; empty when valid."""
    structural = sorted(
        _schema_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
    )
    if structural:
        return [f"{_path(error.absolute_path)}: {error.message}" for error in structural]
    return _semantic_errors(data)


def _semantic_errors(data: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    scale = [Decimal(str(value)) for value in data["scale"]]
    if scale != sorted(set(scale)):
        errors.append(f"scale: values must be distinct and ascending, got {data['scale']}")
    scale_text = _format_scale(data["scale"])

    seen_categories: set[str] = set()
    question_keys = Counter(
        question["key"] for category in data["categories"] for question in category["questions"]
    )
    prerequisites: dict[str, list[str]] = {}
    question_paths: dict[str, str] = {}

    for c, category in enumerate(data["categories"]):
        c_path = f"categories[{c}]"
        if category["key"] in seen_categories:
            errors.append(f"{c_path}.key: duplicate category key '{category['key']}'")
        seen_categories.add(category["key"])
        for q, question in enumerate(category["questions"]):
            q_path = f"{c_path}.questions[{q}]"
            key = question["key"]
            if key in question_paths:
                errors.append(f"{q_path}.key: duplicate question key '{key}'")
            question_paths.setdefault(key, q_path)
            errors += _level_errors(question["levels"], scale, scale_text, f"{q_path}.levels")
            errors += _step_errors(question["remediation"], scale, f"{q_path}.remediation")
            for required in question.get("prerequisites", []):
                if required == key:
                    errors.append(f"{q_path}.prerequisites: '{key}' cannot require itself")
                elif required not in question_keys:
                    errors.append(f"{q_path}.prerequisites: unknown question key '{required}'")
            prerequisites[key] = [
                k for k in question.get("prerequisites", []) if k in question_keys and k != key
            ]

    for cycle in _cycles(prerequisites):
        errors.append(
            f"{question_paths[cycle[0]]}.prerequisites: cycle {' → '.join([*cycle, cycle[0]])}"
        )
    return errors


def _level_errors(
    levels: list[dict], scale: list[Decimal], scale_text: str, path: str
) -> list[str]:
    errors = []
    if len(levels) != len(scale):
        errors.append(f"{path}: expected {len(scale)}, got {len(levels)}")
    for i, level in enumerate(levels):
        value = Decimal(str(level["value"]))
        if value not in scale:
            errors.append(
                f"{path}[{i}].value: {level['value']} is not on the version's scale {scale_text}"
            )
        elif i < len(scale) and value != scale[i] and len(levels) == len(scale):
            errors.append(
                f"{path}[{i}].value: expected {number(scale[i])} (levels follow the scale), "
                f"got {level['value']}"
            )
    return errors


def _step_errors(steps: list[dict], scale: list[Decimal], path: str) -> list[str]:
    errors = []
    targets = [Decimal(str(step["to"])) for step in steps]
    for i, target in enumerate(targets):
        if target not in scale[1:]:
            errors.append(f"{path}[{i}].to: {steps[i]['to']} is not a level above the lowest")
        elif targets.index(target) != i:
            errors.append(f"{path}[{i}].to: a second step toward level {steps[i]['to']}")
    errors += [
        f"{path}: no step toward level {number(value)}"
        for value in scale[1:]
        if value not in targets
    ]
    return errors


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each distinct prerequisite cycle once, as the list of keys along it."""
    cycles, seen_sets = [], set()
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "active"
        for nxt in graph.get(node, []):
            if state.get(nxt) == "active":
                cycle = trail[trail.index(nxt) :]
                if frozenset(cycle) not in seen_sets:
                    seen_sets.add(frozenset(cycle))
                    cycles.append(cycle)
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [node])
    return cycles


def number(value: Decimal | float | int) -> int | float:
    """Canonical number for files: 2 not 2.00, 0.5 not 0.50."""
    return plain_number(value)


def plain_number(value: Decimal | float | int | None) -> int | float | None:
    """A number as JSON and YAML want it: 2 not 2.00, 0.5 not 0.50; None stays None."""
    if value is None:
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def _format_scale(scale: list) -> str:
    return "[" + ", ".join(str(number(v)) for v in scale) + "]"
