"""Reads for the portfolio dashboard: filters, sorting, search and pagination computed by the
database on each visible project's latest result (the rows a submit keeps), and percentiles read
from score histograms, so a page costs the same queries, and moves the same rows to Python, for
ten projects or ten thousand."""

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Count,
    F,
    FilteredRelation,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Collate, Lower
from django.utils import formats, timezone, translation
from paydown import scoring
from paydown.bankfile import translations as table_of

from assessment import freshness
from assessment.models import (
    AssessmentResult,
    CategoryResult,
    Evidence,
    LatestResult,
    TeamGapCount,
    TeamScoreCount,
)
from banks.localize import Texts
from banks.models import BankVersion, Category, Question, QuestionBank, Remediation
from banks.queries import DEFAULT_BANK
from projects.models import Project, Team

SORT_COLUMNS = ("name", "team", "last", "overall")
PAGE_SIZE = 50
HEATMAP_ROWS = 50
# The lowest-scoring projects named above the heatmap, so a manager sees where to look first.
WEAKEST_SHOWN = 3
SEARCH_MAX_LENGTH = 100
# Exports fetch the rows in chunks of this many, so their memory does not grow with the portfolio.
EXPORT_CHUNK = 500


@dataclass(frozen=True)
class Filters:
    bank: str = DEFAULT_BANK
    team: str = ""
    min_score: Decimal | None = None
    max_score: Decimal | None = None
    level: int | None = None
    staleness: str = ""  # "", "stale", "fresh" or "never"
    sort: str = "overall"  # a column, "-column" for descending
    compare: tuple[str, ...] = ()
    page: int = 1
    stale_days: int = 90
    search: str = ""  # part of a project's name, any case

    def to_dict(self) -> dict:
        """JSON-safe, for a report job's parameters."""
        data = asdict(self)
        for name in ("min_score", "max_score"):
            data[name] = None if data[name] is None else str(data[name])
        data["compare"] = list(self.compare)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Filters":
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for name in ("min_score", "max_score"):
            if values.get(name) is not None:
                values[name] = Decimal(values[name])
        values["compare"] = tuple(values.get("compare", ()))
        return cls(**values)


class Cell(NamedTuple):
    """A score as the table prints it: its text, its percentile and its level's number, or
    None when there is no score."""

    score: str | None
    percentile: str | None
    level: str | None
    low_confidence: bool = False  # mostly N/A: the score speaks for few questions
    asked: bool = True  # False: the result's bank version has no such category


@dataclass
class Row:
    project: Project  # with its team
    assessment_id: int | None  # of the latest submitted assessment on the bank
    overall: Decimal | None
    last_assessed: datetime | None
    stale: bool = False
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    percentiles: dict[str, int] = field(default_factory=dict)
    overall_cell: Cell = Cell(None, None, None)
    cells: list[Cell] = field(default_factory=list)  # per category, in the table's order
    # The latest assessment's pieces of evidence and how many are stale now (issue #15); only
    # the dashboard's page counts them.
    evidence_total: int = 0
    evidence_stale: int = 0

    @property
    def never(self) -> bool:
        return self.assessment_id is None

    @property
    def stale_evidence_percent(self) -> int | None:
        share = freshness.stale_share(self.evidence_stale, self.evidence_total)
        return None if share is None else round(100 * share)


@dataclass(frozen=True)
class Summary:
    """Counts over the whole portfolio, whatever page is shown."""

    visible: int  # projects the user may see
    assessed: int  # of those, with a result on the bank
    shown: int  # kept by the filters
    stale: int  # of the shown
    never: int  # of the shown


@dataclass(frozen=True)
class CommonGap:
    key: str
    text: str
    projects: int
    of: int
    advice: str


@dataclass(frozen=True)
class Weakest:
    """One of the lowest-scoring projects the filters keep, and the category that pulls it down
    most: the lowest score, ties by key, as its results page's "Weakest category" picks it."""

    row: Row
    category: str | None  # the category's name; None when every category is N/A
    score: Decimal | None


