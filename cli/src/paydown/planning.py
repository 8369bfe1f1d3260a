"""Pure planning: a scored assessment and the bank's advice in, an ordered remediation plan out.

Every question below its target level becomes one action: the bank's advice for the next step up.
How actions are weighed depends on the bank's method version.

Plan v1 (method version 1):

    priority = question weight × category weight × impact × gap × interest ÷ effort

where gap is the distance to the target as a share of the whole scale (0–1), impact is the bank's
1–3 for that step, effort costs S = 1, M = 2, L = 3, and interest = 1.25^(n − 1) for a gap that has
stayed open n consecutive assessments (n capped at 5), because debt left unpaid compounds.

Plan v2 (method version 2, issue #13):

    priority = expected gain × impact × interest ÷ person-weeks

where expected gain is the exact re-score of the overall 0–100 score with that one step taken (so
the plan agrees with the gain the results show, category weights included, and counts one step, not
the whole distance to the target), person-weeks is the step's stated effort (nominal S 1, M 3, L 8),
and interest = 1 + 0.5 × years the gap has been open below its target, capped at two years. Interest
runs on calendar age, so how often a team assesses does not change it. Targets come from the
project's risk tier, overridable per category; a critical question aims at least at the tier's
critical target.

In both versions a gap the team accepted as a risk leaves the plan until the acceptance expires
(`accepted_gaps` lists it instead). Actions are ordered by priority, except that an action never
comes before the actions of the questions the bank names as its prerequisites; equal priorities keep
the bank's order. The first five actions are *now*, the next ten *next*, the rest *later*, and an
action is always at least one bucket after its prerequisites. Each action's expected gain is an exact
re-score with that one step taken; the what-if view re-scores with any chosen set of steps.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from graphlib import CycleError, TopologicalSorter
from typing import Any

from paydown import scoring

EFFORT_COST = {"S": Decimal(1), "M": Decimal(2), "L": Decimal(3)}
INTEREST_RATE = Decimal("0.25")
MAX_STREAK = 5
# Plan v2: nominal person-weeks per effort size, as the version 2 bank states them.
EFFORT_WEEKS = {"S": Decimal(1), "M": Decimal(3), "L": Decimal(8)}
# Plan v2: simple interest on the calendar age of a gap, ×1.5 after a year and at most ×2. Simple and
# capped so that one neglected gap cannot outrank every cheaper, larger gain forever; by age, not by
# assessment count, so the cadence of assessments does not change a priority.
ANNUAL_INTEREST = Decimal("0.5")
MAX_INTEREST_DAYS = 730
BUCKETS = [("now", 5), ("next", 10), ("later", None)]


@dataclass(frozen=True)
class Step:
    to_value: Decimal
    advice: str
    effort: str
    impact: int
    effort_weeks: Decimal | None = None  # person-weeks stated in the bank; else EFFORT_WEEKS


@dataclass(frozen=True)
class PlanQuestion:
    key: str
    category_key: str
    text: str
    prerequisites: Sequence[str] = ()
    steps: dict[Decimal, Step] = field(default_factory=dict)
    critical: bool = False


@dataclass(frozen=True)
class Tier:
    key: str
    name: str
    description: str
    targets: dict[str, Decimal]  # category key → level
    critical_target: Decimal | None = None


@dataclass(frozen=True)
class AcceptedRisk:
    question_key: str
    by: str
    reason: str
    until: date


@dataclass(frozen=True)
class AcceptedGap:
    question_key: str
    category_key: str
    text: str
    from_value: Decimal
    target: Decimal
    risk: AcceptedRisk


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
    effort_weeks: Decimal | None = None
    age_days: int = 0  # days the gap has been open below its target
    method_version: int = 1

    @property
    def why(self) -> str:
        text = self._why_v2() if self.method_version >= 2 else self._why_v1()
        if self.after:
            text += "; comes after " + ", ".join(self.after)
        return text

    # The pieces of `why`, for a page that words it in its own language.
    @property
    def weeks(self) -> Decimal:
        return self.effort_weeks if self.effort_weeks is not None else EFFORT_WEEKS[self.effort]

    @property
    def signed_gain(self) -> str:
        return f"{self.overall_gain:+}"

    @property
    def effort_cost(self) -> Decimal:
        return EFFORT_COST[self.effort]

    def _why_v1(self) -> str:
        parts = [
            f"question weight {self.question_weight:g} × category weight {self.category_weight:g}",
            f"impact {self.impact}",
            f"gap {self.gap:.2f} of the scale (level {self.from_value:g} of target {self.target:g})",
        ]
        if self.streak > 1:
            parts.append(f"open {self.streak} assessments in a row (interest ×{self.interest:.2f})")
        parts.append(f"÷ effort {self.effort} ({EFFORT_COST[self.effort]:g})")
        return " × ".join(parts[:-1]) + " " + parts[-1] + f" = priority {self.priority:.2f}"

    def _why_v2(self) -> str:
        days = "1 day" if self.age_days == 1 else f"{self.age_days} days"
        weeks = self.weeks
        unit = "person-week" if weeks == 1 else "person-weeks"
        return (
            f"expected gain {self.overall_gain:+} points × impact {self.impact}"
            f" × interest ×{self.interest:.2f} (gap open {days})"
            f" ÷ {_plain(weeks)} {unit} ({self.effort}) = priority {self.priority:.2f}"
        )


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def tiers_from_data(data: list | None) -> list[Tier]:
    """The risk tiers of a bank file's `tiers` list, in the file's order."""
    return [
        Tier(
            key=item["key"],
            name=item["name"],
            description=item.get("description", ""),
            targets={k: _decimal(v) for k, v in (item.get("targets") or {}).items()},
            critical_target=(
                None if item.get("critical_target") is None else _decimal(item["critical_target"])
            ),
        )
        for item in data or []
    ]


def tier_targets(tier: Tier | None, overrides: dict[str, Decimal]) -> dict[str, Decimal]:
    """The tier's per-category targets with a manager's per-category overrides on top; without a
    tier, only the overrides (a category missing from both aims at the top level)."""
    return {**(tier.targets if tier else {}), **overrides}


def target_for(category_key: str, targets: dict[str, Decimal], scale: Sequence[Decimal]) -> Decimal:
    """The category's target level, snapped down onto the scale; the top level by default."""
    wanted = targets.get(category_key)
    if wanted is None:
        return scale[-1]
    return _snap(wanted, scale)


