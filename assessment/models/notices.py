from django.conf import settings
from django.db import models


class SentNotice(models.Model):
    """An email sent to a person (issue #17): a weekly digest, or a reminder that a project is due
    for reassessment. Unique per person, kind and key (the ISO week; the project and its last
    submit), so a notice goes out once however many workers or retries run."""

    class Kind(models.TextChoices):
        DIGEST = "digest"
        STALE = "stale"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=80)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="sentnotice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} to {self.user_id}"
