"""Reads for the portfolio dashboard: every visible project's latest result, in a fixed number of
queries however many projects there are, then filtered, ranked and paged in Python."""

import csv
import io
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from assessment import scoring
from assessment.models import AssessmentResult, CategoryResult, QuestionResult
from banks.models import BankVersion, Category, QuestionBank, Remediation
from banks.queries import DEFAULT_BANK
from projects.models import Project, Team

SORT_COLUMNS = ("name", "team", "last", "overall")
PAGE_SIZE = 50
HEATMAP_ROWS = 50
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
    project: Project
    result: AssessmentResult | None
    scores: dict[str, Decimal | None] = field(default_factory=dict)
    percentiles: dict[str, int] = field(default_factory=dict)
    stale: bool = False
    cells: list[tuple[Decimal | None, int | None, int | None]] = field(default_factory=list)

    @property
    def never(self) -> bool:
        return self.result is None

    @property
    def overall(self) -> Decimal | None:
        return self.result.overall if self.result else None

    @property
    def last_assessed(self) -> datetime | None:
        return self.result.assessment.submitted_at if self.result else None

    def fill_cells(self, keys: list[str]) -> None:
        """Per category in bank order: score, percentile and maturity level, for the table."""
        self.cells = [
            (
                self.scores.get(k),
                self.percentiles.get(k),
                scoring.maturity_level(self.scores.get(k))[0],
            )
            for k in keys
        ]


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
    rows: list[Row]  # filtered and sorted
    visible: int  # projects the user may see
    page: Page  # of `rows`; out-of-range numbers give the nearest page
    compared: list[Row]
    trends: dict[str, list[tuple[datetime, Decimal | None]]]
    common_gaps: list[CommonGap]

    @property
    def page_rows(self) -> list[Row]:
        return list(self.page.object_list)

    @property
    def category_keys(self) -> list[str]:
        return [key for key, _ in self.categories]

    @property
    def stale_count(self) -> int:
        return sum(1 for r in self.rows if r.stale)

    @property
    def never_count(self) -> int:
        return sum(1 for r in self.rows if r.never)

    level_names = [name for _, _, name, _ in scoring.MATURITY_LEVELS]

    def distribution_rows(self) -> list[tuple[str, list[int]]]:
        """Per category name, how many projects sit at each level: the charts' table."""
        return [(name, self.distribution[key]) for key, name in self.categories]

    @cached_property
    def distribution(self) -> dict[str, list[int]]:
        """Per category, how many projects sit at each maturity level (0–4)."""
        counts = {key: [0] * len(scoring.MATURITY_LEVELS) for key in self.category_keys}
        for row in self.rows:
            for key, value in row.scores.items():
                level, _, _ = scoring.maturity_level(value)
                if level is not None and key in counts:
                    counts[key][level] += 1
        return counts


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
    projects: QuerySet
    sort_columns: set[str]


def filter_choices(teams: list[Team]) -> FilterChoices:
    """What the filter form accepts: the banks, the teams' projects and the sortable columns."""
    return FilterChoices(
        banks=list(QuestionBank.objects.order_by("name").values_list("slug", "name")),
        projects=Project.objects.filter(team__in=teams).values_list("slug", flat=True),
        sort_columns={*SORT_COLUMNS, *Category.objects.values_list("key", flat=True).distinct()},
    )


def build(
    teams: list[Team], filters: Filters, *, trends: bool = True, gaps: bool = True
) -> Portfolio:
    """The portfolio of the teams' projects under the filters. The trends (a query) are for the
    dashboard's chart, the common gaps (two) for the dashboard and the PDF: readers that show
    neither leave them out."""
    team_ids = [t.pk for t in teams]
    latest = (
        AssessmentResult.objects.filter(
            assessment__project=OuterRef("pk"), version__bank__slug=filters.bank
        )
        .order_by("-assessment__submitted_at")
        .values("pk")[:1]
    )
    projects = list(
        Project.objects.filter(team_id__in=team_ids)
        .select_related("team")
        .annotate(latest_result_id=Subquery(latest))
        .order_by("name")
    )
    # The latest results are selected by the same subquery, not by a list of ids: SQLite caps the
    # number of query parameters, and a thousand ids would split the query in two.
    latest_ids = (
        Project.objects.filter(team_id__in=team_ids).annotate(r=Subquery(latest)).values("r")
    )
    results = {
        r.pk: r
        for r in AssessmentResult.objects.select_related("assessment").filter(pk__in=latest_ids)
    }
    scores: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    category_names: dict[str, tuple[int, str]] = {}
    for result_id, key, name, order, score in CategoryResult.objects.filter(
        result_id__in=latest_ids
    ).values_list("result_id", "key", "name", "order", "score"):
        scores[result_id][key] = score
        category_names.setdefault(key, (order, name))
    categories = [(k, n) for k, (_, n) in sorted(category_names.items(), key=lambda i: i[1][0])]

    stale_before = timezone.now() - timedelta(days=filters.stale_days)
    all_rows = []
    for project in projects:
        result = results.get(project.latest_result_id)
        all_rows.append(
            Row(
                project=project,
                result=result,
                scores=scores.get(project.latest_result_id, {}),
                stale=bool(result and result.assessment.submitted_at < stale_before),
            )
        )
    keys = [k for k, _ in categories]
    _add_percentiles(all_rows, keys)
    for row in all_rows:
        row.fill_cells(keys)
    rows = _sorted(_filtered(all_rows, filters), filters.sort)
    by_slug = {r.project.slug: r for r in all_rows}
    compared = [by_slug[s] for s in filters.compare if s in by_slug][:5]
    trend_rows = compared or [r for r in rows if not r.never][:8]
    return Portfolio(
        filters=filters,
        teams=teams,
        categories=categories,
        rows=rows,
        visible=len(all_rows),
        page=Paginator(rows, PAGE_SIZE).get_page(filters.page),
        compared=compared,
        trends=_trends([r.project for r in trend_rows], filters.bank) if trends else {},
        common_gaps=_common_gaps(latest_ids, len(results), filters.bank) if gaps else [],
    )


