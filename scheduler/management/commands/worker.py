"""`manage.py worker`: django-tasks' database worker, with the scheduler and the heartbeat beside it."""

import logging
import os
import threading

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from scheduler import workers
from scheduler.schedule import Scheduler

logger = logging.getLogger(__name__)
TICK_SECONDS = 30


def run_scheduler(worker_id: str, stop: threading.Event) -> None:
    scheduler = Scheduler(worker_id)
    while not stop.is_set():
        try:
            scheduler.tick(timezone.now())
        except Exception:  # a database hiccup must not end the scheduling; the next tick retries
            logger.exception("The scheduler's tick failed")
        finally:
            close_old_connections()
        stop.wait(TICK_SECONDS)


class Command(db_worker.Command):
    help = (
        "Run queued tasks, enqueue the scheduled jobs (settings.PAYDOWN_SCHEDULE) when due, and "
        "put the jobs of lost workers back on the queue."
    )

    def handle(self, *args, **options):
        reloader_parent = os.environ.get(DJANGO_AUTORELOAD_ENV) != "true"
        if options["reload"] and not options["batch"] and reloader_parent:
            # The reloader's parent only restarts its child on code changes; the child works.
            return super().handle(*args, **options)
        worker_id = options["worker_id"]
        stop = threading.Event()
        heartbeat = threading.Thread(
            target=workers.keep_alive, args=(worker_id, stop), daemon=True, name="heartbeat"
        )
        heartbeat.start()
        threading.Thread(
            target=run_scheduler, args=(worker_id, stop), daemon=True, name="scheduler"
        ).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            # It removes this worker's heartbeat as it ends.
            heartbeat.join(timeout=settings.WORKER_HEARTBEAT_SECONDS + 5)