def question_target(
    category_key: str,
    critical: bool,
    targets: dict[str, Decimal],
    scale: Sequence[Decimal],
    critical_target: Decimal | None = None,
) -> Decimal:
    """The category's target; a critical question aims at least at the tier's critical target."""
    target = target_for(category_key, targets, scale)
    if critical and critical_target is not None:
        return max(target, _snap(critical_target, scale))
    return target


def _snap(wanted: Decimal, scale: Sequence[Decimal]) -> Decimal:
    return max((v for v in scale if v <= wanted), default=scale[0])


def interest_for(streak: int) -> Decimal:
    """Plan v1: compound interest per consecutive assessment the gap stayed open."""
    return (1 + INTEREST_RATE) ** (min(max(streak, 1), MAX_STREAK) - 1)


def interest_for_age(age_days: int) -> Decimal:
    """Plan v2: simple interest on the gap's calendar age, capped at MAX_INTEREST_DAYS; to 0.01,
    so that the numbers an action's explanation shows multiply to its priority."""
    days = min(max(age_days, 0), MAX_INTEREST_DAYS)
    return (1 + ANNUAL_INTEREST * days / 365).quantize(Decimal("0.01"))


def effort_weeks(step: Step) -> Decimal:
    """The step's person-weeks: as stated in the bank, else the nominal for its size."""
    # Bank files are not checked for a positive effort_weeks; zero must not divide a priority.
    if step.effort_weeks is not None and step.effort_weeks > 0:
        return step.effort_weeks
    return EFFORT_WEEKS[step.effort]


