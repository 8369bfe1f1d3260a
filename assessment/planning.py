"""Pure planning: a scored assessment and the bank's advice in, an ordered remediation plan out.

Every question below its target level becomes one action: the bank's advice for the next step up.
Its priority is

    priority = question weight × category weight × impact × gap × interest ÷ effort

where gap is the distance to the target as a share of the whole scale (0–1), impact is the bank's
1–3 for that step, effort costs S = 1, M = 2, L = 3, and interest = 1.25^(n − 1) for a gap that has
stayed open n consecutive assessments (n capped at 5), because debt left unpaid compounds.

Actions are ordered by priority, except that an action never comes before the actions of the
questions the bank names as its prerequisites; equal priorities keep the bank's order. The first
five actions are *now*, the next ten *next*, the rest *later*, and an action is always at least one
bucket after its prerequisites. Each action's expected gain is an exact re-score with that one step
taken; the what-if view re-scores with any chosen set of steps.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from graphlib import CycleError, TopologicalSorter

from assessment import scoring

EFFORT_COST = {"S": Decimal(1), "M": Decimal(2), "L": Decimal(3)}
INTEREST_RATE = Decimal("0.25")
MAX_STREAK = 5
BUCKETS = [("now", 5), ("next", 10), ("later", None)]


@dataclass(frozen=True)
class Step:
    to_value: Decimal
    advice: str
    effort: str
    impact: int


@dataclass(frozen=True)
class PlanQuestion:
    key: str
    category_key: str
    text: str
    prerequisites: Sequence[str] = ()
    steps: dict[Decimal, Step] = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    question_key: str
    category_key: str
    text: str
    from_value: Decimal
    to_value: Decimal
    target: Decimal
    advice: str
    effort: str
    impact: int
    gap: Decimal
    streak: int
    interest: Decimal
    priority: Decimal
    category_gain: Decimal
    overall_gain: Decimal
    question_weight: Decimal = Decimal(1)
    category_weight: Decimal = Decimal(1)
    after: tuple[str, ...] = ()  # prerequisite questions that also have actions in this plan
    bucket: str = "later"
    rank: int = 0

    @property
    def why(self) -> str:
        parts = [
            f"question weight {self.question_weight:g} × category weight {self.category_weight:g}",
            f"impact {self.impact}",
            f"gap {self.gap:.2f} of the scale (level {self.from_value:g} of target {self.target:g})",
        ]
        if self.streak > 1:
            parts.append(f"open {self.streak} assessments in a row (interest ×{self.interest:.2f})")
        parts.append(f"÷ effort {self.effort} ({EFFORT_COST[self.effort]:g})")
        text = " × ".join(parts[:-1]) + " " + parts[-1] + f" = priority {self.priority:.2f}"
        if self.after:
            text += "; comes after " + ", ".join(self.after)
        return text


def target_for(category_key: str, targets: dict[str, Decimal], scale: Sequence[Decimal]) -> Decimal:
    """The category's target level, snapped down onto the scale; the top level by default."""
    wanted = targets.get(category_key)
    if wanted is None:
        return scale[-1]
    return max((v for v in scale if v <= wanted), default=scale[0])


def interest_for(streak: int) -> Decimal:
    return (1 + INTEREST_RATE) ** (min(max(streak, 1), MAX_STREAK) - 1)


