"""Bank validation on plain data: the JSON Schema, then the numbers as the database will store them,
then the rules a schema cannot say (scale, levels, steps, duplicate keys, prerequisites and their
cycles). No database."""

import copy
import json
import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from paydown.bankfile import translations
from paydown.scan.rules import signal_errors

SCHEMA_PATH = Path(__file__).resolve().parent / "files" / "bank.schema.json"
CENT = Decimal("0.01")  # weights, levels and steps are DecimalField(decimal_places=2)
STATUS_IN_FILE = (
    "status: a bank file has no status: an import always makes a draft. Delete this line, then "
    "preview the draft and publish it"
)


@cache
def _schema_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def format_path(parts: Iterable[str | int | None]) -> str:
    """`categories[0].weight` from ["categories", 0, "weight"]; None parts are skipped."""
    text = ""
    for part in parts:
        if part is not None:
            text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


def validate(data: dict[str, Any]) -> list[str]:
    """Every problem with a bank version's data, each prefixed by its path; empty when valid.

    The JSON Schema first, then the numbers, then the rules a schema cannot say. The later
    checks assume a valid shape (and sorting the scale, finite numbers), so they read only the
    parts the earlier ones accepted: a question with a structural problem is left out of the
    rules, and the others are still checked, so that one upload lists every problem (issue #18:
    structure and rules came back in two rounds). Only a broken scale, scoring method, version or
    category list stops them.
    """
    # Texts written as {en: …, de: …} are checked here and read as their English below.
    data, _table, errors = translations.split(copy.deepcopy(data))
    if errors:
        return errors
    if "status" in data:  # files made before drafts were the only way in have one
        errors.append(STATUS_IN_FILE)
        data = {key: value for key, value in data.items() if key != "status"}
    structural = sorted(
        _schema_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
    )
    errors += [f"{format_path(error.absolute_path)}: {error.message}" for error in structural]
    known = _known_keys(data)
    checkable = _checkable(data, [tuple(error.absolute_path) for error in structural])
    if checkable is None:
        return errors
    numbers = _number_errors(checkable)
    errors += [f"{format_path(path)}: {message}" for path, message in numbers]
    checkable = _checkable(checkable, [path for path, _message in numbers])
    if checkable is None:
        return errors
    return errors + _semantic_errors(checkable, known)


# Parts whose problems leave the rest checkable: optional parts are left out of the later checks,
# and texts are not read by them at all.
OPTIONAL_PARTS = {"method", "tiers", "mlops_levels", "previous_version", "evidence_link_from_level"}
TEXT_PARTS = {"slug", "name", "description", "changelog", "level_rule", "evidence_max_age_days"}


def _checkable(data: dict[str, Any], broken: list[tuple]) -> dict[str, Any] | None:
    """The data without the parts the given problem paths lie in: a broken question or category
    becomes None in its list (so the others keep their index in messages), a broken optional
    part is left out; None when a problem lies where every later check reads."""
    drop, categories, questions = set(), set(), set()
    for path in broken:
        match path:
            case (str() as name, *_) if name in OPTIONAL_PARTS:
                drop.add(name)
            case (str() as name, *_) if name in TEXT_PARTS:
                pass
            case ("categories", int() as c, "questions", int() as q, *_):
                questions.add((c, q))
            case ("categories", int() as c, *_):
                categories.add(c)
            case _:
                return None
    kept = {key: value for key, value in data.items() if key not in drop}
    kept["categories"] = [
        None
        if category is None or c in categories
        else {
            **category,
            "questions": [
                None if (c, q) in questions else question
                for q, question in enumerate(category["questions"])
            ],
        }
        for c, category in enumerate(data["categories"])
    ]
    return kept


def _known_keys(data: dict[str, Any]) -> tuple[set[str], Counter]:
    """Every category and question key the data names, broken parts included: a reference to a
    question whose own problem is listed is no second problem."""
    categories = data.get("categories")
    categories = (
        [c for c in categories if isinstance(c, dict)] if isinstance(categories, list) else []
    )
    questions = [
        q
        for c in categories
        if isinstance(c.get("questions"), list)
        for q in c["questions"]
        if isinstance(q, dict)
    ]
    return (
        {c["key"] for c in categories if isinstance(c.get("key"), str)},
        Counter(q["key"] for q in questions if isinstance(q.get("key"), str)),
    )


