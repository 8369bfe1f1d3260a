"""`manage.py worker`: django-tasks' database worker, with the scheduler ticking beside it."""

import logging
import threading

from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

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
    help = "Run queued tasks, and enqueue the scheduled jobs (settings.PAYDOWN_SCHEDULE) when due."

    def handle(self, *args, **options):
        stop = threading.Event()
        thread = threading.Thread(
            target=run_scheduler, args=(options["worker_id"], stop), daemon=True, name="scheduler"
        )
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
