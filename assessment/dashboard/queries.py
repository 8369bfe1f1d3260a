"""Reads for the portfolio dashboard: filters, sorting, search, pagination and percentiles computed
by the database on each visible project's latest result, so a page costs the same queries, and
moves the same rows to Python, for ten projects or ten thousand."""

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.utils import timezone

from assessment import scoring
from assessment.models import Assessment, AssessmentResult, CategoryResult, QuestionResult
from banks.models import BankVersion, Category, QuestionBank, Remediation
from banks.queries import DEFAULT_BANK
from projects.models import Project, Team

SORT_COLUMNS = ("name", "team", "last", "overall")
PAGE_SIZE = 50
HEATMAP_ROWS = 50
SEARCH_MAX_LENGTH = 100
# Exports fetch the rows in chunks of this many, so their memory does not grow with the portfolio.
EXPORT_CHUNK = 500
# A question answered at one of these levels or below counts as "missing" across the portfolio.
MISSING_AT_OR_BELOW = Decimal(1)


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


@dataclass
class Row:
    project: Project  # with its team
    assessment_id: int | None  # of the latest submitted assessment on the bank
    overall: Decimal | None
    last_assessed: datetime | None
    stale: bool = False
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    percentiles: dict[str, int] = field(default_factory=dict)
    cells: list[tuple[Decimal | None, int | None, int | None]] = field(default_factory=list)

    @property
    def never(self) -> bool:
        return self.assessment_id is None


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

    level_names = [name for _, _, name, _ in scoring.MATURITY_LEVELS]

    @property
    def page_rows(self) -> list[Row]:
        return self.rows

    @property
    def category_keys(self) -> list[str]:
        return [key for key, _ in self.categories]

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
    """One page of the portfolio (PAGE_SIZE rows), its counts, level distribution, trends and
    common gaps: the same number of queries, and rows moved to Python, for any portfolio size."""
    return _read(teams, filters, paged=True, trends=True, gaps=True)


def _read(
    teams: list[Team], filters: Filters, *, paged: bool, trends: bool, gaps: bool
) -> Portfolio:
    team_ids = [t.pk for t in teams]
    categories = _bank_categories(filters.bank)
    keys = [key for key, _ in categories]
    stale_before = timezone.now() - timedelta(days=filters.stale_days)
    latest = _latest(team_ids, filters.bank)
    kept = _kept(filters, stale_before)
    summary = Summary(
        **latest.aggregate(
            visible=Count("pk"),
            assessed=Count("assessment_id"),
            shown=Count("pk", filter=kept),
            stale=Count("pk", filter=kept & Q(last__lt=stale_before)),
            never=Count("pk", filter=kept & Q(assessment_id__isnull=True)),
        )
    )
    if paged:
        page = Paginator(range(summary.shown), PAGE_SIZE).get_page(filters.page)
        start, stop = (page.number - 1) * PAGE_SIZE, min(page.number * PAGE_SIZE, summary.shown)
    else:
        page = Paginator(range(summary.shown), max(summary.shown, 1)).get_page(1)
        start, stop = 0, summary.shown
    sql, params = _table_sql(latest, keys, filters, kept, start, stop)
    teams_by_id = {t.pk: t for t in teams}
    rows = [
        _row(p, keys, stale_before, teams_by_id) for p in _read_table(latest, keys, sql, params)
    ]
    compared = []
    if filters.compare:
        scored = _with_scores(latest, keys).filter(slug__in=filters.compare[:5]).order_by("name")
        compared = [_row(p, keys, stale_before, teams_by_id) for p in scored]
        compared = [r for r in compared if not r.never]
    trend_rows = compared or [r for r in rows if not r.never][:8]
    return Portfolio(
        filters=filters,
        teams=teams,
        categories=categories,
        rows=rows,
        summary=summary,
        page=page,
        compared=compared,
        trends=_trends([r.project for r in trend_rows], filters.bank) if trends else {},
        common_gaps=_common_gaps(latest, summary.assessed, filters.bank) if gaps else [],
        distribution=(
            _distribution(latest.filter(kept), keys) if paged else _count_levels(rows, keys)
        ),
    )


