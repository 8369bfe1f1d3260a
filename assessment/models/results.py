"""Scores stored when an assessment is submitted, so later bank or formula changes never alter them."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessment.models.answers import Answer, Assessment
from banks.models import BankVersion, QuestionBank
from projects.models import Project, Team


class AssessmentResult(models.Model):
    assessment = models.OneToOneField(Assessment, on_delete=models.CASCADE, related_name="result")
    version = models.ForeignKey(BankVersion, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=20)
    # The maturity method's version as it was at submit (1: the banded mean; 2: gates) and, for
    # 2, the gate share and what held the next level back: {"level", "share", "critical"}.
    method_version = models.PositiveSmallIntegerField(default=1)
    gate_share = models.DecimalField(max_digits=3, decimal_places=2, null=True)
    held_back_by = models.JSONField(default=dict, blank=True)
    overall = models.DecimalField(max_digits=6, decimal_places=1, null=True)
    level = models.PositiveSmallIntegerField(null=True)
    level_name = models.CharField(max_length=40, blank=True)
    level_meaning = models.CharField(max_length=200, blank=True)
    counted = models.PositiveIntegerField(help_text="Questions the score is computed over.")
    total = models.PositiveIntegerField()
    unanswered = models.PositiveIntegerField(default=0)
    respondents = models.PositiveIntegerField()
    category_weight_sum = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    computed_at = models.DateTimeField(auto_now_add=True)
    # What the exports print of the project and the assessment, as they were at submit: a rename
    # must not change a result's export, nor so its integrity hash.
    project_name = models.CharField(max_length=120, blank=True)
    team_name = models.CharField(max_length=120, blank=True)
    title = models.CharField(max_length=200, blank=True)
    # The export shape this result was submitted under: 1 for results submitted before the
    # snapshots and marks existed (their exports stay byte-identical), 2 with them, 3 since the
    # categories' N/A shares and the method's gate are exported too.
    export_schema = models.PositiveSmallIntegerField(default=3)
    # SHA-256 of the canonical results.json, stored at submit: the report prints it and is stored
    # under it, and rendering must not pay for the export again.
    integrity_sha256 = models.CharField(max_length=64, blank=True, editable=False)

    def __str__(self) -> str:
        return f"Result of {self.assessment}"


class CategoryResult(models.Model):
    result = models.ForeignKey(
        AssessmentResult, on_delete=models.CASCADE, related_name="categories"
    )
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    order = models.PositiveIntegerField()
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    score = models.DecimalField(max_digits=6, decimal_places=1, null=True)
    points = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    level = models.PositiveSmallIntegerField(null=True)
    level_name = models.CharField(max_length=40, blank=True)
    counted = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    weighted_sum = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    weight_sum = models.DecimalField(max_digits=10, decimal_places=2, default=0)

    class Meta:
        ordering = ["result", "order"]
        constraints = [
            models.UniqueConstraint(fields=["result", "key"], name="categoryresult_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.score}"


class QuestionResult(models.Model):
    """The team's answer to one question as it was scored, with the question's text then."""

    result = models.ForeignKey(AssessmentResult, on_delete=models.CASCADE, related_name="questions")
    question_key = models.SlugField(max_length=80)
    category_key = models.SlugField(max_length=60)
    order = models.PositiveIntegerField()
    text = models.TextField()
    weight = models.DecimalField(max_digits=6, decimal_places=2)
    critical = models.BooleanField(default=False)  # as the bank version said at submit
    value = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    not_applicable = models.BooleanField(default=False)
    unanswered = models.BooleanField(default=False)
    settled = models.BooleanField(default=False)
    settled_note = models.CharField(max_length=500, blank=True)
    # A carried-over answer nobody confirmed, or a disagreement nobody settled (the lower middle
    # was used): a manager may submit with them, and reports say so.
    carried_unconfirmed = models.BooleanField(default=False)
    unsettled = models.BooleanField(default=False)
    # Respondents who said they don't know: left out of the median, reported with the result.
    dont_know = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["result", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "question_key"], name="questionresult_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key}: {self.value}"


class AnswerSnapshot(models.Model):
    """One respondent's answer to one question as it stood at submit. Reports and exports read
    these, never the live answer rows."""

    result = models.ForeignKey(AssessmentResult, on_delete=models.CASCADE, related_name="answers")
    question_key = models.SlugField(max_length=80)
    respondent = models.CharField(max_length=150)  # the user name at submit
    value = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    not_applicable = models.BooleanField(default=False)
    dont_know = models.BooleanField(default=False)
    na_reason = models.CharField(max_length=20, blank=True)
    na_detail = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    links = models.TextField(blank=True)
    # The answer's Evidence rows at submit: [{kind, text, source, confirmed_at, stale_after}],
    # dates in ISO 8601; read whole by the results page, the report and the next carry-over.
    evidence = models.JSONField(default=list)
    carried_over = models.BooleanField(default=False)  # still as carried over: nobody confirmed
    confirmed_at = models.DateTimeField(null=True)
    confirmed_by = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["result", "question_key", "respondent"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "question_key", "respondent"], name="answersnapshot_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.respondent} on {self.question_key}"

    @property
    def is_answered(self) -> bool:
        return self.value is not None or self.not_applicable

    @property
    def link_list(self) -> list[str]:
        return [line for line in self.links.splitlines() if line.strip()]

    @property
    def na_reason_label(self) -> str:
        return dict(Answer.NotApplicableReason.choices).get(self.na_reason, self.na_reason)


class LatestResult(models.Model):
    """A project's latest submitted result on one bank, rewritten at each submit: the portfolio's
    rows are one join away, instead of each project's history being searched on every page. It
    carries what the team's counts (`TeamScoreCount`, `TeamGapCount`) were given for it, so they
    can be taken back when it gives way, whatever happens to the result's own rows."""

    AT_OR_BELOW = Decimal(1)  # a question answered at this level or below is a gap

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="latest_results")
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")  # counted under
    result = models.OneToOneField(AssessmentResult, on_delete=models.CASCADE, related_name="+")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    submitted_at = models.DateTimeField()
    overall = models.DecimalField(max_digits=6, decimal_places=1, null=True)
    # {category key: score as a string, or null}, and the keys of the questions that are gaps.
    scores = models.JSONField(default=dict)
    gaps = models.JSONField(default=list)
    # Keys of the categories scored over mostly N/A questions: shown as low confidence (#13).
    low_confidence = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "bank"], name="latestresult_unique")
        ]
        # The dashboard's counts of assessed and stale projects, from the index alone.
        indexes = [models.Index(fields=["bank", "team", "submitted_at"], name="latest_by_team")]

    def __str__(self) -> str:
        return f"Latest of {self.project_id} on {self.bank_id}: {self.overall}"

    @classmethod
    def is_gap(cls, question: QuestionResult) -> bool:
        if question.not_applicable:
            return False
        return question.value is None or question.value <= cls.AT_OR_BELOW

    @property
    def columns(self) -> dict[str, Decimal]:
        """The scores counted for this result: "" for the overall, then each category's."""
        scores = {"": self.overall, **self.scores}
        return {key: Decimal(score) for key, score in scores.items() if score is not None}


