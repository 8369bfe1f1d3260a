"""`manage.py worker_alive WORKER_ID`: exits 0 while that worker's heartbeat is fresh (the health
check of deploy/compose.yaml's workers); 1, saying why, once it is stale or gone."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models.functions import Now

from scheduler.models import WorkerHeartbeat


class Command(BaseCommand):
    help = "Exit 0 while the worker's heartbeat is fresh, 1 once it is stale or gone."

    def add_arguments(self, parser):
        parser.add_argument("worker_id")

    def handle(self, *args, worker_id: str, **options):
        # By the database's clock, as the heartbeat is written. Unhealthy at half the time after
        # which the others reclaim its job, so an orchestrator that replaces unhealthy workers
        # does so before then.
        age = (
            WorkerHeartbeat.objects.filter(worker_id=worker_id)
            .annotate(now=Now())
            .values_list("now", "seen_at")
            .first()
        )
        if age is None:
            raise CommandError(f"no heartbeat from {worker_id}")
        seconds = (age[0] - age[1]).total_seconds()
        if seconds > settings.WORKER_LOST_AFTER_SECONDS / 2:
            raise CommandError(f"{worker_id} last beat {seconds:.0f} s ago")
        self.stdout.write(f"{worker_id} alive: last beat {seconds:.1f} s ago")