def _bank_categories(bank: str) -> list[tuple[str, str]]:
    """(key, name) of the bank's categories in order, as its newest version names them: the
    table's columns. Bounded by the bank's size, not the portfolio's."""
    newest: dict[str, tuple[int, str]] = {}
    for key, name, order in (
        Category.objects.filter(version__bank__slug=bank)
        .exclude(version__status=BankVersion.Status.DRAFT)
        .order_by("version__number", "order")
        .values_list("key", "name", "order")
    ):
        newest[key] = (order, name)
    return [(key, name) for key, (_order, name) in sorted(newest.items(), key=lambda i: i[1][0])]


def _latest(team_ids: list[int], bank: str) -> QuerySet[Project]:
    """The teams' projects, each with its latest submitted assessment on the bank, if any."""
    versions = BankVersion.objects.filter(bank__slug=bank).values("pk")
    newest = Assessment.objects.filter(
        project=OuterRef("pk"), result__version__in=versions
    ).order_by("-submitted_at", "-pk")
    # One index lookup per project and column (assessment_project_submitted). A join on the
    # set of newest ids instead looked the whole set up for every project on SQLite (quadratic).
    return Project.objects.filter(team_id__in=team_ids).annotate(
        assessment_id=Subquery(newest.values("pk")[:1]),
        last=Subquery(newest.values("submitted_at")[:1]),
        result_id=Subquery(newest.values("result__pk")[:1]),
        overall=Subquery(newest.values("result__overall")[:1]),
    )


def _score_alias(index: int) -> str:
    # Category keys are data (slugs from a bank file), so they never become SQL aliases.
    return f"score_{index}"


