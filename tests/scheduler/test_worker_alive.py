"""`manage.py worker_alive WORKER_ID`: the container health check of deploy/compose.yaml's workers.
Healthy while the worker's heartbeat is fresh; unhealthy when it is stale or gone."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from scheduler import workers
from scheduler.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_a_worker_that_beat_just_now_is_alive(capsys):
    workers.beat("worker-1")

    call_command("worker_alive", "worker-1")

    assert "worker-1 alive" in capsys.readouterr().out


def test_a_worker_whose_heartbeat_is_stale_is_not(settings):
    workers.beat("worker-1")
    stale = timezone.now() - timedelta(seconds=settings.WORKER_LOST_AFTER_SECONDS / 2 + 1)
    WorkerHeartbeat.objects.filter(worker_id="worker-1").update(seen_at=stale)

    with pytest.raises(CommandError, match="worker-1 last beat .* ago"):
        call_command("worker_alive", "worker-1")


def test_a_worker_without_a_heartbeat_is_not():
    workers.beat("worker-2")

    with pytest.raises(CommandError, match="no heartbeat from worker-1"):
        call_command("worker_alive", "worker-1")
