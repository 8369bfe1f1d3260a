"""Several workers on one queue (issue #19): each job runs exactly once, whichever worker takes it."""

from collections import Counter

import pytest
from django_tasks_db.models import DBTaskResult

from tests.scheduler import queue

JOBS = 200


@pytest.mark.django_db(transaction=True)
def test_four_workers_run_each_of_200_jobs_exactly_once(database_queue):
    enqueued = {queue.record_run.enqueue().id for _ in range(JOBS)}

    queue.run_workers("worker-1", "worker-2", "worker-3", "worker-4")

    runs = Counter(job_id for job_id, _ in database_queue)
    assert set(runs) == enqueued
    assert set(runs.values()) == {1}
    assert Counter(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL": JOBS}
    # Each job was claimed once, by the worker that ran it.
    claimed = {str(pk): ids for pk, ids in DBTaskResult.objects.values_list("id", "worker_ids")}
    assert all(claimed[job_id] == [worker_id] for job_id, worker_id in database_queue)