def _present(items: list) -> Iterable[tuple[int, Any]]:
    """(index, item) for the items the earlier checks accepted (see _checkable)."""
    return ((i, item) for i, item in enumerate(items) if item is not None)


def _number_errors(data: dict[str, Any]) -> list[tuple[tuple, str]]:
    """Every number is stored exactly: finite, with at most the 2 decimals its column keeps.
    Each problem comes as (path, message)."""
    numbers: list[tuple[tuple, Any]] = [(("scale", i), v) for i, v in enumerate(data["scale"])]
    if "gate_share" in data.get("method", {}):
        numbers.append((("method", "gate_share"), data["method"]["gate_share"]))
    if "evidence_link_from_level" in data:
        numbers.append((("evidence_link_from_level",), data["evidence_link_from_level"]))
    for t, tier in enumerate(data.get("tiers", [])):
        if "critical_target" in tier:
            numbers.append((("tiers", t, "critical_target"), tier["critical_target"]))
        numbers += [(("tiers", t, "targets", key), value) for key, value in tier["targets"].items()]
    for c, category in _present(data["categories"]):
        numbers.append((("categories", c, "weight"), category["weight"]))
        for q, question in _present(category["questions"]):
            q_path = ("categories", c, "questions", q)
            numbers.append(((*q_path, "weight"), question["weight"]))
            numbers += [
                ((*q_path, "levels", i, "value"), level["value"])
                for i, level in enumerate(question["levels"])
            ]
            for i, step in enumerate(question["remediation"]):
                numbers.append(((*q_path, "remediation", i, "to"), step["to"]))
                if "effort_weeks" in step:
                    numbers.append(
                        ((*q_path, "remediation", i, "effort_weeks"), step["effort_weeks"])
                    )
    errors = []
    for path, value in numbers:
        exact = Decimal(str(value))
        if not exact.is_finite():
            errors.append((path, f"{value} is not a number; use a finite number"))
        elif exact.as_tuple().exponent < -2:
            errors.append(
                (
                    path,
                    f"{value!r} would be stored as {exact.quantize(CENT)}; use at most 2 decimals",
                )
            )
    return errors


def _semantic_errors(data: dict[str, Any], known: tuple[set[str], Counter]) -> list[str]:
    errors: list[str] = []
    scale = [Decimal(str(value)) for value in data["scale"]]
    if scale != sorted(set(scale)):
        errors.append(f"scale: values must be distinct and ascending, got {data['scale']}")
    scale_text = _format_scale(data["scale"])

    seen_categories: set[str] = set()
    category_keys, question_keys = known
    prerequisites: dict[str, list[str]] = {}
    question_paths: dict[str, str] = {}
    signal_rules: dict[str, str] = {}

    for c, category in _present(data["categories"]):
        c_path = f"categories[{c}]"
        if category["key"] in seen_categories:
            errors.append(f"{c_path}.key: duplicate category key '{category['key']}'")
        seen_categories.add(category["key"])
        for q, question in _present(category["questions"]):
            q_path = f"{c_path}.questions[{q}]"
            key = question["key"]
            if key in question_paths:
                errors.append(f"{q_path}.key: duplicate question key '{key}'")
            question_paths.setdefault(key, q_path)
            errors += _level_errors(question["levels"], scale, scale_text, f"{q_path}.levels")
            errors += _step_errors(question["remediation"], scale, f"{q_path}.remediation")
            errors += signal_errors(question, q_path, signal_rules)
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
    if (
        "evidence_link_from_level" in data
        and Decimal(str(data["evidence_link_from_level"])) not in scale
    ):
        errors.append(
            f"evidence_link_from_level: {data['evidence_link_from_level']} is not on the "
            f"version's scale {scale_text}"
        )
    errors += _tier_errors(data, scale, category_keys, question_keys)
    errors += _mlops_level_errors(data.get("mlops_levels", {}), scale, question_keys)
    errors += _previous_version_errors(data, question_keys)
    # The method's own shape first: a wrong scale also makes every level wrong, listed after it.
    shape = []
    if data.get("method", {}).get("version") == 2:
        shape += _method_2_errors(data, scale)
    if data["scoring"] == "ml-test-score":
        shape += _ml_test_score_errors(data, scale)
    return shape + errors


