"""`paydown scan`: a bank's signals run against a checkout, giving per question a suggested level,
a confidence and file-and-line evidence, or "not detected" — which is never a pass and never
lowers an answer (docs/bank-format.md, "Signals"; docs/exports.md, "Scan").

Nothing is executed: files are read, Python is parsed with `ast`, YAML is composed.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from paydown.scan.checkout import Checkout, CheckoutError, Hit, excerpt
from paydown.scan.rules import CONFIDENCES, Condition, Rule, bank_rules, compile_glob

__all__ = ["CheckoutError", "Evidence", "Finding", "Scan", "scan"]

SCHEMA = "paydown.scan/1"
SUGGESTED, NOT_DETECTED, NO_SIGNALS = "suggested", "not_detected", "no_signals"
MAX_EVIDENCE = 20  # a question's evidence listed; `files` still counts every file
MAX_HITS_PER_CONDITION = 5


@dataclass(frozen=True)
class Evidence:
    path: str
    line: int
    rule: str
    excerpt: str


@dataclass(frozen=True)
class Finding:
    key: str
    category: str
    status: str  # SUGGESTED, NOT_DETECTED or NO_SIGNALS
    level: Decimal | None = None
    confidence: str | None = None
    files: int = 0
    rules: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Scan:
    bank: dict[str, Any]
    root: str
    revision: str | None
    files_scanned: int
    findings: tuple[Finding, ...]
    rules: tuple[Rule, ...]

    @property
    def suggested(self) -> list[Finding]:
        return [f for f in self.findings if f.status == SUGGESTED]


def scan(root: Path, bank: dict[str, Any]) -> Scan:
    """Run a validated bank's signals on the checkout at `root`; raises CheckoutError."""
    checkout = Checkout(root)
    rules = bank_rules(bank)
    matcher = _Matcher(checkout)
    fired: dict[str, list[tuple[Rule, list[Hit]]]] = {}
    for rule in rules:
        hits = matcher.rule_hits(rule)
        if hits:
            fired.setdefault(rule.question, []).append((rule, hits))
    with_rules = {rule.question for rule in rules}
    findings = tuple(
        _finding(question["key"], category["key"], fired.get(question["key"], []), with_rules)
        for category in bank["categories"]
        for question in category["questions"]
    )
    return Scan(
        bank=bank,
        root=root.resolve().name,
        revision=checkout.revision,
        files_scanned=len(checkout.paths),
        findings=findings,
        rules=tuple(rules),
    )


def _finding(
    key: str, category: str, fired: list[tuple[Rule, list[Hit]]], with_rules: set[str]
) -> Finding:
    if not fired:
        return Finding(key, category, NOT_DETECTED if key in with_rules else NO_SIGNALS)
    raising = [rule for rule, _ in fired if not rule.ceiling]
    ceilings = [rule for rule, _ in fired if rule.ceiling]
    level = max((r.supports for r in raising), default=None)
    if ceilings:
        ceiling = min(r.supports for r in ceilings)
        level = ceiling if level is None else min(level, ceiling)
    # The confidence is that of the rules that give the level; two of them agreeing raise it.
    at_level = [rule for rule, _ in fired if rule.supports == level]
    best = max(CONFIDENCES.index(r.confidence) for r in at_level)
    if len({r.id for r in at_level}) > 1:
        best = min(best + 1, len(CONFIDENCES) - 1)
    # A line that several rules matched is listed once, under the rule that gives the level
    # (else the rule supporting the highest level), so the evidence reads as the reason.
    ranked = sorted(fired, key=lambda f: (f[0].supports != level, -f[0].supports, f[0].id))
    by_line: dict[tuple[str, int], Evidence] = {}
    for rule, hits in ranked:
        for hit in hits:
            by_line.setdefault(
                (hit.path, hit.line), Evidence(hit.path, hit.line, rule.id, hit.excerpt)
            )
    evidence = sorted(by_line.values(), key=lambda e: (e.path, e.line))
    return Finding(
        key,
        category,
        SUGGESTED,
        level=level,
        confidence=CONFIDENCES[best],
        files=len({e.path for e in evidence}),
        rules=tuple(sorted({rule.id for rule, _ in fired})),
        evidence=tuple(evidence[:MAX_EVIDENCE]),
    )


class _Matcher:
    """Conditions matched on one checkout, caching what several rules share (a glob's files)."""

    def __init__(self, checkout: Checkout) -> None:
        self.checkout = checkout
        self._globbed: dict[str, list[str]] = {}
        self._python_paths: list[str] | None = None

    def files(self, globs: tuple[str, ...]) -> list[str]:
        matched: set[str] = set()
        for glob in globs:
            if glob not in self._globbed:
                pattern = compile_glob(glob)
                self._globbed[glob] = [p for p in self.checkout.paths if pattern.match(p)]
            matched.update(self._globbed[glob])
        return sorted(matched)

    def rule_hits(self, rule: Rule) -> list[Hit]:
        """The evidence of a rule whose every condition matches (in one file when `same_file`),
        else []."""
        per_condition = [self.condition_hits(condition) for condition in rule.conditions]
        if not all(per_condition):
            return []
        if rule.same_file:
            shared = set.intersection(*({hit.path for hit in hits} for hits in per_condition))
            if not shared:
                return []
            per_condition = [[h for h in hits if h.path in shared] for hits in per_condition]
        return [hit for hits in per_condition for hit in hits[:MAX_HITS_PER_CONDITION]]

    def condition_hits(self, condition: Condition) -> list[Hit]:
        checkout = self.checkout
        if condition.kind == "files":
            return [checkout.first_line(path) for path in self.files(condition.globs)]
        if condition.kind == "content":
            return [
                hit
                for path in self.files(condition.globs)
                for hit in checkout.lines_matching(path, condition.pattern)
            ]
        if condition.kind == "keys":
            return [
                hit
                for path in self.files(condition.globs)
                for hit in checkout.key_hits(path, condition.key)
            ]
        return self.python_hits(condition)

    def python_hits(self, condition: Condition) -> list[Hit]:
        """Imports of the modules (or their submodules), or calls of the dotted names."""
        if condition.kind == "imports":
            wanted = re.compile("|".join(rf"{re.escape(n)}(\.|$)" for n in condition.names))
        else:
            wanted = re.compile(
                "|".join(
                    r"\.".join("[^.]+" if part == "*" else re.escape(part) for part in n.split("."))
                    + "$"
                    for n in condition.names
                )
            )
        # A file that imports or calls a module names it (its import says it), so only files
        # with a first segment in their text are parsed; a name that starts with * falls back to
        # its last segment.
        words = {
            name.split(".")[0] if not name.startswith("*") else name.split(".")[-1]
            for name in condition.names
        }
        quick = re.compile("|".join(re.escape(w) for w in sorted(words)))
        hits = []
        for path in self._python():
            text = self.checkout.text(path)
            if text is None or not quick.search(text):  # most files name none of the modules
                continue
            facts = self.checkout.python(path)
            if facts is None:
                continue
            found = facts.imports if condition.kind == "imports" else facts.calls
            lines = self.checkout.lines(path)
            hits += [
                Hit(path, line, excerpt(lines[line - 1], path) if 0 < line <= len(lines) else "")
                for name, line in sorted(set(found), key=lambda f: f[1])
                if wanted.match(name)
            ]
        return hits

    def _python(self) -> list[str]:
        if self._python_paths is None:
            self._python_paths = [
                p for p in self.checkout.paths if p.lower().endswith((".py", ".ipynb"))
            ]
        return self._python_paths