def plan(
    bank: scoring.BankInput,
    questions: Iterable[PlanQuestion],
    *,
    targets: dict[str, Decimal] | None = None,
    streaks: dict[str, int] | None = None,
    critical_target: Decimal | None = None,
    accepted: dict[str, AcceptedRisk] | None = None,
    gap_ages: dict[str, int] | None = None,
    as_of: date | None = None,
) -> list[Action]:
    """The ordered plan. `streaks` (consecutive assessments a gap stayed open) weigh plan v1 only,
    `gap_ages` (days open below target as of `as_of`) plan v2 only; a gap accepted as a risk until
    `as_of` or later gets no action in either. `as_of` defaults to today."""
    streaks = streaks or {}
    gap_ages = gap_ages or {}
    as_of = as_of or date.today()
    v2 = bank.method_version >= 2
    scale = list(bank.scale)
    span = scale[-1] - scale[0]
    category_weights = {c.key: c.weight for c in bank.categories}
    baseline = scoring.score(bank)

    plan_questions = {q.key: q for q in questions}
    order = {key: index for index, key in enumerate(plan_questions)}
    candidates: list[Action] = []
    for question, scored, current, target in _gaps(
        bank, plan_questions.values(), targets or {}, critical_target
    ):
        if _valid_risk(accepted, question.key, as_of) is not None:
            continue
        next_value = scale[scale.index(current) + 1]
        step = question.steps.get(next_value)
        if step is None:
            continue
        raised = scoring.score(bank.with_values({question.key: next_value}))
        overall_gain = _overall_gain(raised, baseline)
        streak = max(1, streaks.get(question.key, 1))
        age_days = max(0, gap_ages.get(question.key, 0))
        weeks = effort_weeks(step)
        gap = (target - current) / span
        weight = scored.weight
        category_weight = category_weights[question.category_key]
        if v2:
            interest = interest_for_age(age_days)
            priority = overall_gain * step.impact * interest / weeks
        else:
            interest = interest_for(streak)
            priority = (
                weight * category_weight * step.impact * gap * interest / EFFORT_COST[step.effort]
            )
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
                priority=priority.quantize(Decimal("0.01")),
                category_gain=_gain(raised, baseline, question.category_key),
                overall_gain=overall_gain,
                question_weight=weight,
                category_weight=category_weight,
                effort_weeks=weeks,
                age_days=age_days,
                method_version=bank.method_version,
            )
        )
    return _order(candidates, plan_questions, order)


def accepted_gaps(
    bank: scoring.BankInput,
    questions: Iterable[PlanQuestion],
    *,
    targets: dict[str, Decimal],
    accepted: dict[str, AcceptedRisk],
    as_of: date,
    critical_target: Decimal | None = None,
) -> list[AcceptedGap]:
    """The gaps below target left out of the plan because their accepted risk holds on `as_of`,
    in the bank's order. An expired acceptance is not listed: its gap is back in the plan."""
    return [
        AcceptedGap(
            question_key=question.key,
            category_key=question.category_key,
            text=question.text,
            from_value=current,
            target=target,
            risk=risk,
        )
        for question, _, current, target in _gaps(bank, questions, targets, critical_target)
        if (risk := _valid_risk(accepted, question.key, as_of)) is not None
    ]


def _gaps(
    bank: scoring.BankInput,
    questions: Iterable[PlanQuestion],
    targets: dict[str, Decimal],
    critical_target: Decimal | None,
) -> Iterator[tuple[PlanQuestion, scoring.QuestionInput, Decimal, Decimal]]:
    """Each applicable question below its target, with its level (unanswered: the lowest) and
    target."""
    inputs = {q.key: q for q in bank.questions}
    for question in questions:
        scored = inputs.get(question.key)
        if scored is None or scored.not_applicable:
            continue
        current = bank.scale[0] if scored.value is None else scored.value
        target = question_target(
            question.category_key, question.critical, targets, bank.scale, critical_target
        )
        if current < target:
            yield question, scored, current, target


def _valid_risk(
    accepted: dict[str, AcceptedRisk] | None, question_key: str, as_of: date
) -> AcceptedRisk | None:
    risk = (accepted or {}).get(question_key)
    return risk if risk is not None and risk.until >= as_of else None


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