class TeamScoreCount(models.Model):
    """How many of a team's projects have this score in one column ("" for the overall) of
    their latest result on a bank: percentiles and level counts add these up over the teams a
    user sees, a few rows per distinct score whatever the number of projects."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="+")
    column = models.CharField(max_length=60, blank=True)
    score = models.DecimalField(max_digits=6, decimal_places=1)
    projects = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "bank", "column", "score"], name="teamscorecount_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.column or 'overall'} {self.score}: {self.projects}"


class TeamGapCount(models.Model):
    """How many of a team's projects answer a question at level 1 or below (or not at all) in
    their latest result on a bank: the portfolio's common gaps."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="+")
    question_key = models.SlugField(max_length=80)
    projects = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team", "bank", "question_key"], name="teamgapcount_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_key}: {self.projects}"


class TrackedAction(models.Model):
    """A remediation step a team accepted into its backlog, followed until done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        WONT_DO = "wont_do", _("Won't do")
        # Left undone on purpose: closing it so records the project's accepted risk (who, why,
        # until when), which takes the gap out of later plans until then.
        ACCEPTED_RISK = "accepted_risk", _("Accepted risk")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)  # work still to do

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions")
    source = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="tracked_actions",
        help_text="The submitted assessment whose plan proposed it.",
    )  # fmt: skip
    question_key = models.SlugField(max_length=80)
    category_key = models.SlugField(max_length=60)
    title = models.TextField()
    advice = models.TextField()
    from_value = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    to_value = models.DecimalField(max_digits=5, decimal_places=2)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "due", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "question_key"], name="trackedaction_unique_per_plan"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["open", "in_progress", "done", "wont_do", "accepted_risk"]
                ),
                name="trackedaction_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_key} → {self.to_value}"
