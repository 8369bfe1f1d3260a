"""`make topology-test`: deploy/compose.yaml's topology on one machine without containers, under
load and faults (issue #19, docs/scaling.md).

Brings up a PostgreSQL primary and a streaming replica (two clusters of the machine's PostgreSQL),
a Redis of its own, moto's S3 server, two gunicorn web nodes and two workers, all with the
settings of the compose file; 200 respondents answer 20 assessments across both nodes while four
managers read the dashboard. During the run it kills a worker while it renders a PDF, kills a web
node, stops the replica and stops Redis. Then it checks, and exits 1 when one check fails:
- every acknowledged answer is in the database, and no request answered 5xx (or anything but 200);
- the killed worker's job was finished by the other worker and every job ran once (one PDF each);
- the dashboard read from the replica, then from the primary once it stopped, with a warning;
- the app served on through the Redis outage (sessions from the database);
- a PDF is served from the object store through a presigned URL.
Everything is torn down at the end, also on failure. Run as root (pg_createcluster, su postgres).
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.processes import Children, free_port  # noqa: E402
from deploy.topology import load, seed  # noqa: E402
from deploy.topology.postgres import Clusters, version  # noqa: E402

BIN = Path(sys.executable).parent
BUCKET = "paydown-reports"
WORKERS = ("topology-worker-1", "topology-worker-2")
LOGS = "/tmp/paydown-topology-"


def app_environment(clusters: Clusters, redis_port: int, s3_port: int, web_port: int) -> dict:
    """The app's settings for this run: deploy/compose.yaml's, with loopback addresses, no TLS,
    and a worker given up for lost after 5 s instead of 60 (a run lasts two minutes)."""
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PAYDOWN_BASE_URL": f"http://127.0.0.1:{web_port}",
        "DATABASE_URL": clusters.primary_url,
        "DATABASE_REPLICA_URL": clusters.replica_url,
        "DATABASE_POOL_SIZE": "4",
        "REPLICA_PIN_SECONDS": "10",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "topology",
        "AWS_SECRET_ACCESS_KEY": "topology",
        "AWS_QUERYSTRING_EXPIRE": "60",
        "WORKER_HEARTBEAT_SECONDS": "1",
        "WORKER_LOST_AFTER_SECONDS": "5",
        "LOG_LEVEL": "INFO",
    }


def manage(*args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, check=True)


def wait_for_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f} s")


class Checks:
    def __init__(self) -> None:
        self.results: list[tuple[str, bool, str]] = []

    def check(self, name: str, passed: bool, detail: str = "") -> None:
        self.results.append((name, bool(passed), detail))
        print(f"  {'PASS' if passed else 'FAIL'}  {name}{f': {detail}' if detail else ''}")

    @property
    def passed(self) -> bool:
        return all(passed for _name, passed, _detail in self.results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120, help="load duration (120)")
    parser.add_argument("--think", type=float, default=6.0, help="mean pause between actions (6 s)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("make topology-test runs as root: it creates PostgreSQL clusters.")
        return 2

    started = time.monotonic()
    clusters = Clusters(version(), free_port(), free_port())
    children = Children(log_prefix=LOGS)
    try:
        return run(args, clusters, children, started)
    finally:
        children.stop()
        clusters.drop()
        print(f"topology: torn down; {time.monotonic() - started:.0f} s in all")


def run(args, clusters: Clusters, children: Children, started: float) -> int:
    print(
        f"topology: PostgreSQL {clusters.version} primary :{clusters.primary_port}, replica "
        f":{clusters.replica_port}"
    )
    clusters.create()
    redis_port, s3_port, web_ports = free_port(), free_port(), [free_port(), free_port()]
    children.start(
        "redis",
        [
            "redis-server",
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        env=dict(os.environ),
    )
    children.start(
        "s3",
        [str(BIN / "python"), "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)],
        env=dict(os.environ),
    )
    environment = app_environment(clusters, redis_port, s3_port, web_ports[0])
    os.environ.update(environment)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    manage("migrate", "--no-input", "-v", "0")
    manage("collectstatic", "--no-input", "-v", "0")
    wait_for_http(f"http://127.0.0.1:{s3_port}/moto-api/")

    import boto3
    import django

    django.setup()
    from django.db import connections

    s3 = boto3.client(
        "s3",
        endpoint_url=environment["AWS_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="topology",
        aws_secret_access_key="topology",
    )
    s3.create_bucket(Bucket=BUCKET)
    cast = seed.build()
    connections.close_all()
    print(
        f"topology: {len(cast.respondents)} respondents, {len(cast.managers)} managers, "
        f"{len(cast.submitted_results)} audit PDFs queued; set up in "
        f"{time.monotonic() - started:.0f} s"
    )

    env = dict(os.environ)
    for n, port in enumerate(web_ports, 1):
        children.start(
            f"web-{n}",
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-tmp-dir",
                "/dev/shm",
            ],
            env=env,
        )
    for worker_id in WORKERS:
        children.start(
            worker_id,
            [str(BIN / "python"), "manage.py", "worker", "--worker-id", worker_id],
            env=env,
        )
    for port in web_ports:
        wait_for_http(f"http://127.0.0.1:{port}/healthz")

    figures = load.Figures()
    faults = Faults(clusters, children, args.seconds)
    threads = load.start(cast, web_ports, figures, seconds=args.seconds, think=args.think)
    faults.run(redis_port)
    for thread in threads:
        thread.join()
    faults.cpu["end"] = cpu_seconds(children.processes["web-2"].pid)
    load_seconds = time.monotonic() - faults.load_started
    print(f"topology: load ran {load_seconds:.0f} s; checking")
    return report(cast, figures, faults, load_seconds, web_ports[1], s3)


class Faults:
    """The run's faults, at fixed points of the load (which starts with it): a worker while it
    renders, a web node at 30 %, the replica at 50 %, Redis at 70 %. Samples the replica's lag
    and the rows it has returned meanwhile."""

    def __init__(self, clusters: Clusters, children: Children, seconds: float) -> None:
        self.clusters, self.children, self.seconds = clusters, children, seconds
        self.replica_rows_before = clusters.rows_read(clusters.replica_port)
        self.load_started = time.monotonic()
        self.lags: list[tuple[float, int]] = []  # (seconds, bytes) behind the primary
        self.at: dict[str, float] = {}
        self.cpu: dict[str, float] = {}  # web node 2's CPU seconds at each fault
        self.killed_job = ""
        self.replica_rows_at_stop = 0

    def wait_until(self, fraction: float) -> None:
        while time.monotonic() < self.load_started + fraction * self.seconds:
            if "replica" not in self.at:
                lag = self.clusters.replica_lag()
                if lag is not None:
                    self.lags.append(lag)
            time.sleep(1)

    def mark(self, fault: str, text: str) -> None:
        self.at[fault] = time.monotonic()
        self.cpu[fault] = cpu_seconds(self.children.processes["web-2"].pid)
        print(f"topology: {text} at {self.at[fault] - self.load_started:.0f} s")

    def run(self, redis_port: int) -> None:
        from django.db import connections
        from django_tasks_db.models import DBTaskResult

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not self.killed_job:
            running = DBTaskResult.objects.filter(status="RUNNING").values_list("id", "worker_ids")
            self.killed_job = next(
                (str(pk) for pk, ids in running if ids and ids[-1] == WORKERS[0]), ""
            )
            time.sleep(0.05)
        connections.close_all()
        self.children.kill(WORKERS[0])
        self.mark("worker", f"{WORKERS[0]} killed while running job {self.killed_job or '(none)'}")
        self.wait_until(0.3)
        self.children.kill("web-1")
        self.mark("web", "web node 1 killed")
        self.wait_until(0.5)
        self.replica_rows_at_stop = self.clusters.rows_read(self.clusters.replica_port)
        self.clusters.stop_replica()
        self.mark("replica", "replica stopped")
        self.wait_until(0.7)
        self.redis_keys = int(
            subprocess.run(
                ["redis-cli", "-p", str(redis_port), "dbsize"], capture_output=True, text=True
            ).stdout.strip()
            or 0
        )
        self.children.kill("redis")
        self.mark("redis", "Redis killed")


def report(cast, figures, faults: Faults, load_seconds: float, live_port: int, s3) -> int:
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from assessment.models import Answer, ReportJob

    checks = Checks()
    saved = {
        (user, assessment, key): f"{value.normalize():f}" if value is not None else ""
        for user, assessment, key, value in Answer.objects.filter(
            assessment_id__in={p.assessment_id for p in cast.respondents}
        ).values_list("respondent__username", "assessment_id", "question__key", "level_value")
    }
    certain = {k: v for k, v in figures.acknowledged.items() if k not in figures.unknown}
    lost = [k for k, v in certain.items() if saved.get(k) != v]
    checks.check(
        "no acknowledged answer lost",
        not lost,
        f"{len(certain)} acknowledged, {len(lost)} missing or different",
    )
    statuses = {kind: dict(counts) for kind, counts in figures.statuses.items()}
    errors = sum(n for counts in statuses.values() for code, n in counts.items() if code >= 500)
    other = sum(n for counts in statuses.values() for code, n in counts.items() if code != 200)
    checks.check(
        "no 5xx", errors == 0, f"{errors} of {sum(map(sum, map(dict.values, statuses.values())))}"
    )
    checks.check(
        "every request answered 200",
        other == 0 and figures.gave_up == 0,
        f"status counts {statuses}, {figures.gave_up} given up",
    )

    def served_after(fault: str, kind: str) -> int:
        return sum(1 for at, _s in figures.seconds[kind] if at > faults.at[fault])

    checks.check(
        "requests failed over from the killed web node",
        figures.failovers > 0 and served_after("web", "autosave") > 0,
        f"{figures.failovers} sent again to the other node, "
        f"{served_after('web', 'autosave')} autosaves after the kill",
    )

    deadline = time.monotonic() + 90
    while (
        time.monotonic() < deadline
        and DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists()
    ):
        time.sleep(1)
    jobs = list(DBTaskResult.objects.values_list("id", "status", "worker_ids"))
    jobs_timed = list(
        DBTaskResult.objects.filter(task_path__endswith="render_assessment_report").values_list(
            "started_at", "finished_at"
        )
    )
    killed_status, killed = next(
        ((status, ids) for pk, status, ids in jobs if str(pk) == faults.killed_job), ("", None)
    )
    checks.check(
        "the killed worker's job was finished by the other",
        killed == [WORKERS[0], WORKERS[1]] and killed_status == "SUCCESSFUL",
        f"job {faults.killed_job or '(none)'}: workers {killed}",
    )
    twice = [pk for pk, _status, ids in jobs if len(ids) > 1 and str(pk) != faults.killed_job]
    objects = s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)
    done = ReportJob.objects.filter(status=ReportJob.Status.DONE).count()
    checks.check(
        "every job ran once, one PDF each",
        not twice
        and all(s == "SUCCESSFUL" for _pk, s, _ids in jobs)
        and objects == done == len(cast.submitted_results),
        f"{len(jobs)} jobs, {len(twice)} run twice, {done} reports done, "
        f"{objects} objects in the bucket",
    )

    replica_rows = faults.replica_rows_at_stop - faults.replica_rows_before
    checks.check(
        "dashboards read from the replica",
        replica_rows > 1000,
        f"{replica_rows} rows returned by the replica before it stopped",
    )
    warned = sum(
        faults.children.logs[f"web-{n}"]
        .read_text(errors="replace")
        .count("The read replica did not answer")
        for n in (1, 2)
    )
    checks.check(
        "reads fell back to the primary when the replica stopped",
        warned > 0 and served_after("replica", "dashboard") > 0,
        f"{served_after('replica', 'dashboard')} dashboards after, {warned} warnings",
    )
    checks.check(
        "served through the Redis outage",
        faults.redis_keys > 0 and served_after("redis", "autosave") > 0,
        f"{faults.redis_keys} keys in Redis before, "
        f"{served_after('redis', 'autosave')} autosaves and "
        f"{served_after('redis', 'dashboard')} dashboards after",
    )

    result = (
        ReportJob.objects.filter(
            status=ReportJob.Status.DONE, requested_by__username=cast.managers[0][0]
        )
        .select_related("result")
        .first()
    )
    connections.close_all()
    checks.check(*in_a_browser(cast.managers[0][1], result.result.assessment_id, live_port))

    lags = faults.lags
    figures_out = {
        "load_seconds": round(load_seconds),
        "respondents": len(cast.respondents),
        "managers": len(cast.managers),
        "requests": {kind: len(v) for kind, v in figures.seconds.items()},
        "requests_per_second": round(sum(map(len, figures.seconds.values())) / load_seconds, 1),
        "failovers": figures.failovers,
        "replica_lag_max_seconds": round(max(s for s, _b in lags), 3) if lags else None,
        "replica_lag_max_bytes": max(b for _s, b in lags) if lags else None,
        "pdf_render_seconds": render_seconds(jobs_timed),
        "replica_rows_read": replica_rows,
    }
    for kind, timed in figures.seconds.items():
        seconds = [s for _at, s in timed]
        figures_out[kind] = {
            "p50_ms": round(load.percentile(seconds, 0.5) * 1000),
            "p95_ms": round(load.percentile(seconds, 0.95) * 1000),
            "max_ms": round(max(seconds) * 1000),
        }
    figures_out["phases"] = phases(figures, faults, load_seconds)
    print("topology: figures")
    print(json.dumps(figures_out, indent=2))
    out = ROOT / "var" / "topology-figures.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"figures": figures_out, "checks": checks.results}, indent=2))
    print(f"topology: {'PASS' if checks.passed else 'FAIL'} ({out.relative_to(ROOT)})")
    return 0 if checks.passed else 1


def in_a_browser(session: str, assessment_id: int, port: int) -> tuple[str, bool, str]:
    """Chromium, signed in as the manager, opens a result on the surviving node and downloads
    its PDF: the app redirects to a link signed for the object store, which sends the file."""
    from playwright.sync_api import Error, sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path

    name = "a PDF served through a presigned link, in Chromium"
    if not chromium_path():
        return name, False, "chromium not found (apt-get install chromium)"
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(accept_downloads=True, base_url=base)
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            page = context.new_page()
            page.goto(f"/assessments/{assessment_id}/results/")
            with page.expect_download() as started:
                page.click('a[href$="report.pdf"]')
            download = started.value
            body = Path(download.path()).read_bytes()
        except Error as error:
            return name, False, str(error).splitlines()[0]
        finally:
            browser.close()
    signed = "X-Amz-Signature" in download.url
    return (
        name,
        body.startswith(b"%PDF") and signed,
        (
            f"{download.suggested_filename}, {len(body)} bytes, {'signed' if signed else 'unsigned'} "
            f"link to {download.url.split('?')[0]}"
        ),
    )


def phases(figures, faults, load_seconds: float) -> list[dict]:
    """Throughput and latency between the faults: what two nodes, then one, served; with one
    node, the CPU it spent per request (its processes' user and system time)."""
    edges = [
        ("2 web nodes, replica", "start", faults.load_started),
        ("1 web node, replica", "web", faults.at["web"]),
        ("1 web node, primary only", "replica", faults.at["replica"]),
        ("1 web node, primary only, no Redis", "redis", faults.at["redis"]),
    ]
    ends = [*edges[1:], ("", "end", faults.load_started + load_seconds)]
    out = []
    for (name, fault, start), (_next, until, stop) in zip(edges, ends, strict=True):
        row = {"phase": name, "seconds": round(stop - start)}
        served = 0
        for kind in ("autosave", "dashboard", "questionnaire"):
            seconds = [s for at, s in figures.seconds[kind] if start <= at < stop]
            served += len(seconds)
            row[kind] = {
                "per_second": round(len(seconds) / max(stop - start, 1e-9), 1),
                "p95_ms": round(load.percentile(seconds, 0.95) * 1000),
            }
        if fault in faults.cpu and served:
            cpu = faults.cpu[until] - faults.cpu[fault]
            row["web_node_cpu_ms_per_request"] = round(cpu * 1000 / served, 1)
            row["web_node_cpu_share"] = round(cpu / max(stop - start, 1e-9), 2)
        out.append(row)
    return out


def render_seconds(jobs: list[tuple]) -> dict:
    """The audit PDFs' render times on the workers (a reclaimed job's last run)."""
    seconds = [(end - start).total_seconds() for start, end in jobs if start and end]
    return {
        "p50": round(load.percentile(seconds, 0.5), 2),
        "max": round(max(seconds, default=0), 2),
    }


def cpu_seconds(group: int) -> float:
    """User and system CPU seconds of the processes in a process group (a gunicorn node)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[2]) == group:  # pgrp; utime and stime follow at 11 and 12
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    sys.exit(main())
