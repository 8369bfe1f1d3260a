"""Each worker's heartbeat (issue #19): written and refreshed beside the task loop, removed on a
clean shutdown; it reclaims lost jobs as often as it beats; a worker that cannot beat stops itself
before the others would count it lost."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult

from scheduler import workers
from scheduler.models import WorkerHeartbeat
from tests.scheduler import queue

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, seconds: float = 5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.01)
    raise AssertionError("waited in vain")


@pytest.fixture
def heartbeat_thread(settings):
    """keep_alive of worker-1 in a thread, beating every 50 ms; stopped at the end."""
    settings.WORKER_HEARTBEAT_SECONDS = 0.05
    stop = threading.Event()
    thread = threading.Thread(target=workers.keep_alive, args=("worker-1", stop))
    thread.start()
    yield stop, thread
    stop.set()
    thread.join(timeout=5)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_is_written_refreshed_and_removed_when_the_worker_stops(heartbeat_thread):
    stop, thread = heartbeat_thread

    first = wait_for(lambda: WorkerHeartbeat.objects.filter(worker_id="worker-1").first())
    later = wait_for(
        lambda: WorkerHeartbeat.objects.filter(
            worker_id="worker-1", seen_at__gt=first.seen_at
        ).first()
    )
    stop.set()
    thread.join(timeout=5)

    assert (first.host, first.pid) == (socket.gethostname(), os.getpid())
    assert later.pk == first.pk
    assert not thread.is_alive()
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_reclaims_lost_jobs_as_often_as_it_beats(
    database_queue, heartbeat_thread
):
    job = queue.running_job(worker_ids=["worker-dead"], started_ago=timedelta(minutes=2))

    wait_for(lambda: DBTaskResult.objects.filter(pk=job.pk, status="READY").exists())


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_cannot_beat_stops_before_the_others_count_it_lost(settings, monkeypatch):
    settings.WORKER_HEARTBEAT_SECONDS, settings.WORKER_LOST_AFTER_SECONDS = 0.2, 1.0

    def unreachable(worker_id: str) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(workers, "beat", unreachable)
    stopped_after: list[float] = []
    start = time.monotonic()
    workers.keep_alive(
        "worker-1",
        threading.Event(),
        on_lost=lambda: stopped_after.append(time.monotonic() - start),
    )

    (elapsed,) = stopped_after
    assert 1.0 - 0.2 <= elapsed < 1.0  # one beat short of the lost timeout


@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_beat_hangs_stops_all_the_same(settings, monkeypatch):
    """A database that does not answer at all: the beat waits, the deadline does not."""
    settings.WORKER_HEARTBEAT_SECONDS, settings.WORKER_LOST_AFTER_SECONDS = 0.2, 1.0
    answer = threading.Event()
    monkeypatch.setattr(workers, "beat", lambda worker_id: answer.wait(10))
    stopped = threading.Event()
    thread = threading.Thread(
        target=workers.keep_alive, args=("worker-1", threading.Event(), stopped.set)
    )
    thread.start()
    try:
        assert stopped.wait(5)
        assert thread.is_alive()  # still in its first beat
    finally:
        answer.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


@pytest.mark.django_db(transaction=True)
def test_manage_py_worker_beats_beside_its_tasks_and_leaves_no_heartbeat(database_queue, settings):
    settings.PAYDOWN_SCHEDULE = {}
    job_id = queue.record_run_once_the_heartbeat_is_there.enqueue().id
    handlers = {
        sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    }
    try:
        call_command("worker", "--batch", "--no-startup-delay", "--no-reload", "--worker-id=w-cmd")
    finally:
        for sig, handler in handlers.items():  # the worker takes the signals for its shutdown
            signal.signal(sig, handler)

    assert database_queue == [(job_id, "w-cmd")]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.parametrize(
    ("heartbeat", "lost_after", "starts"),
    [
        ("10", "60", True),
        ("1", "5", True),
        ("10", "30", True),
        ("10", "29", False),
        ("0", "60", False),
    ],
)
def test_a_lost_timeout_under_three_heartbeats_refuses_to_start(heartbeat, lost_after, starts):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "WORKER_HEARTBEAT_SECONDS": heartbeat,
        "WORKER_LOST_AFTER_SECONDS": lost_after,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (result.returncode == 0) is starts, result.stderr
    if not starts:
        assert "WORKER_LOST_AFTER_SECONDS must be at least three times" in result.stderr


class FreezesOnce(threading.Event):
    """A stop event whose first wait lasts `seconds`: the process frozen (SIGSTOP, a paused VM)."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.freeze = seconds

    def wait(self, timeout=None) -> bool:
        seconds, self.freeze = self.freeze, None
        return super().wait(timeout if seconds is None else seconds)


@pytest.mark.django_db(transaction=True)
def test_a_worker_frozen_past_the_lost_timeout_stops_instead_of_beating(settings, monkeypatch):
    settings.WORKER_HEARTBEAT_SECONDS, settings.WORKER_LOST_AFTER_SECONDS = 0.1, 0.4
    beats: list[str] = []
    monkeypatch.setattr(workers, "beat", beats.append)
    lost: list[bool] = []

    workers.keep_alive("worker-1", FreezesOnce(0.5), on_lost=lambda: lost.append(True))

    assert beats == ["worker-1"]  # before the freeze only
    assert lost == [True]
