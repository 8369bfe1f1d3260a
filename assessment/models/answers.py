"""Assessments of a project against a bank version, and every respondent's answers to them."""

from datetime import datetime

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from banks.models import BankVersion, Question
from projects.models import Project


class SubmittedAssessmentError(Exception):
    """An answer of a submitted assessment was about to change: its result must stay as submitted.

    Carries who submitted and when, when known, so the one who lost the race can be told."""

    def __init__(self, submitted_by: str = "", submitted_at: datetime | None = None) -> None:
        super().__init__("This assessment is submitted and read-only.")
        self.submitted_by = submitted_by
        self.submitted_at = submitted_at

    @classmethod
    def of(cls, assessment: "Assessment") -> "SubmittedAssessmentError":
        """The refusal for a write to this submitted assessment (reads its submitter lazily)."""
        who = assessment.submitted_by.get_username() if assessment.submitted_by_id else ""
        return cls(submitted_by=who, submitted_at=assessment.submitted_at)


def _outermost_block() -> object | None:
    """The transaction a row lock taken now is held for: the outermost atomic block."""
    connection = transaction.get_connection()
    return connection.atomic_blocks[0] if connection.in_atomic_block else None


class AssessmentQuerySet(models.QuerySet):
    def lock_open(self, pk: int) -> "Assessment":
        """Lock the assessment's row until the transaction ends and check, under the lock, that it
        is still open (SubmittedAssessmentError if not); DoesNotExist when it is not in this
        queryset. With its version, project and team: one query."""
        # No join to the submitter: after waiting for the lock, PostgreSQL re-reads the locked row
        # but keeps the joined rows of its first read, where nobody had submitted yet.
        locked = (
            self.select_for_update(of=("self",))
            .select_related("version", "project__team")
            .get(pk=pk)
        )
        if not locked.is_open:
            raise SubmittedAssessmentError.of(locked)
        locked._lock_held_for = _outermost_block()
        return locked


class Assessment(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="assessments")
    version = models.ForeignKey(BankVersion, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The API's Idempotency-Key of the submit: a retry with the same key gets the same answer.
    submit_key = models.CharField(max_length=200, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        # The dashboard finds each project's latest submission; without this index PostgreSQL may
        # scan every result per project when its statistics are stale.
        indexes = [
            models.Index(fields=["project", "submitted_at"], name="assessment_project_submitted")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["in_progress", "submitted"]),
                name="assessment_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="in_progress") | models.Q(submitted_at__isnull=False),
                name="assessment_submitted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment:questionnaire", args=[self.pk])

    def question_url(self, key: str) -> str:
        """The questionnaire's page that shows question `key` (one category a page), at it."""
        return f"{self.get_absolute_url()}?question={key}#question-{key}"

    @property
    def lock_held(self) -> bool:
        """Whether this instance came from `lock_open` in the transaction still running: its row
        is locked and was open then, and stays so until that transaction ends."""
        block = _outermost_block()
        return block is not None and getattr(self, "_lock_held_for", None) is block

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class AnswerQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, locked: bool = False, **kwargs):
        """Upserts skip save(): the same guard, one query for the whole batch. `locked` says the
        caller holds the assessment's row lock and checked under it that it is open
        (services.lock_open), which makes the guard's query redundant."""
        objs = list(objs)
        assessment_ids = {obj.assessment_id for obj in objs}
        if not locked and (
            Assessment.objects.filter(
                pk__in=assessment_ids, status=Assessment.Status.SUBMITTED
            ).exists()
        ):
            raise SubmittedAssessmentError
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        if self.filter(assessment__status=Assessment.Status.SUBMITTED).exists():
            raise SubmittedAssessmentError
        return super().update(**kwargs)

    def delete(self):
        if self.filter(assessment__status=Assessment.Status.SUBMITTED).exists():
            raise SubmittedAssessmentError
        return super().delete()