def plan(
    bank: scoring.BankInput,
    questions: Iterable[PlanQuestion],
    *,
    targets: dict[str, Decimal] | None = None,
    streaks: dict[str, int] | None = None,
) -> list[Action]:
    targets = targets or {}
    streaks = streaks or {}
    scale = list(bank.scale)
    span = scale[-1] - scale[0]
    inputs = {q.key: q for q in bank.questions}
    category_weights = {c.key: c.weight for c in bank.categories}
    baseline = scoring.score(bank)

    candidates: list[Action] = []
    order: dict[str, int] = {}
    plan_questions = {q.key: q for q in questions}
    for index, question in enumerate(plan_questions.values()):
        order[question.key] = index
        scored = inputs.get(question.key)
        if scored is None or scored.not_applicable:
            continue
        current = scale[0] if scored.value is None else scored.value
        target = target_for(question.category_key, targets, scale)
        if current >= target:
            continue
        next_value = scale[scale.index(current) + 1]
        step = question.steps.get(next_value)
        if step is None:
            continue
        streak = max(1, streaks.get(question.key, 1))
        interest = interest_for(streak)
        gap = (target - current) / span
        weight = scored.weight
        category_weight = category_weights[question.category_key]
        priority = (
            weight * category_weight * step.impact * gap * interest / EFFORT_COST[step.effort]
        ).quantize(Decimal("0.01"))
        raised = scoring.score(bank.with_values({question.key: next_value}))
        candidates.append(
            Action(
                question_key=question.key,
                category_key=question.category_key,
                text=question.text,
                from_value=current,
                to_value=next_value,
                target=target,
                advice=step.advice,
                effort=step.effort,
                impact=step.impact,
                gap=gap,
                streak=streak,
                interest=interest,
                priority=priority,
                category_gain=_gain(raised, baseline, question.category_key),
                overall_gain=_overall_gain(raised, baseline),
                question_weight=weight,
                category_weight=category_weight,
            )
        )
    return _order(candidates, plan_questions, order)


def _gain(after: scoring.ScoreCard, before: scoring.ScoreCard, category_key: str) -> Decimal:
    new, old = after.category(category_key), before.category(category_key)
    if new is None or old is None or new.score is None or old.score is None:
        return Decimal(0)
    if after.method == scoring.ML_TEST_SCORE:
        return new.points - old.points
    return new.score - old.score


def _overall_gain(after: scoring.ScoreCard, before: scoring.ScoreCard) -> Decimal:
    if after.overall is None or before.overall is None:
        return Decimal(0)
    return after.overall - before.overall


def _order(
    candidates: list[Action], questions: dict[str, PlanQuestion], order: dict[str, int]
) -> list[Action]:
    """Highest priority first among the actions whose prerequisites are placed; bank order on ties."""
    by_key = {a.question_key: a for a in candidates}
    waiting_on = {
        key: tuple(p for p in questions[key].prerequisites if p in by_key and p != key)
        for key in by_key
    }
    sorter = TopologicalSorter(waiting_on)
    try:
        sorter.prepare()
    except CycleError:  # publishing refuses cycles; should one slip through, priority alone rules
        waiting_on = dict.fromkeys(by_key, ())
        sorter = TopologicalSorter(waiting_on)
        sorter.prepare()
    placed: list[Action] = []
    bucket_of: dict[str, int] = {}
    ready = set(sorter.get_ready())
    while ready:
        key = min(ready, key=lambda k: (-by_key[k].priority, order[k]))
        ready.remove(key)
        position_bucket = _bucket_index(len(placed))
        after_prerequisites = max((bucket_of[p] + 1 for p in waiting_on[key]), default=0)
        bucket_of[key] = min(max(position_bucket, after_prerequisites), len(BUCKETS) - 1)
        placed.append(
            replace(
                by_key[key],
                after=waiting_on[key],
                bucket=BUCKETS[bucket_of[key]][0],
                rank=len(placed) + 1,
            )
        )
        sorter.done(key)
        ready.update(sorter.get_ready())
    return placed


def _bucket_index(position: int) -> int:
    start = 0
    for index, (_, size) in enumerate(BUCKETS):
        if size is None or position < start + size:
            return index
        start += size
    return len(BUCKETS) - 1


def what_if(bank: scoring.BankInput, actions: Iterable[Action]) -> scoring.ScoreCard:
    """The score card if the given steps were taken (each raises its question one level)."""
    return scoring.score(bank.with_values({a.question_key: a.to_value for a in actions}))