@dataclass
class Portfolio:
    filters: Filters
    teams: list[Team]
    categories: list[tuple[str, str]]  # (key, name) in bank order
    rows: list[Row]  # filtered and sorted: one page for the dashboard, all of them from build()
    summary: Summary
    page: Page  # numbers only; out-of-range numbers give the nearest page
    compared: list[Row]
    trends: dict[str, list[tuple[datetime, Decimal | None]]]
    common_gaps: list[CommonGap]
    distribution: dict[str, list[int]]  # per category, the shown projects at each level (0–4)
    weakest: list[Weakest] = field(default_factory=list)  # only the dashboard's page reads them
    # The trends are ML Test Score final scores: points, not the 0–100 scale.
    trends_in_points: bool = False

    level_names = [name for _, _, name, _ in scoring.MATURITY_LEVELS]

    @property
    def page_rows(self) -> list[Row]:
        return self.rows

    @property
    def category_keys(self) -> list[str]:
        return [key for key, _ in self.categories]

    @property
    def scored_on_page(self) -> bool:
        """Whether the page has a score to draw: a heatmap of never-assessed rows is empty."""
        return any(not row.never for row in self.rows)

    @property
    def has_trends(self) -> bool:
        return any(self.trends.values())

    @property
    def has_distribution(self) -> bool:
        return any(any(counts) for counts in self.distribution.values())

    @property
    def visible(self) -> int:
        return self.summary.visible

    @property
    def stale_count(self) -> int:
        return self.summary.stale

    @property
    def never_count(self) -> int:
        return self.summary.never

    def distribution_rows(self) -> list[tuple[str, list[int]]]:
        """Per category name, how many projects sit at each level: the charts' table."""
        return [(name, self.distribution[key]) for key, name in self.categories]


def banks_assessed(teams: list[Team]) -> list[tuple[str, str]]:
    """(slug, name) of the banks the teams' projects have results on, most recently used first."""
    rows = (
        AssessmentResult.objects.filter(assessment__project__team__in=teams)
        .values_list("version__bank__slug", "version__bank__name")
        .annotate(last=Max("assessment__submitted_at"))
        .order_by("-last")
    )
    return [(slug, name) for slug, name, _last in rows]


@dataclass(frozen=True)
class FilterChoices:
    banks: list[tuple[str, str]]
    sort_columns: set[str]


def filter_choices() -> FilterChoices:
    """What the filter form accepts: the banks and the sortable columns."""
    return FilterChoices(
        banks=list(QuestionBank.objects.order_by("name").values_list("slug", "name")),
        sort_columns={
            *SORT_COLUMNS,
            *Category.objects.order_by().values_list("key", flat=True).distinct(),
        },
    )


def comparable(teams: list[Team], slugs: list[str]) -> list[str]:
    """Which of these project slugs the teams own: the compare field's choices, read for the
    few slugs asked for rather than for the whole portfolio."""
    return list(
        Project.objects.filter(team__in=teams, slug__in=slugs).values_list("slug", flat=True)
    )


def build(
    teams: list[Team], filters: Filters, *, trends: bool = True, gaps: bool = True
) -> Portfolio:
    """Every project the filters keep, in order, for readers that list them all (the PDF report,
    the members' summary). The trends (a query) are for the dashboard's chart, the common gaps (one
    or two) for the dashboard and the PDF: readers that show neither leave them out."""
    return _read(teams, filters, paged=False, trends=trends, gaps=gaps)


def dashboard_page(teams: list[Team], filters: Filters) -> Portfolio:
    """One page of the portfolio (PAGE_SIZE rows), its counts, level distribution, trends,
    common gaps and stale evidence: the same number of queries, and rows moved to Python, for any
    portfolio size."""
    return _read(teams, filters, paged=True, trends=True, gaps=True, evidence=True, weakest=True)