class Answer(models.Model):
    """One respondent's answer to one question; the level is stored as its value on the scale."""

    class NotApplicableReason(models.TextChoices):
        OUT_OF_SCOPE = "out_of_scope", _("Out of scope for this assessment")
        NOT_USED = "not_used", _("Not used by this system")
        OTHER_TEAM = "other_team", _("Handled by another team")
        OTHER = "other", _("Other")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers"
    )
    level_value = models.DecimalField(
        _("level"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    # The respondent cannot say: kept out of the team's median, and reported (issue #13).
    dont_know = models.BooleanField(_("don't know"), default=False)
    na_reason = models.CharField(
        _("why not applicable"), max_length=20, choices=NotApplicableReason.choices, blank=True
    )
    na_detail = models.CharField(_("details"), max_length=300, blank=True)
    notes = models.TextField(_("notes and evidence"), blank=True)
    links = models.TextField(_("evidence links"), blank=True, help_text=_("One URL per line."))
    carried_over = models.BooleanField(_("carried over"), default=False)
    confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question", "respondent"], name="answer_unique_respondent"
            ),
            models.CheckConstraint(
                condition=~models.Q(level_value__isnull=False, not_applicable=True),
                name="answer_level_or_na",
            ),
            models.CheckConstraint(
                condition=models.Q(dont_know=False)
                | models.Q(level_value__isnull=True, not_applicable=False),
                name="answer_dont_know_alone",
            ),
            models.CheckConstraint(
                condition=models.Q(not_applicable=False) | ~models.Q(na_reason=""),
                name="answer_na_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} on {self.question.key}"

    def save(self, *args, **kwargs):
        # The write path (services.record_answer) checks first; this catches any other path.
        if Assessment.objects.filter(
            pk=self.assessment_id, status=Assessment.Status.SUBMITTED
        ).exists():
            raise SubmittedAssessmentError
        super().save(*args, **kwargs)

    @property
    def is_answered(self) -> bool:
        return self.level_value is not None or self.not_applicable

    @property
    def link_list(self) -> list[str]:
        return [line for line in self.links.splitlines() if line.strip()]


class AnswerChange(models.Model):
    """History of a respondent's answer to a question: who changed it, when, the level from what to
    what, and whether the notes or links changed (edits in one sitting make one row)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    from_value = models.CharField(
        max_length=10, blank=True, help_text="A level, 'na', '?' (don't know) or empty."
    )
    to_value = models.CharField(max_length=10, blank=True)
    notes_changed = models.BooleanField(default=False)

    class Meta:
        ordering = ["changed_at", "pk"]
        indexes = [
            # A question's history (its prefix), and a notes autosave's search for the
            # respondent's last change in this sitting: a seek among that respondent's own rows,
            # not a scan of everyone's changes to the question.
            models.Index(
                fields=["assessment", "question", "respondent", "changed_at"],
                name="answer_change_by_respondent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.respondent} {self.from_value or '∅'} → {self.to_value or '∅'}"


class Evidence(models.Model):
    """One piece of an answer's evidence, dated: a link the respondent gave, or a note (a file and
    line a scan found and the respondent accepted). Evidence confirmed longer ago than its
    question's limit is stale, and a reassessment asks to re-attest it (issue #15).

    Links are typed into the answer's `links`; services.answers keeps one row a link, so a link
    kept from save to save keeps its dates."""

    class Kind(models.TextChoices):
        LINK = "link", _("Link")
        NOTE = "note", _("Note")

    class Source(models.TextChoices):
        TYPED = "typed", _("Given by a respondent")
        SCAN = "scan", _("Found by a scan")

    MAX_TEXT = 1000

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=MAX_TEXT)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.TYPED)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField()
    confirmed_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # confirmed_at plus the question's maximum evidence age, set with it: "stale" is then one
    # comparison with now, in SQL on every database (the dashboard counts it per project).
    stale_after = models.DateTimeField()

    class Meta:
        ordering = ["answer", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "kind", "text"], name="evidence_unique_text")
        ]

    def __str__(self) -> str:
        return self.text

    def is_stale(self, now: datetime) -> bool:
        return self.stale_after < now


class Comment(models.Model):
    """A short thread per question, for the meeting where a team settles its disagreements."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=2000)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class Settlement(models.Model):
    """The level a team agreed on for a question it disagreed about; it overrides the median."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="settlements")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="settlements")
    level_value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    note = models.CharField(_("why"), max_length=500, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    settled_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="settlement_unique"),
            models.CheckConstraint(
                condition=models.Q(level_value__isnull=False, not_applicable=False)
                | models.Q(level_value__isnull=True, not_applicable=True),
                name="settlement_level_xor_na",
            ),
        ]

    def __str__(self) -> str:
        return f"Settled {self.question_id}"


class TeamAnswer(models.Model):
    """The team's answer to one question of an open assessment as it stands: the consensus of its
    respondents' answers, rewritten by every write that changes it. Autosave reports progress from
    these rows, one per question, instead of re-reading every respondent's answer; the answers stay
    the source of truth (`services.refresh_team_answers` rebuilds these from them)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="team_answers"
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="team_answers")
    level_value = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    discuss = models.BooleanField(default=False)
    to_confirm = models.BooleanField(default=False)
    dont_know = models.PositiveIntegerField(default=0)  # respondents who said they don't know

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="team_answer_unique")
        ]

    def __str__(self) -> str:
        return f"Team answer to {self.question_id}"
