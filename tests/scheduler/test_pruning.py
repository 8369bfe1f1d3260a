"""Pruning (issue #19): finished task results older than TASK_RESULTS_KEEP_DAYS, old claims of the
scheduler and long-dead workers go, daily; queued and running jobs, and each job's latest claim,
stay."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from scheduler import workers
from scheduler.models import Occurrence, WorkerHeartbeat
from scheduler.schedule import Scheduler, jobs
from scheduler.tasks import prune_finished_work
from tests.scheduler import queue

DAY = timedelta(days=1)


def job_in(status: str, *, finished_ago: timedelta | None, enqueued_ago: timedelta) -> str:
    job_id = queue.record_run.enqueue().id
    now = timezone.now()
    DBTaskResult.objects.filter(pk=job_id).update(
        status=status,
        enqueued_at=now - enqueued_ago,
        finished_at=None if finished_ago is None else now - finished_ago,
    )
    return job_id


def test_finished_results_older_than_the_kept_days_are_pruned(db, database_queue):
    old_success = job_in("SUCCESSFUL", finished_ago=15 * DAY, enqueued_ago=15 * DAY)
    old_failure = job_in("FAILED", finished_ago=15 * DAY, enqueued_ago=15 * DAY)
    recent = job_in("SUCCESSFUL", finished_ago=13 * DAY, enqueued_ago=15 * DAY)
    waiting = job_in("READY", finished_ago=None, enqueued_ago=30 * DAY)
    running = job_in("RUNNING", finished_ago=None, enqueued_ago=30 * DAY)

    counts = workers.prune(timezone.now())

    kept = {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)}
    assert kept == {recent, waiting, running}
    assert old_success not in kept and old_failure not in kept
    assert counts["results"] == 2


def test_the_kept_days_follow_the_setting(db, database_queue, settings):
    settings.TASK_RESULTS_KEEP_DAYS = 3
    job_in("SUCCESSFUL", finished_ago=4 * DAY, enqueued_ago=4 * DAY)
    recent = job_in("SUCCESSFUL", finished_ago=2 * DAY, enqueued_ago=4 * DAY)

    workers.prune(timezone.now())

    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [recent]


def test_old_claims_go_but_each_jobs_latest_stays_however_old(db, settings):
    anchor = datetime(2026, 1, 1, tzinfo=UTC)
    settings.PAYDOWN_SCHEDULE = {
        "daily": {"task": "tests.scheduler.queue.record_run", "every_hours": 24, "anchor": anchor},
        "monthly": {
            "task": "tests.scheduler.queue.record_run",
            "every_hours": 30 * 24,
            "anchor": anchor,
        },
    }
    now = anchor + 95 * DAY  # the monthly job's latest occurrence: day 90
    for job, day in [("daily", 94), ("daily", 95), ("daily", 60), ("monthly", 90), ("monthly", 60)]:
        Occurrence.objects.create(job=job, due_at=anchor + day * DAY, claimed_by="worker-1")
    Occurrence.objects.create(job="retired", due_at=anchor + 60 * DAY, claimed_by="worker-1")

    counts = workers.prune(now)

    kept = set(Occurrence.objects.values_list("job", "due_at"))
    assert kept == {
        ("daily", anchor + 94 * DAY),
        ("daily", anchor + 95 * DAY),
        ("monthly", anchor + 90 * DAY),
    }
    assert counts["occurrences"] == 3
    # The kept claims are what stop a worker that starts now from enqueueing them again.
    assert Scheduler("worker-new").tick(now) == []


def test_workers_not_seen_for_a_day_are_forgotten(db):
    queue.heartbeat("worker-gone", seen_ago=25 * timedelta(hours=1))
    queue.heartbeat("worker-quiet", seen_ago=2 * timedelta(hours=1))

    workers.prune(timezone.now())

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["worker-quiet"]


def test_the_schedule_prunes_daily_with_a_task_that_prunes(db, database_queue):
    (pruning,) = [job for job in jobs() if job.name == "prune-finished-work"]
    assert (pruning.task, pruning.every) == ("scheduler.tasks.prune_finished_work", DAY)
    job_in("SUCCESSFUL", finished_ago=15 * DAY, enqueued_ago=15 * DAY)

    assert prune_finished_work.call() == {"results": 1, "occurrences": 0, "heartbeats": 0}
    assert not DBTaskResult.objects.exists()
