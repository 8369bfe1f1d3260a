"""Pure scoring: team answers and bank weights in, a score card out; no ORM, no request.

Two methods, chosen by the bank version:

* maturity: a question scores its level ÷ the top level of the scale. A category scores the mean of
  its questions weighted by question weight, as 0–100; "not applicable" questions leave both sums,
  and a category whose questions are all N/A has no score (shown as N/A, never 0). The overall score
  is the mean of the scored categories weighted by category weight. Unanswered questions (a manager
  may submit early) count as the lowest level. Scores map to maturity levels in bands of 20 points
  (MATURITY_LEVELS), and the weakest category is reported beside the mean, since the weakest area
  bounds production readiness.
* ml-test-score (Breck et al. 2017): a test scores its level value as points (0, 0.5 or 1); a
  section sums its points; the final score is the minimum over the sections, read against the
  paper's bands (ML_TEST_SCORE_BANDS). N/A tests add no points; an all-N/A section is left out.

Maturity method version 2 (issue #13) keeps the mean score but gives the level by gates, so that a
missing area cannot hide behind a high mean: level k holds when at least `gate_share` (80 %) of the
applicable weight is at level k or above and no critical question is below k − 1, and every level
below k holds too. N/A questions leave the applicable weight; unanswered ones are below every gate.
`GatedLevel.held_back_by` names what stopped the next level.
"""

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

MATURITY = "maturity"
ML_TEST_SCORE = "ml-test-score"
DEFAULT_GATE_SHARE = Decimal("0.8")  # method 2: a level needs 80 % of the applicable weight
# A category whose questions are mostly N/A says little about the system: its score is shown as
# low confidence above this share (issue #13), so marking questions N/A cannot make a plain 100.
LOW_CONFIDENCE_NA_SHARE = Decimal("0.4")

# (lower bound of the 0–100 score, level, name, what it means)
MATURITY_LEVELS = [
    (0, 0, "Ad hoc", "Manual, undocumented, person-dependent; debt is invisible until it bites."),
    (20, 1, "Repeatable", "Some practices exist but depend on individuals and are rarely checked."),
    (40, 2, "Defined", "Practices are written down and followed by hand."),
    (60, 3, "Managed", "Most practices are automated in the pipeline."),
    (80, 4, "Optimized", "Automated and continuously verified; debt is measured and paid down."),
]

# (upper bound of the final score, name, meaning), after Breck et al. 2017, Table III.
ML_TEST_SCORE_BANDS = [
    (Decimal(0), "Research project", "More of a research project than a productionized system."),
    (
        Decimal(1),
        "Serious holes",
        "Not totally untested, but serious reliability holes are likely.",
    ),
    (
        Decimal(2),
        "First pass",
        "A first pass at basic productionization; more investment is needed.",
    ),
    (
        Decimal(3),
        "Reasonably tested",
        "Reasonably tested, but more of those tests could be automated.",
    ),
    (
        Decimal(5),
        "Strong",
        "Strong automated testing and monitoring, fit for mission-critical systems.",
    ),
    (None, "Exceptional", "Exceptional levels of automated testing and monitoring."),
]


@dataclass(frozen=True)
class QuestionInput:
    key: str
    category_key: str
    weight: Decimal
    value: Decimal | None  # the team's level; None when unanswered or N/A
    not_applicable: bool = False
    critical: bool = False  # maturity v2: a control whose absence caps the level


@dataclass(frozen=True)
class CategoryInput:
    key: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class BankInput:
    method: str
    scale: Sequence[Decimal]
    categories: Sequence[CategoryInput]
    questions: Sequence[QuestionInput]
    method_version: int = 1
    gate_share: Decimal = DEFAULT_GATE_SHARE

    def with_values(self, values: dict[str, Decimal]) -> "BankInput":
        """The same answers with some questions raised: the basis of every what-if."""
        return replace(
            self,
            questions=[
                replace(q, value=values[q.key]) if q.key in values else q for q in self.questions
            ],
        )


