"""The scheduler's own periodic task (settings.PAYDOWN_SCHEDULE)."""

from django.utils import timezone
from django_tasks import task

from scheduler import workers


@task()
def prune_finished_work() -> dict[str, int]:
    return workers.prune(timezone.now())