def _with_scores(latest: QuerySet[Project], keys: list[str]) -> QuerySet[Project]:
    return latest.annotate(
        **{
            _score_alias(i): Subquery(
                CategoryResult.objects.filter(result_id=OuterRef("result_id"), key=key).values(
                    "score"
                )[:1]
            )
            for i, key in enumerate(keys)
        }
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


def _table_sql(
    latest: QuerySet[Project], keys: list[str], f: Filters, kept: Q, start: int, stop: int
) -> tuple[str, list]:
    """The positions start+1..stop of the table, with each row's percentile counts among every
    visible project: (project id, position, then per scored column its rank, count at or below
    and count scored), in order.

    Percentiles rank each project among all the projects the user sees, yet the table lists the
    filtered ones: the filters only sort the kept projects first (`kept_first`), and the page is
    cut from the positions once every window is computed. The ORM cannot say this (its filters
    run before windows, and it repeats each column's subquery inside every window that reads
    it, which cost seconds at 10,000 projects), so the ORM writes the inner query, evaluated
    once per project into a materialized CTE, and the windows read its columns.
    """
    qn = connection.ops.quote_name
    columns = ["overall", *(_score_alias(i) for i in range(len(keys)))]
    first = (
        Case(When(kept, then=Value(0)), default=Value(1), output_field=IntegerField())
        if kept
        else Value(0, output_field=IntegerField())
    )
    inner = latest.values(
        "overall",
        "last",
        "result_id",
        row_id=F("pk"),
        kept_first=first,
        name_key=Lower("name"),
        team_key=Lower("team__name"),
    )
    inner_sql, params = inner.query.sql_with_params()
    # Each category's score is read by the latest result's id, found once per project above:
    # a subquery per category that found the latest result again cost seconds on PostgreSQL.
    category_table = qn(CategoryResult._meta.db_table)
    scores = [
        f"(SELECT {qn('score')} FROM {category_table} WHERE {qn('result_id')} = "
        f"latest.{qn('result_id')} AND {qn('key')} = %s) AS {qn(_score_alias(i))}"
        for i in range(len(keys))
    ]
    params = [*params, *keys]
    windows = []
    for column in columns:
        ascending = f"ORDER BY {qn(column)} ASC NULLS LAST"
        # Never-assessed and N/A projects sort last, so a rank counts the scores below only.
        windows += [
            f"RANK() OVER ({ascending}) AS {qn(column + '_below')}",
            f"COUNT({qn(column)}) OVER ({ascending}) AS {qn(column + '_at_or_below')}",
            f"COUNT({qn(column)}) OVER () AS {qn(column + '_scored')}",
        ]
    order = ", ".join(
        f"{qn(column)} {direction} NULLS LAST" for column, direction in _ordering(f.sort, keys)
    )
    sql = (
        f"WITH latest AS MATERIALIZED ({inner_sql}), "
        f"visible AS MATERIALIZED (SELECT latest.*{''.join(', ' + sql for sql in scores)} "
        f"FROM latest) "
        f"SELECT * FROM (SELECT {qn('row_id')}, ROW_NUMBER() OVER (ORDER BY {qn('kept_first')} ASC, "
        f"{order}) AS {qn('position')}, {', '.join(windows)} FROM visible) AS ranked "
        f"WHERE {qn('position')} > %s AND {qn('position')} <= %s ORDER BY {qn('position')}"
    )
    return sql, [*params, start, stop]


def _ordering(sort: str, keys: list[str]) -> list[tuple[str, str]]:
    """The chosen column (missing values last whichever the direction), then by name: stable.
    Names of the inner query's columns only, never text from the request."""
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    columns = {
        "name": "name_key",
        "team": "team_key",
        "last": "last",
        "overall": "overall",
        **{key: _score_alias(i) for i, key in enumerate(keys)},
    }
    chosen = []
    # A column of another bank: no project has a score in it, so the order is by name.
    if column in columns:
        chosen = [(columns[column], "DESC" if descending else "ASC")]
    return [*chosen, ("name_key", "ASC"), ("row_id", "ASC")]


def _read_table(
    latest: QuerySet[Project], keys: list[str], sql: str, params: list, *, chunk: int = PAGE_SIZE
) -> Iterator[Project]:
    """The table's projects in order, each with its scores and percentile counts, read `chunk`
    at a time (through a server-side cursor on PostgreSQL), so memory stays flat: a page is one
    chunk, an export one more query per chunk."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        while positions := cursor.fetchmany(chunk):
            counts = {values[0]: dict(zip(names, values, strict=True)) for values in positions}
            projects = _with_scores(latest, keys).filter(pk__in=counts).in_bulk()
            for project_id, windows in counts.items():
                project = projects[project_id]
                for name, value in windows.items():
                    setattr(project, name, value)
                yield project


def _percentile(below_rank: int, at_or_below: int, scored: int) -> int:
    """The share of scored projects at or below a score, ties counting half, as 0–100, rounded
    half to even as Python's round() has always done here."""
    below = below_rank - 1
    return round(Fraction(100 * (below + at_or_below), 2 * scored))


# SQLite hands a subquery's decimal back as a float, 100 for 100.0: the stored precision restores it.
SCORE_STEP = Decimal(1).scaleb(-CategoryResult._meta.get_field("score").decimal_places)


def _as_stored(score: Decimal | None) -> Decimal | None:
    return None if score is None else score.quantize(SCORE_STEP)


def _row(project: Project, keys: list[str], stale_before: datetime, teams_by_id: dict) -> Row:
    # The teams are in hand already: no join, no query per row.
    project.team = teams_by_id[project.team_id]
    scores = {key: _as_stored(getattr(project, _score_alias(i))) for i, key in enumerate(keys)}
    percentiles = {}
    for key, column in [
        ("overall", "overall"),
        *((k, _score_alias(i)) for i, k in enumerate(keys)),
    ]:
        value = getattr(project, column)
        if value is not None and hasattr(project, f"{column}_below"):
            percentiles[key] = _percentile(
                getattr(project, f"{column}_below"),
                getattr(project, f"{column}_at_or_below"),
                getattr(project, f"{column}_scored"),
            )
    row = Row(
        project=project,
        assessment_id=project.assessment_id,
        overall=_as_stored(project.overall),
        last_assessed=project.last,
        stale=project.last is not None and project.last < stale_before,
        scores=scores,
        percentiles=percentiles,
    )
    row.cells = [
        (scores[k], percentiles.get(k), scoring.maturity_level(scores[k])[0]) for k in keys
    ]
    return row


def _distribution(kept: QuerySet[Project], keys: list[str]) -> dict[str, list[int]]:
    """Per category, how many of the kept projects sit at each maturity level: counted by the
    database over their latest results."""
    counts = {key: [0] * len(scoring.MATURITY_LEVELS) for key in keys}
    levels = range(len(scoring.MATURITY_LEVELS))
    rows = (
        CategoryResult.objects.filter(result_id__in=kept.values("result_id"))
        .values("key")
        .annotate(**{f"level_{n}": Count("pk", filter=_level_range("score", n)) for n in levels})
    )
    for row in rows:
        if row["key"] in counts:  # a category the bank's newest versions dropped
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


def _trends(projects: list[Project], bank: str) -> dict[str, list[tuple[datetime, Decimal | None]]]:
    trends: dict[str, list[tuple[datetime, Decimal | None]]] = {p.name: [] for p in projects}
    names = {p.pk: p.name for p in projects}
    if not names:
        return trends
    for project_id, submitted_at, overall in (
        AssessmentResult.objects.filter(assessment__project_id__in=names, version__bank__slug=bank)
        .order_by("assessment__submitted_at")
        .values_list("assessment__project_id", "assessment__submitted_at", "overall")
    ):
        trends[names[project_id]].append((submitted_at, overall))
    return trends


def _common_gaps(
    latest: QuerySet[Project], assessed: int, bank: str, limit: int = 8
) -> list[CommonGap]:
    """The questions most projects answer at level 1 or below: one investment, many projects."""
    if not assessed:
        return []
    latest_ids = latest.filter(result_id__isnull=False).values("result_id")
    gaps = list(
        QuestionResult.objects.filter(result_id__in=latest_ids, not_applicable=False)
        .filter(Q(value__lte=MISSING_AT_OR_BELOW) | Q(value__isnull=True))
        .values("question_key")
        .annotate(projects=Count("result_id", distinct=True), text=Max("text"))
        .order_by("-projects", "question_key")[:limit]
    )
    # The newest published version's advice wins: rows come oldest version first.
    advice = dict(
        Remediation.objects.filter(
            question__key__in=[g["question_key"] for g in gaps],
            question__version__bank__slug=bank,
            question__version__status=BankVersion.Status.PUBLISHED,
            to_value=MISSING_AT_OR_BELOW + 1,
        )
        .order_by("question__version__number")
        .values_list("question__key", "advice")
    )
    return [
        CommonGap(g["question_key"], g["text"], g["projects"], assessed, advice.get(g["question_key"], ""))
        for g in gaps
    ]  # fmt: skip


EXPORT_COLUMNS = ["project", "name", "team", "overall", "last_assessed", "stale"]


@dataclass(frozen=True)
class Export:
    """The portfolio's rows for CSV and JSON: read lazily, a chunk at a time, as they are sent."""

    filters: Filters
    category_keys: list[str]
    rows: Iterator[dict]


def export(teams: list[Team], filters: Filters) -> Export:
    """Every project the filters keep, as plain data with the same numbers as the page: three
    queries (the bank's categories, the counts, the rows), the rows fetched in chunks."""
    keys = [key for key, _ in _bank_categories(filters.bank)]
    stale_before = timezone.now() - timedelta(days=filters.stale_days)
    latest = _latest([t.pk for t in teams], filters.bank)
    kept = _kept(filters, stale_before)
    shown = latest.aggregate(shown=Count("pk", filter=kept))["shown"]
    sql, params = _table_sql(latest, keys, filters, kept, 0, shown)
    teams_by_id = {t.pk: t for t in teams}
    rows = (
        _export_row(_row(p, keys, stale_before, teams_by_id), keys)
        for p in _read_table(latest, keys, sql, params, chunk=EXPORT_CHUNK)
    )
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
            key: {"score": None if score is None else float(score), "percentile": pct}
            for key, (score, pct, _level) in zip(keys, row.cells, strict=True)
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