def _read(
    teams: list[Team],
    filters: Filters,
    *,
    paged: bool,
    trends: bool,
    gaps: bool,
    evidence: bool = False,
    weakest: bool = False,
) -> Portfolio:
    team_ids = [t.pk for t in teams]
    bank_id, categories = _bank(filters.bank)
    texts = _page_texts(filters.bank)
    categories = [(key, texts.category_name(key, name)) for key, name in categories]
    keys = [key for key, _ in categories]
    now = timezone.now()
    stale_before = now - timedelta(days=filters.stale_days)
    latest = _latest(team_ids, bank_id)
    kept = _kept(filters, stale_before)
    summary = _summary(team_ids, bank_id, latest, kept, stale_before)
    if paged:
        page = Paginator(range(summary.shown), PAGE_SIZE).get_page(filters.page)
        start, stop = (page.number - 1) * PAGE_SIZE, min(page.number * PAGE_SIZE, summary.shown)
    else:
        page = Paginator(range(summary.shown), max(summary.shown, 1)).get_page(1)
        start, stop = 0, summary.shown
    histograms = _histograms(team_ids, bank_id, keys)
    table = _Table(latest, keys, stale_before, {t.pk: t for t in teams}, histograms)
    ordered = _ordered(latest, keys, filters, kept)
    if paged:
        # The page's ids first: sorting rows that carry every score would read them all.
        rows = table.rows_of_ids(list(ordered.values_list("pk", flat=True)[start:stop]))
    else:
        rows = list(table.rows_in_order(ordered))
    compared = []
    if filters.compare:
        compared = [r for r in table.rows_of_slugs(filters.compare[:5]) if not r.never]
    trend_rows = compared or [r for r in rows if not r.never][:8]
    lines, in_points = _trends([r.project for r in trend_rows], bank_id) if trends else ({}, False)
    if evidence:
        _count_evidence(rows, now)
    if not paged:
        distribution = _count_levels(rows, keys)
    elif kept:
        distribution = _distribution(latest.filter(kept), keys)
    else:  # every visible project: the histograms already hold the counts
        distribution = {key: histograms[key].levels() for key in keys}
    return Portfolio(
        filters=filters,
        teams=teams,
        categories=categories,
        rows=rows,
        summary=summary,
        page=page,
        compared=compared,
        trends=lines,
        trends_in_points=in_points,
        common_gaps=_common_gaps(team_ids, bank_id, summary.assessed, texts) if gaps else [],
        distribution=distribution,
        weakest=_weakest(table, latest.filter(kept), categories) if weakest else [],
    )


def _weakest(table: "_Table", kept: QuerySet[Project], categories: list) -> list[Weakest]:
    """The kept projects with the lowest overall scores (ties by name), whatever the table's sort
    or page: one query of WEAKEST_SHOWN rows, by the same index as sorting by the score."""
    lowest = kept.filter(overall__isnull=False).order_by("overall", _name_key("name"), "pk")
    names = dict(categories)
    weakest = []
    for row in table.rows_of_projects(lowest[:WEAKEST_SHOWN]):
        scored = [(score, key) for key, score in row.scores.items() if score is not None]
        score, key = min(scored, default=(None, None))
        weakest.append(Weakest(row=row, category=names.get(key), score=score))
    return weakest


def _bank(slug: str) -> tuple[int | None, list[tuple[str, str]]]:
    """The bank's id and the (key, name) of its categories in order, as its newest version names
    them: the table's columns. Bounded by the bank's size, not the portfolio's."""
    bank_ids = set()
    newest: dict[str, tuple[int, str]] = {}
    for bank_id, key, name, order in (
        Category.objects.filter(version__bank__slug=slug)
        .exclude(version__status=BankVersion.Status.DRAFT)
        .order_by("version__number", "order")
        .values_list("version__bank_id", "key", "name", "order")
    ):
        bank_ids.add(bank_id)
        newest[key] = (order, name)
    ordered = sorted(newest.items(), key=lambda item: item[1][0])
    return (bank_ids.pop() if bank_ids else None), [(k, name) for k, (_order, name) in ordered]


def _page_texts(slug: str) -> Texts:
    """The bank's newest released version's texts in the page's language: one query, and none
    when the page is in the banks' own language (English)."""
    version = BankVersion(translations={})
    if translation.get_language() != table_of.SOURCE_LANGUAGE:
        newest = (
            BankVersion.objects.filter(bank__slug=slug)
            .exclude(status=BankVersion.Status.DRAFT)
            .order_by("-number")
            .only("translations")
            .first()
        )
        version = newest or version
    return Texts(version)


