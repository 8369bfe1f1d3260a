"""Fixtures of the worker tests: the database queue that production runs."""

import pytest

from tests.scheduler import queue


@pytest.fixture
def database_queue(settings) -> list[tuple[str, str]]:
    """Enqueued tasks wait in the database for a worker (the tests' default runs them at once);
    the runs of `record_run`."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    queue.RUNS.clear()
    yield queue.RUNS
    queue.RUNS.clear()
