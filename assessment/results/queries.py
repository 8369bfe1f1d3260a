"""Reads for the results, plan and history pages: stored results turned back into plain data."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Case, F, Prefetch, Q, Value, When
from django.utils import timezone
from paydown import mlops_levels, planning, scoring

from assessment import freshness
from assessment import queries as team_queries
from assessment.models import (
    Assessment,
    AssessmentResult,
    CategoryResult,
    QuestionResult,
    TrackedAction,
)
from assessment.results import cache as result_cache
from assessment.roles import Comparison as RoleComparison
from banks.localize import Texts
from banks.models import BankVersion, Question
from banks.queries import scale_of
from projects.models import AcceptedRisk, Project


def load_result(assessment: Assessment, *, answers: bool = False) -> AssessmentResult:
    """The stored result with its categories and questions (three queries), and with `answers`
    its answer snapshots (a fourth), for exports and reports. Submitting stores the result in the
    same transaction, so every submitted assessment has one. Its rows come from the cache once
    read (results/cache.py): then the result row is the only query."""
    result = AssessmentResult.objects.select_related("version__bank").get(assessment=assessment)
    result_cache.prefetch_rows(
        result, ["categories", "questions", *(["answers"] if answers else [])]
    )
    return result


def localized(result: AssessmentResult) -> Texts:
    """The stored result's category names and question texts in the page's language (they were
    stored in the bank's English at submit); returns the version's texts for the rest."""
    texts = Texts(result.version)
    if texts.active:
        for category in result.categories.all():
            category.name = texts.category_name(category.key, category.name)
        for question in result.questions.all():
            question.text = texts.question_text(question.question_key, question.text)
    return texts


def bank_input(result: AssessmentResult) -> scoring.BankInput:
    """The scoring input exactly as it was stored at submit."""
    return scoring.BankInput(
        method=result.method,
        scale=scale_of(result.version),
        categories=[
            scoring.CategoryInput(c.key, c.name, c.weight) for c in result.categories.all()
        ],
        questions=[
            scoring.QuestionInput(
                q.question_key,
                q.category_key,
                q.weight,
                q.value,
                q.not_applicable,
                q.critical,
            )
            for q in result.questions.all()
        ],
        method_version=result.method_version,
        gate_share=result.gate_share or scoring.DEFAULT_GATE_SHARE,
    )


def previous_result(assessment: Assessment) -> AssessmentResult | None:
    """The project's submitted assessment on the same bank (any version) before this one, with its
    categories: a result is never compared with another bank's."""
    return (
        AssessmentResult.objects.filter(
            assessment__project_id=assessment.project_id,
            assessment__submitted_at__lt=assessment.submitted_at,
            version__bank_id=assessment.version.bank_id,
        )
        .select_related("assessment", "version")
        .prefetch_related("categories")
        .order_by("-assessment__submitted_at")
        .first()
    )


@dataclass(frozen=True)
class AgreedTargets:
    """A project's targets on one bank version: its risk tier's, with the manager's per-category
    overrides on top (docs/plans.md). A version without tiers (version 1) has only the overrides,
    and a category without a target aims at the top level."""

    tier: planning.Tier | None
    by_category: dict[str, Decimal]
    tiers_offered: bool = False  # the version has tiers, though the project may have none set

    @property
    def critical(self) -> Decimal | None:
        return self.tier.critical_target if self.tier else None

    def for_question(self, category_key: str, critical: bool, scale: list[Decimal]) -> Decimal:
        return planning.question_target(
            category_key, critical, self.by_category, scale, self.critical
        )


def agreed_targets(project: Project, version: BankVersion) -> AgreedTargets:
    tiers = planning.tiers_from_data(version.tiers)
    tier = next((t for t in tiers if t.key == project.risk_tier), None)
    overrides = {key: Decimal(str(value)) for key, value in (project.targets or {}).items()}
    return AgreedTargets(tier, planning.tier_targets(tier, overrides), tiers_offered=bool(tiers))


@dataclass
class CategoryRow:
    result: CategoryResult
    target: Decimal  # as a 0–100 score
    previous: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.result.score is None or self.previous is None:
            return None
        return self.result.score - self.previous

    @property
    def adjusted_points(self) -> Decimal | None:
        return scoring.adjusted_points(self.result.points, self.result.counted, self.result.total)

    @property
    def not_applicable_percent(self) -> Decimal:
        share = scoring.not_applicable_share(self.result.counted, self.result.total)
        return (100 * share).quantize(Decimal("1"))

    @property
    def low_confidence(self) -> bool:
        return scoring.low_confidence(self.result.score, self.result.counted, self.result.total)


@dataclass
class TrackedCheck:
    """A tracked action from an earlier plan on the same bank, checked against this result."""

    action: TrackedAction
    asked: bool  # the question is in this assessment (matched by key)
    value_now: Decimal | None

    @property
    def improved(self) -> bool:
        if not self.asked or self.value_now is None:
            return False
        return self.action.from_value is None or self.value_now > self.action.from_value

    @property
    def done_but_not_improved(self) -> bool:
        return self.asked and self.action.status == TrackedAction.Status.DONE and not self.improved


@dataclass(frozen=True)
class HeldBack:
    """Method 2: what kept the result from the next level (docs/scoring.md), in percent and
    with the critical questions as they were scored."""

    level: int
    share: Decimal  # % of the applicable weight at `level` or above
    share_needed: Decimal
    critical: list[QuestionResult]

    @property
    def share_short(self) -> bool:
        return self.share < self.share_needed

    @classmethod
    def of(cls, result: AssessmentResult, by_key: dict[str, QuestionResult]) -> "HeldBack | None":
        gate = result.held_back_by
        if not gate:
            return None
        return cls(
            level=gate["level"],
            share=(100 * Decimal(gate["share"])).quantize(Decimal("0.1")),
            share_needed=(100 * Decimal(gate["share_needed"])).quantize(Decimal("1")),
            critical=[by_key[key] for key in gate["critical"] if key in by_key],
        )


@dataclass(frozen=True)
class QuestionEvidence:
    """One question's evidence as stored at submit, judged at a date: its pieces, how many of
    them are stale, and the oldest confirmation among those."""

    total: int
    stale: int
    oldest_stale: datetime | None


@dataclass(frozen=True)
class EvidenceFreshness:
    """A result's evidence judged at `as_of` (issue #15): stale once confirmed longer ago than
    its question's limit. One piece per snapshot item, as the dashboard counts Evidence rows."""

    as_of: datetime
    by_question: dict[str, QuestionEvidence]

    @property
    def total(self) -> int:
        return sum(q.total for q in self.by_question.values())

    @property
    def stale(self) -> int:
        return sum(q.stale for q in self.by_question.values())


def evidence_freshness(result: AssessmentResult, as_of: datetime) -> EvidenceFreshness:
    """From the result's answer snapshots: the prefetched ones when the caller loaded them (the
    report), else one query."""
    items: dict[str, list[dict]] = defaultdict(list)
    if "answers" in getattr(result, "_prefetched_objects_cache", {}):
        pairs = [(s.question_key, s.evidence) for s in result.answers.all()]
    else:  # the two columns only: the rest of a snapshot grows with the team's notes
        pairs = result.answers.values_list("question_key", "evidence")
    for key, evidence in pairs:
        items[key].extend(evidence)
    by_question = {}
    for key, pieces in items.items():
        stale = [item for item in pieces if freshness.item_is_stale(item, as_of)]
        oldest = min((datetime.fromisoformat(item["confirmed_at"]) for item in stale), default=None)
        by_question[key] = QuestionEvidence(
            total=len(pieces), stale=len(stale), oldest_stale=oldest
        )
    return EvidenceFreshness(as_of=as_of, by_question=by_question)


@dataclass(frozen=True)
class StaleQuestion:
    question: QuestionResult
    evidence: QuestionEvidence


@dataclass
class ResultPage:
    result: AssessmentResult
    previous: AssessmentResult | None
    categories: list[CategoryRow]
    weakest_questions: list[QuestionResult]
    settled: list[QuestionResult]
    marked: list[QuestionResult] = field(default_factory=list)  # submitted with open items
    dont_know: list[QuestionResult] = field(default_factory=list)  # someone said "don't know"
    tracked: list[TrackedCheck] = field(default_factory=list)
    held_back: HeldBack | None = None
    accepted: list[planning.AcceptedGap] = field(default_factory=list)
    mlops: list[mlops_levels.Standing] = field(default_factory=list)
    evidence: EvidenceFreshness | None = None
    stale_questions: list[StaleQuestion] = field(default_factory=list)  # in the bank's order
    roles: RoleComparison | None = None  # the respondents' roles side by side (issue #17)

    @property
    def weakest(self) -> CategoryResult | None:
        scored = [row.result for row in self.categories if row.result.score is not None]
        if self.result.method == scoring.ML_TEST_SCORE:
            return min(scored, key=lambda c: (c.points, c.key), default=None)
        return min(scored, key=lambda c: (c.score, c.key), default=None)

    @property
    def mean_band(self) -> tuple[int, str] | None:
        """Method 2: the level the mean alone would read (method 1's band), when the gates give
        a lower one; None otherwise."""
        result = self.result
        if result.method_version < 2 or result.method != scoring.MATURITY:
            return None
        level, name, _ = scoring.maturity_level(result.overall)
        if level is None or result.level is None or level <= result.level:
            return None
        return level, name

    @property
    def adjusted_final(self) -> Decimal | None:
        """ML Test Score with N/A tests: the minimum of the sections' adjusted points, or None
        when no test is N/A (raw and adjusted are then the same)."""
        rows = [row for row in self.categories if row.result.points is not None]
        if self.result.method != scoring.ML_TEST_SCORE or all(
            row.result.counted == row.result.total for row in rows
        ):
            return None
        return min(row.adjusted_points for row in rows)

    @property
    def overall_delta(self) -> Decimal | None:
        if self.previous is None or self.previous.overall is None or self.result.overall is None:
            return None
        if self.previous.method != self.result.method:
            return None
        return self.result.overall - self.previous.overall


def result_page(
    assessment: Assessment,
    result: AssessmentResult | None = None,
    *,
    as_of: datetime | None = None,
) -> ResultPage:
    """The results page's data; its evidence judged stale or not as of `as_of` (default now)."""
    result = result or load_result(assessment)
    previous = previous_result(assessment)
    previous_scores = {c.key: c.score for c in previous.categories.all()} if previous else {}
    scale = scale_of(result.version)
    span = scale[-1] - scale[0]
    targets = agreed_targets(assessment.project, result.version)
    categories = [
        CategoryRow(
            result=c,
            target=(
                100 * (planning.target_for(c.key, targets.by_category, scale) - scale[0]) / span
            ).quantize(Decimal("0.1")),
            previous=previous_scores.get(c.key),
        )
        for c in result.categories.all()
    ]
    texts = localized(result)
    questions = list(result.questions.all())
    answered = [q for q in questions if not q.not_applicable]
    weakest = sorted(
        answered, key=lambda q: ((q.value or scale[0]) - scale[0], -q.weight, q.order)
    )[:5]
    by_key = {q.question_key: q for q in questions}
    evidence = evidence_freshness(result, as_of or timezone.now())
    stale_questions = [
        StaleQuestion(q, judged)
        for q in questions
        if (judged := evidence.by_question.get(q.question_key)) and judged.stale
    ]
    tracked = [
        TrackedCheck(
            action,
            asked=(now := by_key.get(action.question_key)) is not None,
            value_now=now.value if now else None,
        )
        for action in TrackedAction.objects.filter(
            project_id=assessment.project_id,
            source__submitted_at__lt=assessment.submitted_at,
            source__version__bank_id=result.version.bank_id,
        ).select_related("owner", "source")
    ]
    return ResultPage(
        result=result,
        previous=previous,
        categories=categories,
        roles=team_queries.role_comparison(
            assessment, [(row.result.key, row.result.name) for row in categories]
        ),
        weakest_questions=weakest,
        settled=[q for q in questions if q.settled],
        marked=[q for q in questions if q.carried_unconfirmed or q.unsettled],
        dont_know=[q for q in questions if q.dont_know],
        tracked=tracked,
        held_back=HeldBack.of(result, by_key),
        accepted=accepted_gaps(assessment, result, targets),
        mlops=mlops_levels.standings(
            mlops_levels.frameworks_from_data(texts.mlops_levels(result.version.mlops_levels)),
            {
                q.question_key: mlops_levels.Answered(q.value, q.not_applicable)
                for q in questions
                if not q.unanswered
            },
        ),
        evidence=evidence,
        stale_questions=stale_questions,
    )


def accepted_gaps(
    assessment: Assessment, result: AssessmentResult, targets: AgreedTargets
) -> list[planning.AcceptedGap]:
    """The gaps of this result the team has accepted as risks, as of today."""
    accepted = accepted_risks(assessment.project)
    if not accepted:
        return []
    questions = [
        planning.PlanQuestion(q.question_key, q.category_key, q.text, critical=q.critical)
        for q in result.questions.all()
    ]
    return planning.accepted_gaps(
        bank_input(result),
        questions,
        targets=targets.by_category,
        critical_target=targets.critical,
        accepted=accepted,
        as_of=timezone.localdate(),
    )


@dataclass(frozen=True)
class GapHistory:
    """Per question key: how many consecutive submitted assessments, up to this one, left it below
    its target (plan v1's interest), and for how many days (plan v2's), from the first of them to
    this one's submit."""

    streaks: dict[str, int]
    ages: dict[str, int]


def gap_history(
    assessment: Assessment, result: AssessmentResult, targets: AgreedTargets
) -> GapHistory:
    """One query for all earlier results of the project on the same bank, matched by key: a
    question that started a new series in a later bank version has no earlier rows."""
    scale = scale_of(result.version)
    history: dict[int, dict[str, tuple[Decimal | None, bool, str, bool]]] = defaultdict(dict)
    submitted: dict[int, datetime] = {}
    rows = (
        QuestionResult.objects.filter(
            result__assessment__project_id=assessment.project_id,
            result__assessment__submitted_at__lte=assessment.submitted_at,
            result__version__bank_id=result.version.bank_id,
        )
        .order_by("-result__assessment__submitted_at", "result_id")
        .values_list(
            "result_id",
            "result__assessment__submitted_at",
            "question_key",
            "value",
            "not_applicable",
            "category_key",
            "critical",
        )
    )
    for result_id, submitted_at, key, value, na, category_key, critical in rows:
        submitted.setdefault(result_id, submitted_at)
        history[result_id][key] = (value, na, category_key, critical)
    streaks: dict[str, int] = {}
    ages: dict[str, int] = {}
    for q in result.questions.all():
        target = targets.for_question(q.category_key, q.critical, scale)
        streak, since = 0, assessment.submitted_at
        for result_id, submitted_at in submitted.items():
            value, na, _, _ = history[result_id].get(q.question_key, (None, True, "", False))
            if na or (value if value is not None else scale[0]) >= target:
                break
            streak, since = streak + 1, submitted_at
        streaks[q.question_key] = max(streak, 1)
        ages[q.question_key] = (assessment.submitted_at - since).days
    return GapHistory(streaks, ages)


def accepted_risks(project: Project) -> dict[str, planning.AcceptedRisk]:
    return {
        risk.question_key: planning.AcceptedRisk(
            risk.question_key, risk.accepted_by.get_username(), risk.reason, risk.until
        )
        for risk in AcceptedRisk.objects.filter(project=project).select_related("accepted_by")
    }


@dataclass
class PlanPage:
    bank: scoring.BankInput
    baseline: scoring.ScoreCard
    actions: list[planning.Action]
    accepted: list[planning.AcceptedGap] = field(default_factory=list)
    targets: AgreedTargets | None = None

    def by_bucket(self) -> list[tuple[str, list[planning.Action]]]:
        return [
            (bucket, [a for a in self.actions if a.bucket == bucket])
            for bucket, _ in planning.BUCKETS
        ]


def plan_page(
    assessment: Assessment, result: AssessmentResult | None = None, *, as_of: date | None = None
) -> PlanPage:
    """The plan as of `as_of` (default today): an accepted risk holds until its end date."""
    result = result or load_result(assessment)
    texts = localized(result)
    bank = bank_input(result)
    targets = agreed_targets(assessment.project, result.version)
    questions = texts.questions(
        list(
            Question.objects.filter(version_id=result.version_id)
            .select_related("category")
            .prefetch_related(Prefetch("remediations"))
            .order_by("category__order", "order", "pk")
        )
    )
    plan_questions = [
        planning.PlanQuestion(
            key=q.key,
            category_key=q.category.key,
            text=q.text,
            prerequisites=tuple(q.prerequisites),
            steps={
                s.to_value: planning.Step(s.to_value, s.advice, s.effort, s.impact, s.effort_weeks)
                for s in q.remediations.all()
            },
            critical=q.critical,
        )
        for q in questions
    ]
    as_of = as_of or timezone.localdate()
    accepted = accepted_risks(assessment.project)
    gaps = gap_history(assessment, result, targets)
    actions = planning.plan(
        bank,
        plan_questions,
        targets=targets.by_category,
        critical_target=targets.critical,
        streaks=gaps.streaks,
        gap_ages=gaps.ages,
        accepted=accepted,
        as_of=as_of,
    )
    return PlanPage(
        bank=bank,
        baseline=scoring.score(bank),
        actions=actions,
        accepted=planning.accepted_gaps(
            bank,
            plan_questions,
            targets=targets.by_category,
            critical_target=targets.critical,
            accepted=accepted,
            as_of=as_of,
        ),
        targets=targets,
    )


def plan_action(assessment: Assessment, question_key: str) -> planning.Action | None:
    """The plan's action for a question, or None when the plan has none for it."""
    actions = plan_page(assessment).actions
    return next((a for a in actions if a.question_key == question_key), None)


def tracked_keys(assessment: Assessment) -> set[str]:
    """The plan's questions already in the project's backlog: taken from this plan, or still
    open there from an earlier one (a second item for the same gap would be a duplicate)."""
    return set(
        TrackedAction.objects.filter(
            Q(source=assessment) | Q(status__in=TrackedAction.OPEN_STATUSES),
            project_id=assessment.project_id,
        ).values_list("question_key", flat=True)
    )


# The backlog reads as work to do: open first, then in progress, done, won't do.
STATUS_ORDER = Case(
    *(When(status=status, then=Value(i)) for i, status in enumerate(TrackedAction.Status.values))
)


def backlog_actions(project: Project) -> list[TrackedAction]:
    """By status as work goes, then by due date, undated last on every database."""
    return list(
        project.actions.select_related("owner", "source").order_by(
            STATUS_ORDER, F("due").asc(nulls_last=True), "pk"
        )
    )


def project_history(project: Project) -> list[AssessmentResult]:
    """Every submitted assessment's result, oldest first, with its categories: two queries."""
    return list(
        AssessmentResult.objects.filter(assessment__project=project)
        .select_related("assessment", "version__bank")
        .prefetch_related("categories")
        .order_by("assessment__submitted_at")
    )


@dataclass
class HistoryPage:
    banks: list[tuple[str, str]]  # (slug, name) of every bank the project was assessed on
    bank: str  # the one shown: trends and deltas never mix banks
    dates: list[str]
    series: dict[str, list[Decimal | None]]  # "Overall" first, then each category by name
    rows: list[tuple[AssessmentResult, Decimal | None, list[Decimal | None]]]  # result, Δ, cells


def history_page(project: Project, overall_label: str, bank: str = "") -> HistoryPage:
    """The trend of one bank's submitted assessments (the latest one's bank unless asked);
    categories matched by name across the bank's versions."""
    everything = project_history(project)
    banks = list(dict.fromkeys((r.version.bank.slug, r.version.bank.name) for r in everything))
    known = [slug for slug, _ in banks]
    shown = bank if bank in known else (everything[-1].version.bank.slug if everything else "")
    results = [r for r in everything if r.version.bank.slug == shown]
    names = list(dict.fromkeys(c.name for r in results for c in r.categories.all()))
    by_name = [{c.name: c.score for c in r.categories.all()} for r in results]
    series = {overall_label: [r.overall if r.method == scoring.MATURITY else None for r in results]}
    series.update({name: [scores.get(name) for scores in by_name] for name in names})
    rows = []
    for index, result in enumerate(results):
        previous = results[index - 1] if index else None
        comparable = previous is not None and previous.method == result.method
        delta = (
            result.overall - previous.overall
            if comparable and result.overall is not None and previous.overall is not None
            else None
        )
        # Levels mean something else from a change of method on (the mean is computed alike).
        result.method_changed = previous is not None and (
            previous.method_version != result.method_version
        )
        rows.append((result, delta, [by_name[index].get(name) for name in names]))
    dates = [r.assessment.submitted_at.date().isoformat() for r in results]
    return HistoryPage(banks=banks, bank=shown, dates=dates, series=series, rows=rows)


@dataclass(frozen=True)
class ComparedQuestion:
    key: str
    text: str
    first: QuestionResult | None
    second: QuestionResult | None

    @property
    def delta(self) -> Decimal | None:
        if not self.first or not self.second:
            return None
        if self.first.not_applicable or self.second.not_applicable:
            return None
        return (self.second.value or 0) - (self.first.value or 0)


def compared_questions(first: AssessmentResult, second: AssessmentResult) -> list[ComparedQuestion]:
    """Question by question, matched by key so comparisons work across bank versions."""
    a = {q.question_key: q for q in first.questions.all()}
    b = {q.question_key: q for q in second.questions.all()}
    return [
        ComparedQuestion(key, (b.get(key) or a[key]).text, a.get(key), b.get(key))
        for key in dict.fromkeys([*a, *b])
    ]


def comparison(project: Project, first_id: str, second_id: str) -> dict:
    """Two of the project's submitted assessments side by side; unknown ids choose nothing."""
    history = project_history(project)
    by_id = {str(r.assessment_id): r for r in history}
    first, second = by_id.get(first_id), by_id.get(second_id)
    rows = []
    same_bank = bool(first and second and first.version.bank_id == second.version.bank_id)
    if same_bank:
        rows = compared_questions(load_result(first.assessment), load_result(second.assessment))
    return {
        "history": history,
        "first": first,
        "second": second,
        "same_bank": same_bank,
        "rows": rows,
    }
