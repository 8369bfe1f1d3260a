"""Report jobs: PDFs rendered by the background worker, kept in the default storage when ready."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.results import AssessmentResult


class ReportJob(models.Model):
    class Kind(models.TextChoices):
        PORTFOLIO = "portfolio", _("Portfolio report")
        ASSESSMENT = "assessment", _("Audit report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_jobs"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PORTFOLIO)
    # An audit report's job: one per result (the constraint), so concurrent requests queue once.
    result = models.OneToOneField(
        AssessmentResult, on_delete=models.CASCADE, null=True, blank=True,
        related_name="report_job",
    )  # fmt: skip
    params = models.JSONField(default=dict, help_text="The dashboard filters in force.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    # In the default storage (local files unless STORAGES says otherwise), never served from
    # MEDIA_URL: the download views check who may have it.
    file = models.FileField(upload_to="reports/portfolio/", max_length=200, blank=True)
    filename = models.CharField(max_length=120, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="portfolio", result__isnull=True)
                | models.Q(kind="assessment", result__isnull=False),
                name="reportjob_result_for_audit_reports",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} report {self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