def _latest(team_ids: list[int], bank_id: int | None) -> QuerySet[Project]:
    """The teams' projects, each with its latest submitted result on the bank, if any: one join
    on the rows a submit keeps (`LatestResult`), whatever each project's history."""
    return (
        Project.objects.filter(team_id__in=team_ids)
        .annotate(
            latest=FilteredRelation("latest_results", condition=Q(latest_results__bank_id=bank_id))
        )
        .annotate(
            latest_id=F("latest__pk"),
            assessment_id=F("latest__assessment_id"),
            last=F("latest__submitted_at"),
            result_id=F("latest__result_id"),
            overall=F("latest__overall"),
            scores=F("latest__scores"),
            low_confidence=F("latest__low_confidence"),
        )
    )


def _summary(
    team_ids: list[int], bank_id: int | None, latest: QuerySet[Project], kept: Q, stale_before
) -> Summary:
    if kept:
        return Summary(
            **latest.aggregate(
                visible=Count("pk"),
                assessed=Count("assessment_id"),
                shown=Count("pk", filter=kept),
                stale=Count("pk", filter=kept & Q(last__lt=stale_before)),
                never=Count("pk", filter=kept & Q(assessment_id__isnull=True)),
            )
        )
    # No filter: two counts on indexes, no join per project.
    visible = Project.objects.filter(team_id__in=team_ids).count()
    counts = LatestResult.objects.filter(team_id__in=team_ids, bank_id=bank_id).aggregate(
        assessed=Count("pk"), stale=Count("pk", filter=Q(submitted_at__lt=stale_before))
    )
    return Summary(visible=visible, shown=visible, never=visible - counts["assessed"], **counts)


def _name_key(field: str) -> Func:
    """A name as the table sorts it, ignoring case. SQLite's lower() folds ASCII letters only,
    as its NOCASE collation does, which compares without calling a function per row (a quarter
    of a 10,000-project page)."""
    if connection.vendor == "sqlite":
        return Collate(F(field), "NOCASE")
    return Lower(field)


def _category_score(key: str) -> Subquery:
    """One category's score of a project's latest result: sorting by a category reads it for
    each kept project (an index lookup each)."""
    return Subquery(
        CategoryResult.objects.filter(result_id=OuterRef("result_id"), key=key).values("score")[:1]
    )


def _kept(f: Filters, stale_before: datetime) -> Q:
    """The filters as one condition on the rows of `_latest`."""
    kept = Q()
    if f.team:
        kept &= Q(team__slug=f.team)
    if f.search:
        kept &= Q(name__icontains=f.search)
    if f.staleness == "never":
        kept &= Q(assessment_id__isnull=True)
    elif f.staleness == "stale":
        kept &= Q(last__lt=stale_before)
    elif f.staleness == "fresh":
        kept &= Q(last__gte=stale_before)
    if f.min_score is not None or f.max_score is not None or f.level is not None:
        kept &= Q(overall__isnull=False)
    if f.min_score is not None:
        kept &= Q(overall__gte=f.min_score)
    if f.max_score is not None:
        kept &= Q(overall__lte=f.max_score)
    if f.level is not None:
        kept &= _level_range("overall", f.level)
    return kept


def _level_range(column: str, level: int) -> Q:
    """The scores `scoring.maturity_level` puts at this level."""
    bounds = [bound for bound, _, _, _ in scoring.MATURITY_LEVELS]
    condition = Q(**{f"{column}__gte": bounds[level]})
    if level + 1 < len(bounds):
        condition &= Q(**{f"{column}__lt": bounds[level + 1]})
    return condition


