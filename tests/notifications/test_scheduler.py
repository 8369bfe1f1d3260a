"""The worker's scheduler (issue #17): a job's occurrence is the latest one at or before now;
two workers ticking at the same moment enqueue it once; a worker that was down catches up once."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django_tasks import task

from scheduler.models import Occurrence
from scheduler.schedule import Job, Scheduler, jobs

RUNS: list[str] = []


@task()
def remember_run() -> None:
    RUNS.append("ran")


WEEKLY = Job(
    "weekly",
    "tests.notifications.test_scheduler.remember_run",
    timedelta(days=7),
    datetime(2026, 1, 5, 7, tzinfo=UTC),  # a Monday
)
MONDAY_7 = datetime(2026, 12, 7, 7, tzinfo=UTC)


@pytest.fixture(autouse=True)
def no_runs():
    RUNS.clear()


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (MONDAY_7, MONDAY_7),
        (MONDAY_7 - timedelta(seconds=1), MONDAY_7 - timedelta(days=7)),
        (MONDAY_7 + timedelta(days=6, hours=23), MONDAY_7),
        (MONDAY_7 + timedelta(days=7), MONDAY_7 + timedelta(days=7)),
    ],
)
def test_the_due_occurrence_is_the_latest_at_or_before_now(now, due):
    assert WEEKLY.latest_due(now) == due


def test_the_shipped_schedule_names_real_tasks(settings):
    from django.utils.module_loading import import_string

    assert {job.name for job in jobs()} == {
        "weekly-digest",
        "stale-reminders",
        "prune-finished-work",
    }
    for job in jobs():
        assert callable(import_string(job.task).enqueue)


def test_two_workers_at_the_same_moment_enqueue_the_occurrence_once(db):
    first, second = Scheduler("worker-1", [WEEKLY]), Scheduler("worker-2", [WEEKLY])

    assert first.tick(MONDAY_7 + timedelta(minutes=1)) == ["weekly"]
    assert second.tick(MONDAY_7 + timedelta(minutes=1)) == []

    assert RUNS == ["ran"]
    (occurrence,) = Occurrence.objects.all()
    assert (occurrence.job, occurrence.due_at, occurrence.claimed_by) == (
        "weekly",
        MONDAY_7,
        "worker-1",
    )


def test_the_next_occurrence_runs_again_and_between_them_a_tick_asks_nothing(db, assert_statements):
    worker = Scheduler("worker-1", [WEEKLY])
    worker.tick(MONDAY_7)

    with assert_statements(0):
        assert worker.tick(MONDAY_7 + timedelta(days=3)) == []
    assert worker.tick(MONDAY_7 + timedelta(days=7, minutes=5)) == ["weekly"]
    assert RUNS == ["ran", "ran"]


def test_a_worker_that_was_down_catches_up_with_the_latest_occurrence_only(db):
    Scheduler("worker-1", [WEEKLY]).tick(MONDAY_7 - timedelta(days=21))

    assert Scheduler("worker-2", [WEEKLY]).tick(MONDAY_7 + timedelta(hours=2)) == ["weekly"]
    assert list(Occurrence.objects.values_list("due_at", flat=True)) == [
        MONDAY_7,
        MONDAY_7 - timedelta(days=21),
    ]


@pytest.mark.django_db(transaction=True)
def test_two_workers_in_threads_claim_the_occurrence_once():
    barrier = threading.Barrier(2)
    enqueued: dict[str, list[str]] = {}

    def work(worker_id: str) -> None:
        try:
            barrier.wait()
            enqueued[worker_id] = Scheduler(worker_id, [WEEKLY]).tick(MONDAY_7)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(enqueued.values()) == [[], ["weekly"]]
    assert RUNS == ["ran"]
    assert Occurrence.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_workers_scheduler_thread_ticks_at_once_and_stops_when_asked(settings):
    """What `manage.py worker` runs beside the task loop: its first tick enqueues what is due."""
    from scheduler.management.commands.worker import run_scheduler

    settings.PAYDOWN_SCHEDULE = {
        "weekly": {"task": WEEKLY.task, "every_hours": 7 * 24, "anchor": WEEKLY.anchor}
    }
    stop = threading.Event()
    thread = threading.Thread(target=run_scheduler, args=("worker-1", stop))
    thread.start()
    for _ in range(100):
        if Occurrence.objects.exists():
            break
        stop.wait(0.05)
    stop.set()
    thread.join(timeout=5)

    assert not thread.is_alive()
    assert list(Occurrence.objects.values_list("job", "claimed_by")) == [("weekly", "worker-1")]
    assert RUNS == ["ran"]
