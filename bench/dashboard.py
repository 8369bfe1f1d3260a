"""Time the portfolio dashboard at 10, 100 and 1,000 projects: seconds per request and queries.

Grows one database step by step with `seed_demo --projects N --history H` (the five demo projects
plus N - 5 generated ones, so each step has exactly the portfolio size asked for), timing each
seeding step, then times GET /dashboard/ as bob (manager of one team) and admin (staff, all
teams), a sorted and filtered variant, and the CSV export. The query count should not grow with
the number of projects; the time does. "rows" is what the filters kept of what the user sees:
most seeded histories end 10 to 40 days ago and about a fifth 120 to 200 days ago, so "stale
only" (90 days) keeps that fifth and the variant with stale_days=30 keeps most projects. On PostgreSQL the tables are ANALYZEd after each seeding
step, as autovacuum would (see --no-analyze).

Run from the repository root: .venv/bin/python bench/dashboard.py [--sizes 10,100,1000] [--runs 5]
"""

import time

import _django

VARIANTS = [
    # label, user, path, the filters the view reads from that query string
    ("dashboard", "bob", "/dashboard/", {}),
    ("dashboard", "admin", "/dashboard/", {}),
    (
        "sorted, stale only",
        "admin",
        "/dashboard/?sort=-overall&staleness=stale",
        {"sort": "-overall", "staleness": "stale"},
    ),
    (
        "sorted, stale after 30 d",
        "admin",
        "/dashboard/?sort=-overall&staleness=stale&stale_days=30",
        {"sort": "-overall", "staleness": "stale", "stale_days": 30},
    ),
    ("export.csv", "admin", "/dashboard/export.csv", {}),
]


def main() -> None:
    args, sizes = _django.portfolio_arguments(
        __doc__, sizes="10,100,1000", history=4, runs=5, unit="requests"
    )

    print(_django.setup("dashboard", args.database_url))

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from assessment import access
    from assessment.dashboard import queries as portfolio
    from assessment.models import Assessment
    from projects import demo
    from projects.models import Project

    base = len(demo.PROJECTS)
    if sizes[0] < base:
        raise SystemExit(f"the smallest size must be at least {base}, the demo's own projects")

    seeding = []
    rows = []
    for size in sizes:
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
        seconds = time.perf_counter() - start
        analyzed = not args.no_analyze and _django.analyze()
        projects = Project.objects.count()
        submitted = Assessment.objects.filter(status=Assessment.Status.SUBMITTED).count()
        seeding.append([projects, f"{seconds:.1f}", submitted])

        users = get_user_model().objects.in_bulk(["bob", "admin"], field_name="username")
        clients = {}
        for username, user in users.items():
            clients[username] = Client()
            clients[username].force_login(user)
        for label, username, path, filters in VARIANTS:
            response = clients[username].get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} as {username}: HTTP {response.status_code}")
            # Rows listed (over all pages) of the projects the user sees, built as the view does.
            teams = access.managed_teams(users[username])
            stale_days = {"stale_days": settings.STALE_AFTER_DAYS}
            data = portfolio.build(teams, portfolio.Filters(**{**stale_days, **filters}))
            matched, visible = len(data.rows), data.visible
            timing = _django.measure(lambda _i, c=clients[username], p=path: c.get(p), args.runs)
            rows.append(
                [
                    projects,
                    f"{label} ({username})",
                    f"{matched}/{visible}",
                    f"{timing.median:.3f}",
                    f"{timing.max:.3f}",
                    timing.query_text,
                ]
            )

    print()
    print(
        f"Seeding (seed_demo --history {args.history}, growing one database"
        f"{'; ANALYZE after each step' if analyzed else ''}):"
    )
    _django.table(["projects", "seconds", "submitted assessments"], seeding)
    print()
    print(f"Requests ({args.runs} timed after one warm-up; seconds per request):")
    _django.table(["projects", "request", "rows", "median s", "max s", "queries"], rows)


if __name__ == "__main__":
    main()
