from django.db import models


class Occurrence(models.Model):
    """One occurrence of a periodic job, claimed by the worker that enqueued it. The unique
    constraint is the lock: of two workers inserting the same (job, due_at), the database lets
    one in and refuses the other, on SQLite as on PostgreSQL."""

    job = models.CharField(max_length=60)
    due_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=64)
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_at", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "due_at"], name="occurrence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.job} at {self.due_at:%Y-%m-%d %H:%M} ({self.claimed_by})"


class WorkerHeartbeat(models.Model):
    """A running worker process, refreshed every WORKER_HEARTBEAT_SECONDS: a RUNNING job whose
    worker has not been seen for WORKER_LOST_AFTER_SECONDS goes back on the queue. `seen_at` is
    the database's clock, so workers on machines whose clocks differ still agree."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host}:{self.pid})"
