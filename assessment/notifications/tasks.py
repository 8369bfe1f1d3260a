"""The scheduled tasks (settings.PAYDOWN_SCHEDULE), run by `manage.py worker`."""

from django.utils import timezone
from django_tasks import task

from assessment.notifications import send


@task()
def send_weekly_digests() -> int:
    return send.send_weekly_digests(timezone.now())


@task()
def send_stale_reminders() -> int:
    return send.send_stale_reminders(timezone.now())
