"""Report jobs: large PDFs rendered by a background worker and offered for download when ready."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs"
    )
    kind = models.CharField(max_length=20, default="portfolio")
    params = models.JSONField(default=dict, help_text="The dashboard filters in force.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    # Stored in the database, not on local disk, so a worker on any machine can hand it over.
    pdf = models.BinaryField(null=True, editable=False)
    filename = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.kind} report {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
