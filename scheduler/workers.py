"""Many workers on one queue: each worker's heartbeat, the jobs of a lost worker put back, pruning.

django-tasks-db claims a job with `select_for_update(skip_locked=True)`, so two live workers never
take the same job, but a job whose worker died stays RUNNING for ever. Here every worker records a
heartbeat, and as often looks for RUNNING jobs whose worker has been silent for
WORKER_LOST_AFTER_SECONDS: those go back to READY (another worker runs them again: at least once
for work that crashed), or are failed after TASK_MAX_ATTEMPTS tries, so a job that kills its
worker does not loop. A worker that cannot record its heartbeat for nearly that long stops
itself, so that a job is never run by two live workers at once."""

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Now
from django_tasks.signals import task_finished
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from scheduler import schedule
from scheduler.models import Occurrence, WorkerHeartbeat

logger = logging.getLogger(__name__)

# A dead worker's row only tells a person which worker it was; after a day nobody asks.
HEARTBEAT_KEPT = timedelta(days=1)


class WorkerLost(Exception):
    """Recorded as the error of a job whose worker was lost on its last allowed attempt."""


def beat(worker_id: str) -> None:
    """Record that this worker is alive, now by the database's clock."""
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=Now()):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=socket.gethostname(), pid=os.getpid(), seen_at=Now()
        )


def forget(worker_id: str) -> None:
    """A worker that shuts down cleanly leaves no row: it runs nothing any more."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def _lost_since() -> CombinedExpression:
    return Now() - timedelta(seconds=settings.WORKER_LOST_AFTER_SECONDS)


def _lost_jobs(candidates) -> list[DBTaskResult]:
    """The RUNNING jobs, started long enough ago, whose worker (the last to claim it) has no
    recent heartbeat. A job claimed a moment ago is never lost, even by a worker whose heartbeat
    is late: its thread will beat before the job is old enough."""
    running = list(candidates.running().filter(started_at__lt=_lost_since()))
    if not running:
        return []
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=_lost_since()).values_list(
            "worker_id", flat=True
        )
    )
    return [job for job in running if (job.worker_ids or [None])[-1] not in alive]


def reclaim_lost_jobs() -> list[DBTaskResult]:
    """Put the jobs of lost workers back on the queue (or fail those out of attempts); returns
    them. Any number of workers may call this at once: each job is taken by one of them."""
    # A plain read first: nearly always nothing is lost, and the locking read below would, on
    # SQLite, hold the whole database for a moment every heartbeat of every worker.
    if not _lost_jobs(DBTaskResult.objects.all()):
        return []
    with exclusive_transaction(DBTaskResult.objects.db):
        # Locked and read again: another worker may have reclaimed them, or their worker beaten.
        lost = _lost_jobs(DBTaskResult.objects.select_for_update(skip_locked=True))
        for job in lost:
            worker_id = (job.worker_ids or ["(none)"])[-1]
            attempts = len(job.worker_ids)
            if attempts >= settings.TASK_MAX_ATTEMPTS:
                job.set_failed(WorkerLost(f"its worker was lost on each of {attempts} attempts"))
                transaction.on_commit(lambda job=job: _announce_failure(job))
                outcome = "failed it"
            else:
                job.status = TaskResultStatus.READY
                job.save(update_fields=["status"])
                outcome = "back on the queue"
            logger.warning(
                "Job %s (%s) was running on worker %s, which is lost (no heartbeat for %s s); "
                "attempt %d of %d: %s",
                job.id,
                job.task_path,
                worker_id,
                settings.WORKER_LOST_AFTER_SECONDS,
                attempts,
                settings.TASK_MAX_ATTEMPTS,
                outcome,
            )
    return lost


def _announce_failure(job: DBTaskResult) -> None:
    """What django-tasks-db's worker sends after a failed task, so that receivers (the report
    jobs' page) learn that this one failed too."""
    try:
        task_result = job.task_result
        sender = type(task_result.task.get_backend())
    except ImportError:  # the task's code is gone; nobody can be waiting for it
        return
    task_finished.send(sender=sender, task_result=task_result)


def exit_process() -> None:
    # os._exit, not sys.exit: this runs in the heartbeat's timer thread, and the task in the main
    # thread must stop too, now. The supervisor (a restart policy) starts a fresh worker.
    os._exit(1)


def keep_alive(
    worker_id: str, stop: threading.Event, on_lost: Callable[[], None] = exit_process
) -> None:
    """The heartbeat thread: beat and reclaim every WORKER_HEARTBEAT_SECONDS until `stop`, then
    forget this worker. Beside the task loop, so a long PDF render does not stop the beat."""
    every, lost_after = settings.WORKER_HEARTBEAT_SECONDS, settings.WORKER_LOST_AFTER_SECONDS
    # One beat short of the time after which the others count this worker lost, it must have
    # stopped: a timer, since a beat may hang on a database that does not answer.
    limit = lost_after - every
    lost = threading.Event()

    def give_up() -> None:
        if not lost.is_set():
            lost.set()
            logger.critical(
                "Worker %s has had no heartbeat for %s s; it stops, so that its job is run again "
                "by another worker and never by two at once",
                worker_id,
                limit,
            )
            on_lost()

    def deadline() -> threading.Timer:
        timer = threading.Timer(limit, give_up)
        timer.daemon = True
        timer.start()
        return timer

    last_beat, timer = time.monotonic(), deadline()
    try:
        while not (stop.is_set() or lost.is_set()):
            # Silent past the limit (the process was frozen: SIGSTOP, a paused VM), it leaves the
            # timer to stop it: a beat now would hide that the others may have taken its job.
            if time.monotonic() - last_beat < limit:
                try:
                    beat(worker_id)
                except DatabaseError:
                    logger.exception("Worker %s could not record its heartbeat", worker_id)
                else:
                    last_beat = time.monotonic()
                    timer.cancel()
                    timer = deadline()
            try:
                reclaim_lost_jobs()
            except DatabaseError:  # the next beat tries again
                logger.exception("Worker %s could not look for lost jobs", worker_id)
            close_old_connections()
            stop.wait(every)
        if not lost.is_set():
            forget(worker_id)
    finally:
        timer.cancel()
        connection.close()


def prune(now: datetime) -> dict[str, int]:
    """Delete finished task results older than TASK_RESULTS_KEEP_DAYS, the scheduler's claims as
    old, and workers not seen for a day; the counts. Queued and running jobs are never pruned."""
    cutoff = now - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    # django-tasks-db's prune_db_task_results does the same, but only as a command that reports
    # its count in the log.
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    occurrences = Occurrence.objects.filter(due_at__lt=cutoff)
    for job in schedule.jobs():
        # Each job's latest claim stays, however old: without it a worker that starts would
        # enqueue that occurrence again.
        occurrences = occurrences.exclude(job=job.name, due_at__gte=job.latest_due(now))
    occurrences_deleted, _ = occurrences.delete()
    heartbeats, _ = WorkerHeartbeat.objects.filter(seen_at__lt=now - HEARTBEAT_KEPT).delete()
    counts = {"results": results, "occurrences": occurrences_deleted, "heartbeats": heartbeats}
    logger.info("Pruned %s", counts)
    return counts
