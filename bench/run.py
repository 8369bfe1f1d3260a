"""`make bench`: every figure of issue #12 as a ratio of two measurements taken back to back.

Builds its own data in an empty database, serves it with gunicorn (2 sync workers, bench.settings:
DEBUG off, the floor view added), runs one `manage.py db_worker` at nice 10, logs in over HTTP and
times real requests. Each of the repetitions measures A then B (B then A on odd ones), so machine
noise hits both; the table gives the median ratio with its min–max and PASS/FAIL against the
target. Absolute times are printed for reading only; no test depends on them.

    .venv/bin/python bench/run.py            # full: 10 and 10,000 projects, 5 repetitions
    .venv/bin/python bench/run.py --quick    # CI: 10 and 1,000 projects, 3 repetitions
    .venv/bin/python bench/run.py --database-url postgres://user:pass@127.0.0.1:5432/db
"""

import argparse
import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == ROOT / "bench":
    sys.path[0] = str(
        ROOT
    )  # run as a script: import bench.* as a package, never bench/ modules bare
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.output import KB, report, show  # noqa: E402 (after the path is set)
from bench.processes import Children, free_port, nice_of  # noqa: E402

SQLITE_PATH = Path("/tmp/paydown-bench.sqlite3")
MEDIA_ROOT = Path("/tmp/paydown-bench-media")
PAGE_LIMIT = 150 * KB


def arguments() -> argparse.Namespace:
    options = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    options.add_argument(
        "--quick", action="store_true", help="CI: 1,000 projects, 3 repetitions, fewer samples"
    )
    options.add_argument("--reps", type=int, help="repetitions (default 5, quick 3)")
    options.add_argument(
        "--projects", type=int, help="the large portfolio (default 10,000, quick 1,000)"
    )
    options.add_argument(
        "--database-url",
        default="",
        help="e.g. postgres://user:pass@127.0.0.1:5432/paydown_bench; it is EMPTIED first "
        f"(default: a new SQLite file, {SQLITE_PATH})",
    )
    options.add_argument(
        "--only",
        default="",
        help="comma-separated phases to run (questionnaire, autosave, concurrent, fill, "
        "results, pdf, dashboard, exports); default all",
    )
    options.add_argument(
        "--strict", action="store_true", help="exit 1 when a target fails (always 2 on an error)"
    )
    args = options.parse_args()
    args.reps = args.reps or (3 if args.quick else 5)
    args.projects = args.projects or (1_000 if args.quick else 10_000)
    return args


# --- database -----------------------------------------------------------------------------------


