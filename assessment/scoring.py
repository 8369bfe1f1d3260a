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
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

MATURITY = "maturity"
ML_TEST_SCORE = "ml-test-score"

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

    def category(self, key: str) -> CategoryScore | None:
        return next((c for c in self.categories if c.key == key), None)


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
