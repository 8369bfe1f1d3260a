"""A bank's `signals:` as compiled rules, and the checks a JSON Schema cannot make on them.

A rule suggests its question's level `supports` when every condition in `all` matches in the
checkout (docs/bank-format.md, "Signals"). Rules are data that bank curators edit, so everything
here refuses what would make a scan slow or unsafe: regexes are short and have no nested
repetition, globs cannot leave the checkout.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

try:  # Python 3.11 has re._parser; sre_parse is its deprecated alias
    from re import _parser as regex_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as regex_parser  # type: ignore[no-redef]

CONFIDENCES = ("low", "medium", "high")
KINDS = ("files", "content", "imports", "calls", "keys")


class RuleError(ValueError):
    """A glob or pattern a rule cannot use; the message says why."""


@dataclass(frozen=True)
class Condition:
    kind: str  # one of KINDS
    globs: tuple[str, ...] = ()  # files, content and keys: which files
    pattern: re.Pattern | None = None  # content
    names: tuple[str, ...] = ()  # imports and calls: dotted names ('*' one segment in calls)
    key: tuple[str, ...] = ()  # keys: the path's segments


@dataclass(frozen=True)
class Rule:
    id: str
    says: str
    question: str
    category: str
    supports: Decimal
    confidence: str
    ceiling: bool
    same_file: bool
    conditions: tuple[Condition, ...]


def bank_rules(bank: dict[str, Any]) -> list[Rule]:
    """Every rule of a validated bank's data, in file order."""
    return [
        _rule(signal, question["key"], category["key"])
        for category in bank["categories"]
        for question in category["questions"]
        for signal in question.get("signals", [])
    ]


def _rule(signal: dict[str, Any], question: str, category: str) -> Rule:
    return Rule(
        id=signal["rule"],
        says=signal["says"],
        question=question,
        category=category,
        supports=Decimal(str(signal["supports"])),
        confidence=signal["confidence"],
        ceiling=signal.get("ceiling", False),
        same_file=signal.get("same_file", False),
        conditions=tuple(_condition(condition) for condition in signal["all"]),
    )


def _condition(condition: dict[str, Any]) -> Condition:
    ((kind, spec),) = condition.items()
    if kind == "files":
        return Condition(kind, globs=tuple(spec))
    if kind == "content":
        return Condition(kind, globs=tuple(spec["files"]), pattern=compile_pattern(spec["pattern"]))
    if kind == "keys":
        return Condition(kind, globs=tuple(spec["files"]), key=tuple(spec["key"].split(".")))
    return Condition(kind, names=tuple(spec))  # imports, calls


# --- globs ----------------------------------------------------------------------------------------


@cache
def compile_glob(glob: str) -> re.Pattern:
    """A glob as a regex on a relative POSIX path, case-insensitive: '**' any number of folders,
    '*' and '?' within one name, [..] a class; a glob without '/' matches a name at any depth."""
    if glob.startswith("/") or ".." in glob.split("/") or "\\" in glob:
        raise RuleError(f"glob {glob!r}: use a path relative to the checkout, with '/'")
    anchored = glob if "/" in glob else f"**/{glob}"
    out, i = [], 0
    while i < len(anchored):
        if anchored.startswith("**/", i):
            out.append("(?:[^/]*/)*")
            i += 3
        elif anchored.startswith("**", i):
            out.append(".*")
            i += 2
        elif anchored[i] == "*":
            out.append("[^/]*")
            i += 1
        elif anchored[i] == "?":
            out.append("[^/]")
            i += 1
        elif anchored[i] == "[" and "]" in anchored[i + 2 :]:
            end = anchored.index("]", i + 2)
            body = anchored[i + 1 : end].replace("\\", "\\\\")
            out.append("[^" + body[1:] + "]" if body.startswith("!") else "[" + body + "]")
            i = end + 1
        else:
            out.append(re.escape(anchored[i]))
            i += 1
    try:
        return re.compile("".join(out) + r"\Z", re.IGNORECASE)
    except re.error as error:
        raise RuleError(f"glob {glob!r}: {error}") from None


# --- patterns -------------------------------------------------------------------------------------

MAX_PATTERN_CHARS = 200
_REPEATS = {regex_parser.MAX_REPEAT, regex_parser.MIN_REPEAT, regex_parser.POSSESSIVE_REPEAT}


@cache
def compile_pattern(pattern: str) -> re.Pattern:
    """A content regex, refused when it could backtrack for long: over 200 characters, a
    repetition inside a repetition (`(a+)+`), or a back-reference."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise RuleError(f"pattern is {len(pattern)} characters, over {MAX_PATTERN_CHARS}")
    try:
        parsed = regex_parser.parse(pattern)
        compiled = re.compile(pattern)
    except re.error as error:
        raise RuleError(f"pattern {pattern!r}: {error}") from None
    for op in _walk(parsed, repeated=False):
        if op == "nested":
            raise RuleError(f"pattern {pattern!r}: a repetition inside a repetition can backtrack")
        if op == regex_parser.GROUPREF:
            raise RuleError(f"pattern {pattern!r}: back-references are not allowed")
    return compiled


def _walk(parsed, *, repeated: bool) -> Iterator[Any]:
    """The regex's operations, and "nested" for each repetition inside another."""
    for op, arg in parsed:
        if op in _REPEATS:
            _low, _high, inner = arg
            if repeated:
                yield "nested"
            yield from _walk(inner, repeated=True)
        elif op == regex_parser.SUBPATTERN:
            yield from _walk(arg[-1], repeated=repeated)
        elif op == regex_parser.BRANCH:
            for branch in arg[1]:
                yield from _walk(branch, repeated=repeated)
        elif op in (regex_parser.ASSERT, regex_parser.ASSERT_NOT):
            yield from _walk(arg[1], repeated=repeated)
        else:
            yield op


# --- checks beyond the schema ---------------------------------------------------------------------


def signal_errors(question: dict[str, Any], path: str, seen_rules: dict[str, str]) -> list[str]:
    """Problems with one question's signals: a level it does not have, a rule id used before in
    the file (`seen_rules` maps ids to their first path and grows), a glob or pattern refused."""
    errors = []
    values = {Decimal(str(level["value"])) for level in question["levels"]}
    for s, signal in enumerate(question.get("signals", [])):
        s_path = f"{path}.signals[{s}]"
        if Decimal(str(signal["supports"])) not in values:
            shown = ", ".join(str(v.normalize()) for v in sorted(values))
            errors.append(
                f"{s_path}.supports: {signal['supports']} is not a level of this question ({shown})"
            )
        if signal["rule"] in seen_rules:
            errors.append(
                f"{s_path}.rule: '{signal['rule']}' is used by {seen_rules[signal['rule']]} too"
            )
        seen_rules.setdefault(signal["rule"], s_path)
        for c, condition in enumerate(signal["all"]):
            ((kind, spec),) = condition.items()
            try:
                if kind in ("files", "content", "keys"):
                    for glob in spec if kind == "files" else spec["files"]:
                        compile_glob(glob)
                if kind == "content":
                    compile_pattern(spec["pattern"])
            except RuleError as error:
                errors.append(f"{s_path}.all[{c}].{kind}: {error}")
    return errors
