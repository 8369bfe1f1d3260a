"""Time the PDF reports: one assessment's audit report, and portfolio reports of 50, 200 and 500
projects. Prints seconds (median/max), queries, pages (counted with pypdf) and PDF size.

Grows one database with `seed_demo --projects N --history H` (the five demo projects plus N - 5
generated ones). The audit report is that of the query ranker's latest submitted assessment of
the default bank (two respondents, tracked actions from the one before). Portfolio reports are
rendered as the background worker does, for admin (every team) with the default filters; the
data they are built from (`portfolio.build`) is timed on its own line.

Run from the repository root: .venv/bin/python bench/reports.py [--sizes 50,200,500] [--runs 3]
"""

import io
import logging
import time

import _django


def main() -> None:
    args, sizes = _django.portfolio_arguments(
        __doc__, sizes="50,200,500", history=2, runs=3, unit="renders"
    )

    print(_django.setup("reports", args.database_url))

    import pypdf
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from assessment.dashboard import queries as portfolio
    from assessment.models import Assessment
    from assessment.reports import pdf as reports
    from projects import demo
    from projects.models import Project

    base = len(demo.PROJECTS)
    if sizes[0] < base:
        raise SystemExit(f"the smallest size must be at least {base}, the demo's own projects")

    def pages(pdf: bytes) -> int:
        return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)

    # WeasyPrint logs what it cannot draw (and goes on): count it per render instead of printing.
    errors: list[str] = []

    class Errors(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            errors.append(record.getMessage())

    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addHandler(Errors(level=logging.ERROR))
    weasyprint_log.propagate = False
    seen: dict[str, int] = {}

    def render_errors(before: int, renders: int) -> str:
        for message in errors[before:]:
            seen[message] = seen.get(message, 0) + 1
        return f"{(len(errors) - before) / renders:g}"

    rows = []
    seeding = []
    for n, size in enumerate(sizes):
        start = time.perf_counter()
        with _django.quiet():
            call_command(
                "seed_demo",
                "--force",
                "--projects",
                str(size - base),
                "--history",
                str(args.history),
            )
        seeding.append([Project.objects.count(), f"{time.perf_counter() - start:.1f}"])
        analyzed = not args.no_analyze and _django.analyze()

        if n == 0:
            assessment = (
                Assessment.objects.filter(
                    project__slug="query-ranker",
                    status=Assessment.Status.SUBMITTED,
                    version__bank__slug=portfolio.DEFAULT_BANK,
                )
                .select_related("project", "version")
                .order_by("-submitted_at")
                .first()
            )
            before = len(errors)
            timing = _django.measure(
                lambda _i, a=assessment: reports.assessment_report_pdf(a), args.runs
            )
            pdf = timing.last
            rows.append(
                [
                    f"assessment #{assessment.pk} ({assessment.project.slug}, "
                    f"{assessment.version.questions.count()} questions)",
                    "",
                    f"{timing.median:.2f}",
                    f"{timing.max:.2f}",
                    timing.query_text,
                    pages(pdf),
                    f"{len(pdf) / 1024:.0f}",
                    render_errors(before, args.runs + 1),
                ]
            )

        admin = get_user_model().objects.get(username="admin")
        teams = portfolio.managed_teams(admin)
        timing = _django.measure(
            lambda _i, t=teams: portfolio.build(t, portfolio.Filters()), args.runs
        )
        data = portfolio.build(teams, portfolio.Filters())
        projects = len(data.rows)
        rows.append(
            [
                "  portfolio.build (the report's data)",
                projects,
                f"{timing.median:.2f}",
                f"{timing.max:.2f}",
                timing.query_text,
                "",
                "",
                "",
            ]
        )
        # No warm-up: the audit report above has loaded WeasyPrint, the fonts and the templates.
        before = len(errors)
        timing = _django.measure(
            lambda _i, d=data: reports.portfolio_report_pdf(d, requested_by="bench"),
            args.runs,
            warmup=0,
        )
        pdf = timing.last
        rows.append(
            [
                "portfolio_report_pdf",
                projects,
                f"{timing.median:.2f}",
                f"{timing.max:.2f}",
                timing.query_text,
                pages(pdf),
                f"{len(pdf) / 1024:.0f}",
                render_errors(before, args.runs),
            ]
        )

    print()
    print(
        f"Seeding (seed_demo --history {args.history}, growing one database"
        f"{'; ANALYZE after each step' if analyzed else ''}):"
    )
    _django.table(["projects", "seconds"], seeding)
    print()
    print(
        f"Reports ({args.runs} timed renders each; one warm-up render of the audit report first;"
        " seconds per render):"
    )
    _django.table(
        ["report", "projects", "median s", "max s", "queries", "pages", "KB", "errors"], rows
    )
    if seen:
        print()
        print("WeasyPrint errors (per render in the last column; it draws on without the part):")
        for message, count in seen.items():
            print(f"  {count} × {message}")


if __name__ == "__main__":
    main()