ML_TEST_SCORE_SCALE = [Decimal(0), Decimal("0.5"), Decimal(1)]


def _ml_test_score_errors(data: dict[str, Any], scale: list[Decimal]) -> list[str]:
    """The ML Test Score's own shape (Breck et al. 2017): four sections of seven tests, each
    scored 0, 0.5 or 1 and weighing the same; its final score, the minimum over the sections,
    means nothing for another shape."""
    errors = []
    if scale != ML_TEST_SCORE_SCALE:
        errors.append(f"scale: the ML Test Score scores each test 0, 0.5 or 1, got {data['scale']}")
    if len(data["categories"]) != 4:
        errors.append(
            f"categories: the ML Test Score has four sections, got {len(data['categories'])}"
        )
    for c, category in _present(data["categories"]):
        if Decimal(str(category["weight"])) != 1:
            errors.append(
                f"categories[{c}].weight: every section weighs 1, got {category['weight']}"
            )
        if len(category["questions"]) != 7:
            errors.append(
                f"categories[{c}].questions: a section has seven tests, got "
                f"{len(category['questions'])}"
            )
        for q, question in _present(category["questions"]):
            if Decimal(str(question["weight"])) != 1:
                errors.append(
                    f"categories[{c}].questions[{q}].weight: every test weighs 1, got "
                    f"{question['weight']}"
                )
    return errors


# Method 2 names its levels 0–4 (scoring.MATURITY_LEVELS): its gates are positions on this scale.
METHOD_2_SCALE = [Decimal(v) for v in range(5)]


def _method_2_errors(data: dict[str, Any], scale: list[Decimal]) -> list[str]:
    """Gated levels need the maturity method on levels 0–4, and N/A only under a stated
    precondition (a question may not be dropped from the weight by choice)."""
    errors = []
    if data["scoring"] != "maturity":
        errors.append("method.version: method version 2 is for the maturity method")
    if scale != METHOD_2_SCALE:
        errors.append(
            f"scale: method version 2 needs the levels [0, 1, 2, 3, 4], got {data['scale']}"
        )
    for c, category in _present(data["categories"]):
        for q, question in _present(category["questions"]):
            if question.get("allow_na", True) and not question.get("na_precondition"):
                errors.append(
                    f"categories[{c}].questions[{q}].na_precondition: with method version 2 a "
                    "question allows N/A only under a stated precondition; state it, or set "
                    "allow_na: false"
                )
    return errors


def _tier_errors(
    data: dict[str, Any], scale: list[Decimal], categories: set[str], questions: Counter
) -> list[str]:
    """Each tier names a target on the scale for every category, and for critical questions."""
    errors = []
    seen: set[str] = set()
    for t, tier in enumerate(data.get("tiers", [])):
        path = f"tiers[{t}]"
        if tier["key"] in seen:
            errors.append(f"{path}.key: duplicate tier key '{tier['key']}'")
        seen.add(tier["key"])
        targets = tier["targets"]
        errors += [
            f"{path}.targets: unknown category '{k}'" for k in targets if k not in categories
        ]
        errors += [
            f"{path}.targets: no target for category '{k}'" for k in categories - set(targets)
        ]
        levels = [(f"targets.{k}", v) for k, v in targets.items()]
        if "critical_target" in tier:
            levels.append(("critical_target", tier["critical_target"]))
        errors += [
            f"{path}.{name}: {value} is not on the version's scale {_format_scale(data['scale'])}"
            for name, value in levels
            if Decimal(str(value)) not in scale
        ]
    return errors


def _mlops_level_errors(
    frameworks: dict[str, Any], scale: list[Decimal], questions: Counter
) -> list[str]:
    """A framework's levels count up from 0, which every team has, and each condition names a
    question of this version and a level on its scale."""
    errors = []
    for key, framework in frameworks.items():
        if key == "rule":
            continue
        path = f"mlops_levels.{key}.levels"
        numbers = [level["level"] for level in framework["levels"]]
        if numbers != list(range(len(numbers))):
            errors.append(f"{path}: levels must count up from 0 without gaps, got {numbers}")
        for i, level in enumerate(framework["levels"]):
            if level["level"] == 0 and level["requires"]:
                errors.append(f"{path}[{i}].requires: level 0 is where every team starts")
            if level["level"] > 0 and not level["requires"]:
                errors.append(f"{path}[{i}].requires: a level above 0 needs at least one condition")
            for r, condition in enumerate(level["requires"]):
                where = f"{path}[{i}].requires[{r}]"
                if condition["question"] not in questions:
                    errors.append(
                        f"{where}.question: unknown question key '{condition['question']}'"
                    )
                if Decimal(str(condition["at_least"])) not in scale:
                    errors.append(
                        f"{where}.at_least: {condition['at_least']} is not on the version's scale "
                        f"{_format_scale(scale)}"
                    )
    return errors