def environment(database_url: str) -> dict[str, str]:
    if not database_url:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{SQLITE_PATH}"
    shutil.rmtree(MEDIA_ROOT, ignore_errors=True)
    MEDIA_ROOT.mkdir(parents=True)
    os.environ.update(
        MEDIA_ROOT=str(MEDIA_ROOT),
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    os.chdir(ROOT)
    return dict(os.environ)


def prepare(args: argparse.Namespace) -> "tuple[object, str]":
    """Migrate an empty database, collect the static files, build the data; returns the cast."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections

    from bench import _django, seed

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor != "sqlite":
        call_command("flush", verbosity=0, interactive=False)  # a server database keeps rows
    seed.create_floor_table(settings.FLOOR_TABLE)
    migrated = time.perf_counter()
    # Hashed and compressed as in production; kept between runs while static/ is unchanged.
    stamp_file = Path(settings.STATIC_ROOT) / "bench-source.txt"
    stamp = static_stamp()
    if not stamp_file.exists() or stamp_file.read_text() != stamp:
        call_command("collectstatic", verbosity=0, interactive=False, clear=True)
        stamp_file.write_text(stamp)
    collected = time.perf_counter()
    cast = seed.build(portfolio_sizes=(10, args.projects), report_assessments=2 * args.reps + 2)
    analyzed = _django.analyze()  # PostgreSQL: statistics as autovacuum would leave them
    seeded = time.perf_counter()
    where = connection.settings_dict["NAME"]
    description = (
        f"{connection.vendor} {where}, Django {django.get_version()}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; migrate "
        f"{migrated - started:.1f} s, collectstatic {collected - migrated:.1f} s, data "
        f"{seeded - collected:.1f} s (10 + {args.projects:,} projects"
        f"{', ANALYZE' if analyzed else ''})"
    )
    connections.close_all()  # gunicorn and the worker take over the database
    return cast, description


def static_stamp() -> str:
    """What the collected files were collected from: this checkout's static/, names, sizes, times."""
    files = sorted(p for p in (ROOT / "static").rglob("*") if p.is_file())
    listing = "\n".join(
        f"{p.relative_to(ROOT)} {p.stat().st_size} {p.stat().st_mtime_ns}" for p in files
    )
    return hashlib.sha256(f"{ROOT}\n{listing}".encode()).hexdigest()


def task_windows(since: float, until: float) -> list[tuple[float, float]]:
    """Wall-clock spans of the worker's tasks started between since and until."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        started_at__gte=datetime.fromtimestamp(since, UTC),
        started_at__lte=datetime.fromtimestamp(until, UTC),
    ).values_list("started_at", "finished_at")
    spans = [(s.timestamp(), f.timestamp() if f else until) for s, f in rows]
    connections.close_all()
    return spans


# --- the run ------------------------------------------------------------------------------------


def main() -> int:
    args = arguments()
    phases = set(args.only.split(",")) if args.only else None

    def wanted(phase: str) -> bool:
        return phases is None or phase in phases

    began = time.perf_counter()
    env = environment(args.database_url)
    children = Children()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so `finally` ends the children
    try:
        cast, description = prepare(args)
        print(description, flush=True)

        from bench import figures as fg
        from bench import inprocess, seed
        from bench.web import Session, expect

        port = free_port()
        children.start(
            "gunicorn",
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--timeout", "120", "--worker-tmp-dir", "/dev/shm"],
            env,
        )
        worker = children.start(
            "worker",
            ["nice", "-n", "10", sys.executable, "manage.py", "db_worker", "--no-reload"],
            env,
        )
        deadline = time.monotonic() + 60
        while True:
            children.check("gunicorn")
            with contextlib.suppress(OSError):
                if Session(port).get("/healthz").status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn not up in 60 s:\n{children.tail('gunicorn')}")
            time.sleep(0.2)
        children.check("worker")
        print(
            f"gunicorn on 127.0.0.1:{port} (2 sync workers); db_worker pid {worker.pid} at nice "
            f"{nice_of(worker.pid)}",
            flush=True,
        )

        def login(user: str) -> Session:
            session = Session(port)
            session.login(user, seed.PASSWORD)
            return session

        small, large = 10, args.projects
        sizes = (small, large)
        team5, team100 = cast.respondents[5], cast.respondents[100]
        readers = {5: login(team5[0]), 100: login(team100[0])}
        crowd = [readers[100]] + [login(user) for user in team100[1:20]]
        reader = login(cast.reader)
        pdf_reader = login(cast.reader)
        managers = {size: login(cast.managers[size]) for size in sizes}
        cookies = {
            size: "; ".join(f"{k}={v}" for k, v in managers[size].cookies.items()) for size in sizes
        }

        writers = {
            "at5": fg.Answering(readers[5], cast, 5, team5[0]),
            "at100": fg.Answering(readers[100], cast, 100, team100[0]),
            "floor": fg.Floor(readers[100]),
        }
        crowd_answering = [
            fg.Answering(s, cast, 100, user, offset=7 * i)
            for i, (s, user) in enumerate(zip(crowd, team100[:20], strict=True))
        ]
        crowd_floors = [fg.Floor(s) for s in crowd]

        F = fg.Figure
        q_time = F("questionnaire GET", "5 resp.", "100 resp.", "s", 1.2)
        q_size = F(
            "questionnaire page size", "5 resp.", "100 resp.", "B", 0, absolute_limit=PAGE_LIMIT
        )
        a_scale = F("autosave p50", "5 resp.", "100 resp.", "s", 1.2)
        a_floor = F("autosave p50 vs floor, c=1", "floor", "autosave", "s", 3)
        a_c20 = F("autosave p95 vs floor, c=20", "floor", "autosave", "s", 3)
        a_fill = F("48-answer fill vs 48 floor writes", "floor", "fill", "s", 3)
        r_pdf = F("results p50 while 2 PDFs render", "alone", "during", "s", 1.5)
        p_render = F("PDF render vs WeasyPrint alone", "WeasyPrint", "full", "s", 1.15)
        d_time = F(f"dashboard {large:,} vs {small} projects", f"{small}", f"{large:,}", "s", 2)
        e_csv = F(f"export.csv peak RSS {large:,} vs {small}", f"{small}", f"{large:,}", "MB", 1.2)
        e_json = F(
            f"export.json peak RSS {large:,} vs {small}", f"{small}", f"{large:,}", "MB", 1.2
        )
        plan = [
            ("questionnaire", [q_time, q_size]),
            ("autosave", [a_scale, a_floor]),
            ("concurrent", [a_c20]),
            ("fill", [a_fill]),
            ("results", [r_pdf]),
            ("pdf", [p_render]),
            ("dashboard", [d_time]),
            ("exports", [e_csv, e_json]),
        ]
        figures = [f for phase, figs in plan if wanted(phase) for f in figs]

        # Warm-up: every request once per gunicorn worker (templates, imports, the first
        # WeasyPrint font load), two PDFs through whichever path renders them.
        print("warming up", flush=True)
        for _ in range(2):
            for team in (5, 100):
                expect(
                    readers[team].get(f"/assessments/{cast.open_assessments[team]}/"),
                    200,
                    "questionnaire",
                )
            for name, writer in writers.items():
                expect(writer.save(), 200, name)
            expect(reader.get(f"/assessments/{cast.results_assessment}/results/"), 200, "results")
            if wanted("dashboard"):
                for size in sizes:
                    expect(managers[size].get("/dashboard/"), 200, "dashboard")
        if wanted("results"):
            outcomes: list = [None, None]
            threads = [
                threading.Thread(
                    target=fg._fetch_pdf,
                    args=(pdf_reader, f"/assessments/{pk}/report.pdf", 1.0, outcomes, i),
                )
                for i, pk in enumerate(cast.report_assessments[:2])
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            for outcome in outcomes:
                if isinstance(outcome, Exception):
                    raise outcome
        if wanted("pdf"):
            full, _html, _weasy = inprocess.report_functions(cast.results_assessment)
            full()

        # Samples per side and repetition: page p50s, sequential saves, saves per client at c=20,
        # results pages alone (one every 0.1 s).
        n, n_saves, per_client, n_alone = (5, 10, 3, 10) if args.quick else (8, 20, 5, 20)
        reports = iter(cast.report_assessments[2:])
        query_counts: dict[int, set] = {}
        for rep in range(args.reps):
            print(f"repetition {rep + 1} of {args.reps}", flush=True)
            steps = [
                (
                    "questionnaire",
                    lambda rep: fg.questionnaire(q_time, q_size, readers, cast, rep, n),
                ),
                ("autosave", lambda rep: fg.autosave(a_scale, a_floor, writers, rep, n_saves)),
                (
                    "concurrent",
                    lambda rep: fg.concurrent(
                        a_c20, crowd_floors, crowd_answering, rep, per_client
                    ),
                ),
                ("fill", lambda rep: fg.fill(a_fill, writers["floor"], writers["at100"], rep)),
                (
                    "results",
                    lambda rep: fg.results_during_pdfs(
                        r_pdf,
                        reader,
                        pdf_reader,
                        cast,
                        [next(reports), next(reports)],
                        rep,
                        n_alone,
                        task_windows,
                    ),
                ),
                ("pdf", lambda rep: inprocess.pdf_render(p_render, cast.results_assessment, rep)),
                (
                    "dashboard",
                    lambda rep: query_counts.update(fg.dashboard(d_time, managers, sizes, rep, 3)),
                ),
                (
                    "exports",
                    lambda rep: (
                        inprocess.export_memory(
                            e_csv, "/dashboard/export.csv", cookies, sizes, rep
                        ),
                        inprocess.export_memory(
                            e_json, "/dashboard/export.json", cookies, sizes, rep
                        ),
                    ),
                ),
            ]
            for phase, step in steps:
                if not wanted(phase):
                    continue
                phase_figures = dict(plan)[phase]
                if any(f.error for f in phase_figures):
                    continue  # failed in an earlier repetition: keep its first error
                children.check("gunicorn")
                children.check("worker")
                try:
                    step(rep)
                except Exception as error:  # whatever broke, the other phases still run
                    message = f"repetition {rep + 1}: {type(error).__name__}: {error}"[:500]
                    for f in phase_figures:
                        f.error = message
                    print(f"  {phase}: {message}", flush=True)

        if wanted("exports"):
            for fig, fmt in ((e_csv, "csv"), (e_json, "json")):
                with contextlib.suppress(RuntimeError):
                    traced = [
                        inprocess.traced_peak(f"/dashboard/export.{fmt}", cookies[size])
                        for size in sizes
                    ]
                    fig.notes.append(
                        "Python allocations at peak (tracemalloc, once): "
                        + ", ".join(
                            f"{size:,} projects {show(t, 'MB')}"
                            for size, t in zip(sizes, traced, strict=True)
                        )
                    )
        if query_counts:
            d_time.notes.append(
                "queries per request (bench.middleware), last repetition: "
                + ", ".join(f"{s:,} projects {sorted(c)}" for s, c in query_counts.items())
            )
        q_size.notes.append(f"target: every page ≤ {PAGE_LIMIT // KB} KB; ratio for reading only")
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        header = [
            f"make bench{' --quick' if args.quick else ''}: {args.reps} repetitions, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {commit or 'no git'}",
            description,
            f"gunicorn 2 sync workers; db_worker at nice {nice_of(worker.pid)}; "
            f"page p50s over {n} requests, saves over {n_saves}, c=20 over 20 × {per_client}",
        ]
        report(figures, header, time.perf_counter() - began)
        if any(f.passed is None for f in figures):
            return 2
        return 1 if args.strict and not all(f.passed for f in figures) else 0
    finally:
        children.stop()


if __name__ == "__main__":
    sys.exit(main())