def _ordered(latest: QuerySet[Project], keys: list[str], f: Filters, kept: Q) -> QuerySet[Project]:
    """The kept projects in the table's order: the chosen column, missing values last
    whichever the direction, then by name (stable). Sorting by a category reads that one score
    per kept project; the other columns are on the join."""
    rows = latest.filter(kept)
    descending = f.sort.startswith("-")
    column = f.sort.lstrip("-")
    columns = {"name": _name_key("name"), "team": _name_key("team__name"), "last": F("last")}
    columns["overall"] = F("overall")
    if column in keys:
        rows = rows.annotate(sort_score=_category_score(column))
        columns[column] = F("sort_score")
    # A column of another bank: no project has a score in it, so the order is by name.
    chosen = []
    if column in columns:
        expression = columns[column]
        chosen = [
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        ]
    return rows.order_by(*chosen, _name_key("name"), "pk")


class Histogram:
    """How many visible projects have each score in one column: a project's percentile is read
    from it without ranking the portfolio."""

    def __init__(self, counts: list[tuple[Decimal, int]]):  # ascending scores
        self.scores = [score for score, _ in counts]
        self.counts = [count for _, count in counts]
        self.below = list(accumulate(self.counts, initial=0))
        self.scored = self.below[-1]

    def percentile(self, score: Decimal | None) -> int | None:
        """The share of scored projects below `score`, ties counting half, as 0–100, rounded half
        to even as Python's round() has always done here."""
        if score is None or not self.scored:
            return None
        i = bisect_left(self.scores, score)
        at = self.counts[i] if i < len(self.scores) and self.scores[i] == score else 0
        return round(Fraction(100 * (2 * self.below[i] + at), 2 * self.scored))

    def levels(self) -> list[int]:
        """Projects at each maturity level."""
        counts = [0] * len(scoring.MATURITY_LEVELS)
        for score, count in zip(self.scores, self.counts, strict=True):
            counts[scoring.maturity_level(score)[0]] += count
        return counts


def _histograms(team_ids: list[int], bank_id: int | None, keys: list[str]) -> dict[str, Histogram]:
    """The overall and category score histograms of every visible project's latest result, added
    up from the teams' counts: percentiles rank among all the projects the user sees, whatever
    the filters keep, in a query that reads a few rows per distinct score."""
    counts: dict[str, list] = {key: [] for key in ["", *keys]}
    for column, score, projects in (
        TeamScoreCount.objects.filter(
            team_id__in=team_ids, bank_id=bank_id, column__in=counts, projects__gt=0
        )
        .values("column", "score")
        .annotate(n=Sum("projects"))
        .order_by("column", "score")
        .values_list("column", "score", "n")
    ):
        counts[column].append((_as_stored(score), projects))
    return {key or "overall": Histogram(pairs) for key, pairs in counts.items()}


# SQLite hands a subquery's decimal back as a float, 100 for 100.0: the stored precision restores it.
SCORE_STEP = Decimal(1).scaleb(-CategoryResult._meta.get_field("score").decimal_places)


def _as_stored(score: Decimal | None) -> Decimal | None:
    return None if score is None else Decimal(score).quantize(SCORE_STEP)


