"""Shared set-up for the Django benchmarks: environment, a throwaway database, timing helpers.

Not a benchmark itself. Each script calls `setup(name, database_url)` before importing anything
from Django or the apps: it sets the environment (DEBUG on, HTTPS off, the test client's host
allowed), empties the database, runs the migrations and returns the database's description.
"""

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parser(description: str, *, analyze: bool = False) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="database to use, e.g. postgres://user:pass@127.0.0.1:5432/paydown_bench; "
        "it is EMPTIED first (default: a throwaway SQLite file under /tmp)",
    )
    if analyze:
        parser.add_argument(
            "--no-analyze",
            action="store_true",
            help="PostgreSQL: do not ANALYZE after seeding, i.e. plan with the statistics of "
            "an empty database, as where autovacuum is off or has not caught up yet",
        )
    return parser


def portfolio_arguments(
    description: str, *, sizes: str, history: int, runs: int, unit: str
) -> tuple[argparse.Namespace, list[int]]:
    """Options shared by the portfolio benchmarks; returns the arguments and the sorted sizes."""
    options = parser(description, analyze=True)
    options.add_argument(
        "--sizes", default=sizes, help=f"portfolio sizes, ascending (default {sizes})"
    )
    options.add_argument(
        "--history", type=int, default=history, help=f"assessments per project ({history})"
    )
    options.add_argument(
        "--runs", type=int, default=runs, help=f"timed {unit} per case (default {runs})"
    )
    args = options.parse_args()
    return args, sorted(int(size) for size in args.sizes.split(","))


def analyze() -> bool:
    """PostgreSQL: refresh the planner's statistics of the app's tables; returns whether it ran.

    Without them (autovacuum off, or not yet run after a bulk load) PostgreSQL plans for the
    empty tables it last saw: the dashboard's latest-result subquery then probes every result of
    the bank once per project, and 1,000 projects take seconds instead of under a fifth of one.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return True


def setup(name: str, database_url: str = "") -> str:
    """Configure and start Django on an empty, migrated database; returns a one-line description."""
    sqlite_path = None
    if not database_url:
        sqlite_path = Path(f"/tmp/paydown-bench-{name}.sqlite3")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{sqlite_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "1"
    os.environ["HTTPS"] = "0"
    os.environ["DATABASE_URL"] = database_url
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "ERROR")  # 4xx warnings would interleave with the table
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    if sqlite_path is None:
        # A server database keeps its rows between runs: start from empty tables every time.
        call_command("flush", verbosity=0, interactive=False)
    vendor = connection.vendor
    where = sqlite_path or connection.settings_dict["NAME"]
    return f"{vendor} {where}, Django {django.get_version()}, Python {sys.version.split()[0]}"


@contextlib.contextmanager
def quiet():
    """Swallow what management commands print (seed_demo lists the demo logins)."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


@dataclass
class Timing:
    seconds: list[float]
    queries: list[int]
    last: object = None  # what the last timed call returned

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def max(self) -> float:
        return max(self.seconds)

    @property
    def query_text(self) -> str:
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"


def measure(fn: Callable[[int], object], runs: int, warmup: int = 1) -> Timing:
    """Call fn(i) warmup + runs times; time the runs and count each run's queries.

    Warm-up calls get negative i, timed ones 0 … runs - 1."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    for i in range(warmup):
        fn(-1 - i)
    seconds, queries, last = [], [], None
    for i in range(runs):
        # The query log keeps the last 9,000 queries only: once full (seeding fills it), a capture
        # would count nothing. Requests empty it themselves; direct calls need it emptied here.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            last = fn(i)
            seconds.append(time.perf_counter() - start)
        queries.append(len(captured.captured_queries))
    return Timing(seconds, queries, last)


def table(headers: list[str], rows: list[list[object]]) -> None:
    """Print a plain table: columns of numbers right-aligned, the others left-aligned."""
    cells = [[str(c) for c in row] for row in [headers, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [
        all(not row[i] or row[i][:1].isdigit() for row in cells[1:]) for i in range(len(headers))
    ]
    for n, row in enumerate(cells):
        line = "  ".join(
            c.rjust(widths[i]) if numeric[i] else c.ljust(widths[i]) for i, c in enumerate(row)
        )
        print(line.rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