def _previous_version_errors(data: dict[str, Any], questions: Counter) -> list[str]:
    """Trends match questions by key, so a key keeps its meaning: a key that continues maps to
    itself, and a question whose meaning changed gets a new key, listed in new_series. Whether
    the map names every key of the previous version is checked on publishing."""
    if "previous_version" not in data:
        return []
    previous = data["previous_version"]
    errors = []
    if previous["version"] >= data["version"]:
        errors.append(
            f"previous_version.version: {previous['version']} is not before version {data['version']}"
        )
    new_series = set(previous.get("new_series", []))
    for old, new in previous["keys"].items():
        if new != old and old in questions:
            errors.append(
                f"previous_version.keys.{old}: '{old}' is a key of this version too, so its trend "
                "would go on; map it to itself, or give this version's question another key"
            )
        elif new is not None and new not in questions:
            errors.append(f"previous_version.keys.{old}: unknown question key '{new}'")
        elif new is not None and new != old and new not in new_series:
            errors.append(
                f"previous_version.keys.{old}: '{new}' has another key, so its trend starts anew; "
                "list it in new_series"
            )
    for key in sorted(new_series):
        if key not in questions:
            errors.append(f"previous_version.new_series: unknown question key '{key}'")
        elif key in previous["keys"]:
            errors.append(
                f"previous_version.new_series: '{key}' was a key of version {previous['version']}; "
                "a question that starts a new series needs a new key"
            )
    errors += [
        f"previous_version.added: unknown question key '{key}'"
        for key in previous.get("added", [])
        if key not in questions
    ]
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
    """Each distinct prerequisite cycle once, as the list of keys along it.

    A depth-first walk with its own stack: a long chain of prerequisites (a draft edited in the
    admin has no size limit) must not reach Python's recursion limit.
    """
    cycles, seen_sets = [], set()
    state: dict[str, str] = {}
    for root in graph:
        if root in state:
            continue
        state[root] = "active"
        trail, pending = [root], [iter(graph[root])]
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[trail.pop()] = "done"
                pending.pop()
            elif state.get(nxt) == "active":
                cycle = trail[trail.index(nxt) :]
                if frozenset(cycle) not in seen_sets:
                    seen_sets.add(frozenset(cycle))
                    cycles.append(cycle)
            elif nxt not in state:
                state[nxt] = "active"
                trail.append(nxt)
                pending.append(iter(graph.get(nxt, [])))
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


_POSITION = re.compile(r"^categories\[(\d+)\](?:\.questions\[(\d+)\])?(?:\.|(?=[:\[]))?")


def name_by_keys(errors: list[str], data: dict[str, Any]) -> list[str]:
    """The messages with their leading `categories[c].questions[q]` named by key instead, as in
    `category "data", question "data-3", levels: …`: a draft edited in the admin has no file to
    count positions in (issue #18). A position whose key is unknown stays as it is."""
    categories = data.get("categories")
    categories = categories if isinstance(categories, list) else []

    def key_of(items: list, index: int) -> str | None:
        item = items[index] if index < len(items) else None
        key = item.get("key") if isinstance(item, dict) else None
        return key if isinstance(key, str) else None

    def named(error: str) -> str:
        found = _POSITION.match(error)
        if not found:
            return error
        category = categories[int(found[1])] if int(found[1]) < len(categories) else None
        names = [key_of(categories, int(found[1]))]
        if found[2] is not None:
            questions = category.get("questions") if isinstance(category, dict) else None
            names.append(key_of(questions if isinstance(questions, list) else [], int(found[2])))
        if None in names:
            return error
        rest = error[found.end() :]
        label = f'category "{names[0]}"' + (f', question "{names[1]}"' if len(names) > 1 else "")
        return label + (rest if rest.startswith(":") else f", {rest}")

    return [named(error) for error in errors]
