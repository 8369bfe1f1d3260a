"""The worker tests' queue: a task that remembers each run, workers in threads, lost jobs."""

import threading
import time
from datetime import timedelta

from django.db import connection
from django.utils import timezone
from django_tasks import task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from scheduler.models import WorkerHeartbeat

# (job id, worker id) per run. The workers of these tests are threads of the test process, so a
# list sees every run; list.append is atomic.
RUNS: list[tuple[str, str]] = []


@task(takes_context=True)
def record_run(context) -> None:
    RUNS.append((context.task_result.id, context.task_result.worker_ids[-1]))


@task(takes_context=True)
def record_run_once_the_heartbeat_is_there(context) -> None:
    """A job that lasts until its worker's heartbeat row is written (at most 5 s): it records
    its run only if the heartbeat thread ran beside it."""
    worker_id = context.task_result.worker_ids[-1]
    for _ in range(100):
        if WorkerHeartbeat.objects.filter(worker_id=worker_id).exists():
            RUNS.append((context.task_result.id, worker_id))
            return
        time.sleep(0.05)


def work_off_the_queue(worker_id: str) -> None:
    """django-tasks-db's worker loop in batch mode (until the queue is empty), as `manage.py
    worker` runs it, on this thread's own connection."""
    try:
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        ).run()
    finally:
        connection.close()


def run_workers(*worker_ids: str) -> None:
    """The workers in threads at once, each until the queue is empty (their loop closes the
    connection between jobs, so never in the test's own thread)."""
    threads = [threading.Thread(target=work_off_the_queue, args=(w,)) for w in worker_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)


def running_job(*, worker_ids: list[str], started_ago: timedelta) -> DBTaskResult:
    """A `record_run` job that these workers claimed in turn, the last one `started_ago`."""
    job_id = record_run.enqueue().id
    DBTaskResult.objects.filter(pk=job_id).update(
        status="RUNNING", worker_ids=worker_ids, started_at=timezone.now() - started_ago
    )
    return DBTaskResult.objects.get(pk=job_id)


def heartbeat(worker_id: str, *, seen_ago: timedelta) -> WorkerHeartbeat:
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id, host="worker-host", pid=4242, seen_at=timezone.now() - seen_ago
    )