@dataclass(frozen=True)
class _Table:
    """Reads the table's rows for ordered project ids, with scores and percentiles."""

    latest: QuerySet[Project]
    keys: list[str]
    stale_before: datetime
    teams_by_id: dict[int, Team]
    histograms: dict[str, Histogram]
    decimal_separator: str = field(default_factory=lambda: formats.get_format("DECIMAL_SEPARATOR"))

    def rows_of_ids(self, ids: list[int]) -> list[Row]:
        """The rows of these projects, in this order: one page."""
        projects = self.latest.in_bulk(ids)
        return [self._row(projects[project_id]) for project_id in ids]

    def rows_in_order(
        self, ordered: QuerySet[Project], *, chunk: int = EXPORT_CHUNK
    ) -> Iterator[Row]:
        """Every row of the ordered projects, read `chunk` at a time (through a server-side
        cursor on PostgreSQL), so an export's memory stays flat."""
        for project in ordered.iterator(chunk_size=chunk):
            yield self._row(project)

    def rows_of_slugs(self, slugs: Iterable[str]) -> list[Row]:
        return self.rows_of_projects(self.latest.filter(slug__in=slugs).order_by("name"))

    def rows_of_projects(self, projects: Iterable[Project]) -> list[Row]:
        """The rows of projects read from `latest` (they carry its annotations)."""
        return [self._row(project) for project in projects]

    def _row(self, project: Project) -> Row:
        # The teams are in hand already: no join, no query per row.
        project.team = self.teams_by_id[project.team_id]
        overall = _as_stored(project.overall)
        stored = project.scores or {}
        scores = {key: _as_stored(stored.get(key)) for key in self.keys}
        percentiles = {
            key: percentile
            for key, score in [("overall", overall), *scores.items()]
            if (percentile := self.histograms[key].percentile(score)) is not None
        }
        row = Row(
            project=project,
            assessment_id=project.assessment_id,
            overall=overall,
            last_assessed=project.last,
            stale=project.last is not None and project.last < self.stale_before,
            scores=scores,
            percentiles=percentiles,
        )
        row.overall_cell = self._cell(overall, percentiles.get("overall"))
        unsure = set(project.low_confidence or ())
        row.cells = [
            self._cell(scores[k], percentiles.get(k), k in unsure, asked=k in stored)
            for k in self.keys
        ]
        return row

    def _cell(
        self, score: Decimal | None, percentile: int | None, unsure: bool = False, asked=True
    ) -> Cell:
        if score is None:
            return Cell(None, None, None, asked=asked)
        # What {{ score }} prints, without Django looking the number format up again for each of
        # a page's ~700 numbers (a third of the page's time). Scores stay below a thousand.
        text = str(score).replace(".", self.decimal_separator)
        return Cell(text, str(percentile), str(scoring.maturity_level(score)[0]), unsure)


def _count_evidence(rows: list[Row], now: datetime) -> None:
    """Each row's pieces of evidence and the stale ones among them, counted from the live rows of
    its latest submitted assessment (read-only since the submit): one grouped query for the page,
    whatever the portfolio's size."""
    by_assessment = {row.assessment_id: row for row in rows if row.assessment_id is not None}
    if not by_assessment:
        return
    counts = (
        Evidence.objects.filter(answer__assessment_id__in=by_assessment)
        .values_list("answer__assessment_id")
        .annotate(total=Count("pk"), stale=Count("pk", filter=Q(stale_after__lt=now)))
        .order_by()
    )
    for assessment_id, total, stale in counts:
        row = by_assessment[assessment_id]
        row.evidence_total, row.evidence_stale = total, stale


def _distribution(kept: QuerySet[Project], keys: list[str]) -> dict[str, list[int]]:
    """Per category, how many of the kept projects sit at each maturity level: counted by the
    database over their latest results' category scores (only a filtered page asks)."""
    counts = {key: [0] * len(scoring.MATURITY_LEVELS) for key in keys}
    levels = range(len(scoring.MATURITY_LEVELS))
    rows = (
        CategoryResult.objects.filter(result_id__in=kept.values("result_id"), key__in=keys)
        .values("key")
        .annotate(**{f"level_{n}": Count("pk", filter=_level_range("score", n)) for n in levels})
    )
    for row in rows:
        counts[row["key"]] = [row[f"level_{n}"] for n in levels]
    return counts


def _count_levels(rows: list[Row], keys: list[str]) -> dict[str, list[int]]:
    """The same as `_distribution`, from rows already read."""
    counts = {key: [0] * len(scoring.MATURITY_LEVELS) for key in keys}
    for row in rows:
        for key, value in row.scores.items():
            level, _, _ = scoring.maturity_level(value)
            if level is not None:
                counts[key][level] += 1
    return counts


def _trends(
    projects: list[Project], bank_id: int | None
) -> tuple[dict[str, list[tuple[datetime, Decimal | None]]], bool]:
    """The overall scores over time of a few projects on the bank, and whether they are ML Test
    Score points. Read by project only, the bank sorted out here: filtered by bank, SQLite would
    walk every result on the bank."""
    trends: dict[str, list[tuple[datetime, Decimal | None]]] = {p.name: [] for p in projects}
    names = {p.pk: p.name for p in projects}
    methods = set()
    if not names:
        return trends, False
    for project_id, submitted_at, overall, result_bank, method in (
        AssessmentResult.objects.filter(assessment__project_id__in=names)
        .order_by("assessment__submitted_at")
        .values_list(
            "assessment__project_id",
            "assessment__submitted_at",
            "overall",
            "version__bank_id",
            "method",
        )
    ):
        if result_bank == bank_id:
            trends[names[project_id]].append((submitted_at, overall))
            methods.add(method)
    return trends, methods == {scoring.ML_TEST_SCORE}


