"""Quality gates on a score card: the overall score, the level and category scores a build needs."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from paydown import scoring


@dataclass(frozen=True)
class Gate:
    name: str  # fail-under, fail-under-level, fail-under-category
    subject: str  # "overall", "level" or a category key
    needed: Decimal


@dataclass(frozen=True)
class Checked:
    gate: Gate
    actual: Decimal | None  # None when nothing was scored (every question N/A)
    passed: bool

    @property
    def message(self) -> str:
        actual = "n/a" if self.actual is None else f"{self.actual:g}"
        subject = self.gate.subject if self.gate.subject != "overall" else "overall score"
        verdict = "passes" if self.passed else "fails"
        return f"{subject} {actual} {verdict} --{self.gate.name} {self.gate.needed:g}"


def number(text: str | int | float) -> Decimal:
    """A gate's threshold; ValueError when it is not a finite number."""
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number")
    return value


def category_gate(spec: str) -> Gate:
    """`data=50` → the data category needs a score of 50; ValueError when malformed."""
    key, sep, threshold = spec.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"{spec!r}: expected CATEGORY=SCORE, e.g. data=50")
    return Gate("fail-under-category", key.strip(), number(threshold))


def unknown_categories(gates: list[Gate], card: scoring.ScoreCard) -> list[str]:
    keys = {c.key for c in card.categories}
    return [g.subject for g in gates if g.name == "fail-under-category" and g.subject not in keys]


def check(gates: list[Gate], card: scoring.ScoreCard) -> list[Checked]:
    """Each gate against the card. A missing score fails the overall and level gates; a category
    whose questions are all N/A has nothing to hold back and passes."""
    checked = []
    for gate in gates:
        if gate.name == "fail-under":
            actual = card.overall
            passed = actual is not None and actual >= gate.needed
        elif gate.name == "fail-under-level":
            actual = None if card.level is None else Decimal(card.level)
            passed = actual is not None and actual >= gate.needed
        else:
            category = card.category(gate.subject)
            actual = category.score if category else None
            passed = actual is None or actual >= gate.needed
        checked.append(Checked(gate, actual, passed))
    return checked


def regression(previous: Decimal, now: Decimal | None) -> Checked:
    """--fail-on-regression: the overall score may not fall below the last submitted one."""
    gate = Gate("fail-on-regression", "overall", previous)
    return Checked(gate, now, now is not None and now >= previous)
