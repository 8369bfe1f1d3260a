"""A job whose worker died (issue #19): back on the queue after WORKER_LOST_AFTER_SECONDS and run by
another worker, failed after TASK_MAX_ATTEMPTS tries, never taken from a live worker, and
reclaimed once however many workers look at the same moment."""

import logging
import threading
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django_tasks_db.models import DBTaskResult

from assessment.models import ReportJob
from assessment.reports import tasks as report_tasks
from scheduler import workers
from tests.scheduler import queue

LONG_AGO = timedelta(minutes=2)  # beyond WORKER_LOST_AFTER_SECONDS (60)
JUST_NOW = timedelta(seconds=5)


@pytest.mark.django_db(transaction=True)
def test_the_job_of_a_lost_worker_goes_back_to_the_queue_and_another_worker_runs_it(
    database_queue, caplog
):
    job = queue.running_job(worker_ids=["worker-dead"], started_ago=LONG_AGO)
    queue.heartbeat("worker-dead", seen_ago=LONG_AGO)

    with caplog.at_level(logging.WARNING, logger="scheduler.workers"):
        reclaimed = workers.reclaim_lost_jobs()
    job.refresh_from_db()
    assert [j.pk for j in reclaimed] == [job.pk]
    assert (job.status, job.worker_ids) == ("READY", ["worker-dead"])
    (warning,) = caplog.records
    assert warning.levelname == "WARNING"
    assert f"Job {job.pk} " in warning.getMessage()
    assert "worker worker-dead, which is lost" in warning.getMessage()
    assert "attempt 1 of 3: back on the queue" in warning.getMessage()

    queue.run_workers("worker-2")

    job.refresh_from_db()
    assert database_queue == [(str(job.pk), "worker-2")]
    assert (job.status, job.worker_ids) == ("SUCCESSFUL", ["worker-dead", "worker-2"])


@pytest.mark.parametrize(
    ("heartbeat_seen_ago", "started_ago", "status"),
    [
        (JUST_NOW, LONG_AGO, "RUNNING"),  # a live worker on a long job
        (LONG_AGO, LONG_AGO, "READY"),  # a worker silent for too long
        (None, LONG_AGO, "READY"),  # a worker that left no heartbeat at all
        # Just claimed by a worker whose heartbeat is late: it beats before the job is old.
        (LONG_AGO, JUST_NOW, "RUNNING"),
        (None, JUST_NOW, "RUNNING"),
    ],
)
def test_only_jobs_started_long_ago_by_a_silent_worker_are_reclaimed(
    db, database_queue, heartbeat_seen_ago, started_ago, status
):
    job = queue.running_job(worker_ids=["worker-1"], started_ago=started_ago)
    if heartbeat_seen_ago is not None:
        queue.heartbeat("worker-1", seen_ago=heartbeat_seen_ago)

    workers.reclaim_lost_jobs()

    job.refresh_from_db()
    assert job.status == status


def test_the_last_claim_names_the_worker_that_runs_the_job(db, database_queue):
    """A job reclaimed before and now running on a live worker: the earlier lost one is history."""
    job = queue.running_job(worker_ids=["worker-dead", "worker-2"], started_ago=LONG_AGO)
    queue.heartbeat("worker-dead", seen_ago=LONG_AGO)
    queue.heartbeat("worker-2", seen_ago=JUST_NOW)

    assert workers.reclaim_lost_jobs() == []
    job.refresh_from_db()
    assert job.status == "RUNNING"


def test_a_job_whose_worker_was_lost_on_each_of_its_attempts_fails(db, database_queue):
    job = queue.running_job(worker_ids=["worker-a", "worker-b", "worker-c"], started_ago=LONG_AGO)

    workers.reclaim_lost_jobs()

    job.refresh_from_db()
    assert job.status == "FAILED"
    assert job.finished_at is not None
    assert job.exception_class_path == "scheduler.workers.WorkerLost"
    assert "its worker was lost on each of 3 attempts" in job.traceback
    assert workers.reclaim_lost_jobs() == []  # failed, not RUNNING: left alone from now on


def test_the_attempts_follow_the_setting(db, database_queue, settings):
    settings.TASK_MAX_ATTEMPTS = 1
    job = queue.running_job(worker_ids=["worker-a"], started_ago=LONG_AGO)

    workers.reclaim_lost_jobs()

    job.refresh_from_db()
    assert job.status == "FAILED"


@pytest.mark.django_db(transaction=True)
def test_two_workers_looking_at_once_reclaim_each_lost_job_once(database_queue):
    lost = {
        queue.running_job(worker_ids=["worker-dead"], started_ago=LONG_AGO).pk for _ in range(20)
    }
    barrier = threading.Barrier(2)
    reclaimed: dict[str, list] = {}

    def reclaim(worker_id: str) -> None:
        try:
            barrier.wait()
            reclaimed[worker_id] = [job.pk for job in workers.reclaim_lost_jobs()]
        finally:
            connection.close()

    threads = [threading.Thread(target=reclaim, args=(w,)) for w in ("worker-1", "worker-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    first, second = reclaimed["worker-1"], reclaimed["worker-2"]
    assert sorted(first + second) == sorted(lost)  # each once, by one of them
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"READY"}
    assert {tuple(ids) for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)} == {
        ("worker-dead",)
    }


@pytest.mark.django_db(transaction=True)
def test_an_audit_report_whose_worker_died_mid_render_is_rendered_and_its_job_done(
    database_queue, submitted, bob
):
    job = report_tasks.queue_assessment_report(result=submitted.result, requested_by=bob)
    # What the dead worker left: its claim, and the job page at "Laying out the PDF".
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=20, message="Laying out")
    DBTaskResult.objects.update(status="RUNNING", worker_ids=["worker-dead"])
    DBTaskResult.objects.update(started_at=DBTaskResult.objects.get().enqueued_at - LONG_AGO)

    workers.reclaim_lost_jobs()
    queue.run_workers("worker-2")

    job.refresh_from_db()
    assert (job.status, job.progress, job.message) == ("done", 100, "Ready")
    assert default_storage.exists(job.file.name)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_was_lost_on_each_attempt_fails_its_job(
    database_queue, submitted, bob
):
    job = report_tasks.queue_assessment_report(result=submitted.result, requested_by=bob)
    ReportJob.objects.filter(pk=job.pk).update(status="running", progress=20, message="Laying out")
    DBTaskResult.objects.update(status="RUNNING", worker_ids=["worker-a", "worker-b", "worker-c"])
    DBTaskResult.objects.update(started_at=DBTaskResult.objects.get().enqueued_at - LONG_AGO)

    workers.reclaim_lost_jobs()

    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", "Failed: WorkerLost")
    assert DBTaskResult.objects.get().status == "FAILED"