def _common_gaps(
    team_ids: list[int], bank_id: int | None, assessed: int, texts: Texts, limit: int = 8
) -> list[CommonGap]:
    """The questions most visible projects' latest results answer at level 1 or below (or not
    at all): one investment, many projects. Added up from the teams' counts."""
    if not assessed:
        return []
    gaps = list(
        TeamGapCount.objects.filter(team_id__in=team_ids, bank_id=bank_id, projects__gt=0)
        .values("question_key")
        .annotate(projects=Sum("projects"))
        .order_by("-projects", "question_key")[:limit]
    )
    # The newest released version's wording and advice win: rows come oldest version first.
    first = LatestResult.AT_OR_BELOW + 1
    first_step = Remediation.objects.filter(question=OuterRef("pk"), to_value=first).values(
        "advice"
    )[:1]
    wording = {
        key: (text, advice or "")
        for key, text, advice in Question.objects.filter(
            key__in=[g["question_key"] for g in gaps], version__bank_id=bank_id
        )
        .exclude(version__status=BankVersion.Status.DRAFT)
        .order_by("version__number")
        .values_list("key", "text", Subquery(first_step))
    }
    gap_list = []
    for gap in gaps:
        key = gap["question_key"]
        text, advice = wording.get(key, (key, ""))
        text = texts.question_text(key, text)
        advice = texts.text(f"remediation/{key}/{table_of.number_key(first)}", "advice", advice)
        gap_list.append(CommonGap(key, text, gap["projects"], assessed, advice))
    return gap_list


EXPORT_COLUMNS = ["project", "name", "team", "overall", "last_assessed", "stale"]


@dataclass(frozen=True)
class Export:
    """The portfolio's rows for CSV and JSON: read lazily, a chunk at a time, as they are sent."""

    filters: Filters
    category_keys: list[str]
    rows: Iterator[dict]


def export(teams: list[Team], filters: Filters) -> Export:
    """Every project the filters keep, as plain data with the same numbers as the page: the
    bank's categories, the histograms, then the rows, fetched in chunks as they are sent."""
    team_ids = [t.pk for t in teams]
    bank_id, categories = _bank(filters.bank)
    texts = _page_texts(filters.bank)
    categories = [(key, texts.category_name(key, name)) for key, name in categories]
    keys = [key for key, _ in categories]
    stale_before = timezone.now() - timedelta(days=filters.stale_days)
    latest = _latest(team_ids, bank_id)
    table = _Table(
        latest, keys, stale_before, {t.pk: t for t in teams}, _histograms(team_ids, bank_id, keys)
    )
    ordered = _ordered(latest, keys, filters, _kept(filters, stale_before))
    rows = (_export_row(row, keys) for row in table.rows_in_order(ordered))
    return Export(filters=filters, category_keys=keys, rows=rows)


def _export_row(row: Row, keys: list[str]) -> dict:
    return {
        "project": row.project.slug,
        "name": row.project.name,
        "team": row.project.team.name,
        "overall": None if row.overall is None else float(row.overall),
        "overall_percentile": row.percentiles.get("overall"),
        "last_assessed": row.last_assessed.isoformat() if row.last_assessed else None,
        "stale": row.stale,
        "categories": {
            key: {
                "score": None if row.scores[key] is None else float(row.scores[key]),
                "percentile": row.percentiles.get(key),
            }
            for key in keys
        },
    }


def export_csv_rows(data: Export) -> Iterator[list]:
    """The CSV's header, then one line per project."""
    yield [*EXPORT_COLUMNS, *data.category_keys]
    for row in data.rows:
        yield [
            *(row[column] for column in EXPORT_COLUMNS),
            *(row["categories"][key]["score"] for key in data.category_keys),
        ]