@dataclass(frozen=True)
class CategoryScore:
    key: str
    name: str
    weight: Decimal
    score: Decimal | None  # 0–100, or None when every question is N/A
    points: Decimal | None  # ml-test-score: the section's points
    counted: int  # questions in the score
    total: int
    level: int | None = None
    level_name: str = ""
    weighted_sum: Decimal = Decimal(0)  # Σ weight × level ÷ top level, for the explanation
    weight_sum: Decimal = Decimal(0)

    @property
    def not_applicable(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class Gate:
    """What kept a level from being reached: too little weight at it, or critical questions
    more than one level below it (their keys)."""

    level: int
    share: Decimal  # of the applicable weight at `level` or above, 0–1
    share_needed: Decimal
    critical_below: tuple[str, ...] = ()

    @property
    def share_short(self) -> bool:
        return self.share < self.share_needed

    def as_data(self) -> dict:
        """As a stored result keeps it (JSON)."""
        return {
            "level": self.level,
            "share": str(self.share.quantize(Decimal("0.001"))),
            "share_needed": str(self.share_needed),
            "critical": list(self.critical_below),
        }


@dataclass(frozen=True)
class GatedLevel:
    level: int
    held_back_by: Gate | None  # None at the top of the scale
    questions_at: dict[int, int]  # level → applicable questions answered at it
    unanswered: int


@dataclass(frozen=True)
class ScoreCard:
    method: str
    categories: list[CategoryScore]
    overall: Decimal | None  # maturity: 0–100; ml-test-score: the final score (points)
    level: int | None
    level_name: str
    level_meaning: str
    counted: int
    total: int
    weakest: CategoryScore | None = None
    unanswered: int = 0
    category_weight_sum: Decimal = field(default=Decimal(0))
    gated: GatedLevel | None = None  # maturity v2: the level by gates (`level` is this level)
    method_version: int = 1
    gate_share: Decimal | None = None  # method 2's, else None

    def category(self, key: str) -> CategoryScore | None:
        return next((c for c in self.categories if c.key == key), None)


def adjusted_points(points: Decimal | None, counted: int, total: int) -> Decimal | None:
    """ML Test Score: a section's points as if its N/A tests had scored like the applicable ones
    (points × tests ÷ applicable tests; × 7 ÷ applicable for the paper's sections). The paper has
    no N/A; where a bank allows it, the raw and the adjusted score are both shown."""
    if points is None or not counted:
        return None
    return (points * total / counted).quantize(Decimal("0.01"))


def not_applicable_share(counted: int, total: int) -> Decimal:
    """The share of a category's questions answered N/A (`counted`: the applicable ones)."""
    return Decimal(total - counted) / total if total else Decimal(0)


def low_confidence(score: Decimal | None, counted: int, total: int) -> bool:
    """A category's score speaks for too few of its questions: most are N/A."""
    return score is not None and not_applicable_share(counted, total) > LOW_CONFIDENCE_NA_SHARE


def maturity_level(score: Decimal | None) -> tuple[int | None, str, str]:
    if score is None:
        return None, "", ""
    for bound, level, name, meaning in reversed(MATURITY_LEVELS):
        if score >= bound:
            return level, name, meaning
    raise AssertionError("scores are never negative")


def ml_test_score_band(final: Decimal | None) -> tuple[int | None, str, str]:
    if final is None:
        return None, "", ""
    for index, (upper, name, meaning) in enumerate(ML_TEST_SCORE_BANDS):
        if upper is None or final <= upper:
            return index, name, meaning
    raise AssertionError("the last band is open-ended")


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


def score(bank: BankInput) -> ScoreCard:
    if bank.method == ML_TEST_SCORE:
        return _score_ml_test_score(bank)
    return _score_maturity(bank)


def _unanswered(bank: BankInput) -> int:
    return sum(1 for q in bank.questions if q.value is None and not q.not_applicable)


def _value_or_lowest(question: QuestionInput, scale: Sequence[Decimal]) -> Decimal:
    return scale[0] if question.value is None else question.value


def gated_level(bank: BankInput) -> GatedLevel | None:
    """The highest level k whose gates hold, and those of every level below it (module doc);
    None when every question is N/A. Levels are the positions on the bank's scale."""
    applicable = [q for q in bank.questions if not q.not_applicable]
    total = sum((q.weight for q in applicable), Decimal(0))
    if not total:
        return None

    def at_or_above(question: QuestionInput, level: int) -> bool:
        return question.value is not None and question.value >= bank.scale[level]

    # A team's median may fall between two levels: it counts at the lower one.
    questions_at = dict.fromkeys(range(len(bank.scale)), 0)
    for question in applicable:
        if question.value is not None:
            questions_at[bisect_right(bank.scale, question.value) - 1] += 1
    unanswered = sum(1 for q in applicable if q.value is None)
    for level in range(1, len(bank.scale)):
        share = sum((q.weight for q in applicable if at_or_above(q, level)), Decimal(0)) / total
        critical_below = tuple(
            q.key for q in applicable if q.critical and not at_or_above(q, level - 1)
        )
        if share < bank.gate_share or critical_below:
            gate = Gate(level, share, bank.gate_share, critical_below)
            return GatedLevel(level - 1, gate, questions_at, unanswered)
    return GatedLevel(len(bank.scale) - 1, None, questions_at, unanswered)


def _score_maturity(bank: BankInput) -> ScoreCard:
    top = bank.scale[-1]
    categories = []
    for category in bank.categories:
        questions = [q for q in bank.questions if q.category_key == category.key]
        applicable = [q for q in questions if not q.not_applicable]
        weight_sum = sum((q.weight for q in applicable), Decimal(0))
        weighted = sum(
            (q.weight * _value_or_lowest(q, bank.scale) / top for q in applicable), Decimal(0)
        )
        value = _round(100 * weighted / weight_sum) if weight_sum else None
        level, level_name, _ = maturity_level(value)
        categories.append(
            CategoryScore(
                key=category.key,
                name=category.name,
                weight=category.weight,
                score=value,
                points=None,
                counted=len(applicable),
                total=len(questions),
                level=level,
                level_name=level_name,
                weighted_sum=weighted,
                weight_sum=weight_sum,
            )
        )
    scored = [c for c in categories if c.score is not None]
    category_weight_sum = sum((c.weight for c in scored), Decimal(0))
    overall = (
        _round(sum((c.weight * c.score for c in scored), Decimal(0)) / category_weight_sum)
        if scored
        else None
    )
    level, level_name, meaning = maturity_level(overall)
    gated = gated_level(bank) if bank.method_version >= 2 else None
    if gated is not None:
        _, level_name, meaning = MATURITY_LEVELS[gated.level][1:]
        level = gated.level
    return ScoreCard(
        method=MATURITY,
        categories=categories,
        overall=overall,
        level=level,
        level_name=level_name,
        level_meaning=meaning,
        counted=sum(c.counted for c in categories),
        total=len(bank.questions),
        weakest=min(scored, key=lambda c: (c.score, c.key)) if scored else None,
        unanswered=_unanswered(bank),
        category_weight_sum=category_weight_sum,
        gated=gated,
        method_version=bank.method_version,
        gate_share=bank.gate_share if bank.method_version >= 2 else None,
    )


def _score_ml_test_score(bank: BankInput) -> ScoreCard:
    top = bank.scale[-1]
    categories = []
    for category in bank.categories:
        questions = [q for q in bank.questions if q.category_key == category.key]
        applicable = [q for q in questions if not q.not_applicable]
        points = sum((_value_or_lowest(q, bank.scale) for q in applicable), Decimal(0))
        percent = _round(100 * points / (top * len(applicable))) if applicable else None
        categories.append(
            CategoryScore(
                key=category.key,
                name=category.name,
                weight=category.weight,
                score=percent,
                points=points if applicable else None,
                counted=len(applicable),
                total=len(questions),
            )
        )
    scored = [c for c in categories if c.points is not None]
    final = min(c.points for c in scored) if scored else None
    level, name, meaning = ml_test_score_band(final)
    return ScoreCard(
        method=ML_TEST_SCORE,
        categories=categories,
        overall=final,
        level=level,
        level_name=name,
        level_meaning=meaning,
        counted=sum(c.counted for c in categories),
        total=len(bank.questions),
        weakest=min(scored, key=lambda c: (c.points, c.key)) if scored else None,
        unanswered=_unanswered(bank),
    )
