"""The audit log's one model. A small model of our own rather than django-pghistory or
django-auditlog: those record row changes, while an auditor asks for actions ("submitted",
"published", "downloaded the PDF"), some of which change no row at all. Entries keep plain ids and
the names as they were, without foreign keys, so deleting a user, project or team deletes no entry
and an entry still reads the same afterwards."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """An audit entry was to be changed or deleted: refused (and by a trigger on PostgreSQL)."""


class EntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries are append-only")

    def delete(self):
        raise AppendOnlyError("audit entries are append-only")


class Entry(models.Model):
    class Action(models.TextChoices):
        SUBMIT = "assessment.submit", _("Submitted an assessment")
        SETTLE = "question.settle", _("Settled a question")
        REOPEN = "question.reopen", _("Reopened a question")
        CONFIRM_CARRIED = "answers.confirm_carried", _("Confirmed carried-over answers")
        PROJECT_CREATE = "project.create", _("Created a project")
        TARGETS = "project.targets", _("Changed targets")
        RISK_TIER = "project.risk_tier", _("Changed the risk tier")
        CADENCE = "project.cadence", _("Changed the reassessment cadence")
        RISK_ACCEPT = "risk.accept", _("Accepted a risk")
        RISK_WITHDRAW = "risk.withdraw", _("Withdrew an accepted risk")
        BANK_DRAFT = "bank.draft", _("Made a bank draft")
        BANK_PUBLISH = "bank.publish", _("Published a bank version")
        BANK_RETIRE = "bank.retire", _("Retired a bank version")
        INVITE = "invitation.create", _("Invited someone")
        INVITE_REVOKE = "invitation.revoke", _("Withdrew an invitation")
        INVITE_ACCEPT = "invitation.accept", _("Accepted an invitation")
        ROLE_CHANGE = "member.role", _("Changed a role")
        MEMBER_REMOVE = "member.remove", _("Removed a member")
        TOKEN_CREATE = "token.create", _("Made an API token")
        TOKEN_REVOKE = "token.revoke", _("Revoked an API token")
        DOWNLOAD = "download", _("Downloaded")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor = models.CharField(_("who"), max_length=150, blank=True)  # the user name at the time
    team_id = models.BigIntegerField(null=True, blank=True)
    project_id = models.BigIntegerField(null=True, blank=True)
    project = models.CharField(_("project"), max_length=120, blank=True)  # its name at the time
    subject = models.CharField(_("what"), max_length=300, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["project_id", "-at"], name="audit_entry_project_at"),
            models.Index(fields=["team_id", "-at"], name="audit_entry_team_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor}: {self.get_action_display()} {self.subject}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries are append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are append-only")
