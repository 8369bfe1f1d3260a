"""Which jobs run when, and the claim that makes each occurrence run once.

A job runs every `every` from `anchor` (e.g. weekly from a Monday 07:00 UTC); its latest
occurrence at or before now is due until some worker claims it. A worker that was down catches
up with the latest missed occurrence only, never with every one it missed."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from scheduler.models import Occurrence

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks task that takes no arguments
    every: timedelta
    anchor: datetime

    def latest_due(self, now: datetime) -> datetime:
        periods = (now - self.anchor) // self.every
        return self.anchor + periods * self.every


def jobs() -> list[Job]:
    """The jobs of settings.PAYDOWN_SCHEDULE: name → (task, every hours, anchor ISO datetime)."""
    return [
        Job(name, spec["task"], timedelta(hours=spec["every_hours"]), spec["anchor"])
        for name, spec in settings.PAYDOWN_SCHEDULE.items()
    ]


def claim(job: Job, due_at: datetime, worker_id: str) -> bool:
    """Enqueue this occurrence of the job if no worker has; True when this one did. The task is
    enqueued in the claim's transaction: with the database queue both rows commit, or neither."""
    try:
        with transaction.atomic():
            Occurrence.objects.create(job=job.name, due_at=due_at, claimed_by=worker_id)
            import_string(job.task).enqueue()
    except IntegrityError:
        return False
    logger.info("Enqueued %s due at %s", job.name, due_at.isoformat())
    return True


class Scheduler:
    """Asks the database only when a job has a new occurrence: between occurrences a tick costs
    no query. Each worker process has one."""

    def __init__(self, worker_id: str, schedule: list[Job] | None = None) -> None:
        self.worker_id = worker_id
        self.schedule = jobs() if schedule is None else schedule
        self.seen: dict[str, datetime] = {}

    def tick(self, now: datetime) -> list[str]:
        """Claim every job's due occurrence that this worker has not seen yet; returns the names
        of the jobs this worker enqueued."""
        enqueued = []
        for job in self.schedule:
            due_at = job.latest_due(now)
            if self.seen.get(job.name) == due_at:
                continue
            if claim(job, due_at, self.worker_id):
                enqueued.append(job.name)
            self.seen[job.name] = due_at
        return enqueued
