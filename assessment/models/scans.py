"""Scans of a project's repository (`paydown scan`, issue #15) attached to an assessment: what the
scan suggested per question, and what the team did with each suggestion. A scan never answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.answers import Assessment
from banks.models import Question


class RepositoryScan(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scans")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    root = models.CharField(max_length=200)  # the checkout's folder name
    revision = models.CharField(max_length=64, blank=True)  # the commit, when the scan knew it
    files_scanned = models.PositiveIntegerField()
    bank_version = models.PositiveIntegerField()  # the bank version the scan's rules came from

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.root}@{self.revision[:12]}" if self.revision else self.root

    @property
    def label(self) -> str:
        """How evidence from this scan is dated in its notes: the checkout and its commit."""
        return str(self)


class ScanSuggestion(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        EVIDENCE_ONLY = "evidence", _("Evidence kept, level chosen by the respondent")
        DISMISSED = "dismissed", _("Dismissed")
        SUPERSEDED = "superseded", _("Superseded by a later scan")

    scan = models.ForeignKey(RepositoryScan, on_delete=models.CASCADE, related_name="suggestions")
    # Repeated from the scan so that a questionnaire page reads its suggestions in one seek.
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    level_value = models.DecimalField(max_digits=5, decimal_places=2)
    confidence = models.CharField(max_length=10)  # high, medium or low
    files = models.PositiveIntegerField()
    # [{path, line, rule, excerpt}], at most 20, as the scan listed them
    evidence = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scan", "question"], name="scan_suggestion_unique")
        ]
        indexes = [
            models.Index(fields=["assessment", "status", "question"], name="scan_suggestion_open")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.level_value} ({self.confidence})"

    def evidence_notes(self) -> list[str]:
        """The notes an accepted suggestion adds to the answer's evidence, one a file and line."""
        return [
            f"{item['path']}:{item['line']} ({item['rule']}) — scan of {self.scan.label}"
            for item in self.evidence
        ]