def _add_percentiles(rows: list[Row], keys: list[str]) -> None:
    """Each project's percentile among the visible portfolio, per category and overall: the share
    of scored projects at or below its score (ties count half), as 0–100."""
    for key in [*keys, "overall"]:
        values = sorted(
            v for v in (r.overall if key == "overall" else r.scores.get(key) for r in rows) if v is not None
        )  # fmt: skip
        for row in rows:
            value = row.overall if key == "overall" else row.scores.get(key)
            if value is None or not values:
                continue
            below, at = (
                bisect_left(values, value),
                bisect_right(values, value) - bisect_left(values, value),
            )
            row.percentiles[key] = round(100 * (below + at / 2) / len(values))


def _filtered(rows: list[Row], f: Filters) -> list[Row]:
    def keep(row: Row) -> bool:
        if f.team and row.project.team.slug != f.team:
            return False
        if f.staleness == "never" and not row.never:
            return False
        if f.staleness == "stale" and not row.stale:
            return False
        if f.staleness == "fresh" and (row.never or row.stale):
            return False
        scored = f.min_score is not None or f.max_score is not None or f.level is not None
        if scored and row.overall is None:
            return False
        if f.min_score is not None and row.overall < f.min_score:
            return False
        if f.max_score is not None and row.overall > f.max_score:
            return False
        return f.level is None or scoring.maturity_level(row.overall)[0] == f.level

    return [r for r in rows if keep(r)]


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    names = {
        "name": lambda r: r.project.name.lower(),
        "team": lambda r: (r.project.team.name.lower(), r.project.name.lower()),
        "last": lambda r: r.last_assessed.timestamp() if r.last_assessed else None,
        "overall": lambda r: r.overall,
    }
    key = names.get(column, lambda r: r.scores.get(column))
    present = [r for r in rows if key(r) is not None]
    missing = [r for r in rows if key(r) is None]
    # Never-assessed projects stay listed, after the scored ones whichever the direction.
    return sorted(present, key=key, reverse=descending) + missing


def _trends(projects: list[Project], bank: str) -> dict[str, list[tuple[datetime, Decimal | None]]]:
    trends: dict[str, list[tuple[datetime, Decimal | None]]] = {p.name: [] for p in projects}
    names = {p.pk: p.name for p in projects}
    for project_id, submitted_at, overall in (
        AssessmentResult.objects.filter(assessment__project_id__in=names, version__bank__slug=bank)
        .order_by("assessment__submitted_at")
        .values_list("assessment__project_id", "assessment__submitted_at", "overall")
    ):
        trends[names[project_id]].append((submitted_at, overall))
    return trends


def _common_gaps(latest_ids, assessed: int, bank: str, limit: int = 8) -> list[CommonGap]:
    """The questions most projects answer at level 1 or below: one investment, many projects."""
    if not assessed:
        return []
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


def export_rows(data: Portfolio) -> list[dict]:
    """The dashboard's rows as plain data: the same numbers as the page, for CSV and JSON."""
    return [
        {
            "project": row.project.slug,
            "name": row.project.name,
            "team": row.project.team.name,
            "overall": None if row.overall is None else float(row.overall),
            "overall_percentile": row.percentiles.get("overall"),
            "last_assessed": row.last_assessed.isoformat() if row.last_assessed else None,
            "stale": row.stale,
            "categories": {
                key: {"score": None if score is None else float(score), "percentile": pct}
                for key, (score, pct, _level) in zip(data.category_keys, row.cells, strict=True)
            },
        }
        for row in data.rows
    ]


def export_csv(data: Portfolio, rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["project", "name", "team", "overall", "last_assessed", "stale", *data.category_keys]
    )
    for row in rows:
        writer.writerow(
            [row["project"], row["name"], row["team"], row["overall"], row["last_assessed"], row["stale"],
             *[row["categories"][key]["score"] for key in data.category_keys]]
        )  # fmt: skip
    return out.getvalue()
