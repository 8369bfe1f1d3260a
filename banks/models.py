"""Question banks: banks, their versions, and each version's categories, questions and levels.

The models moved here from the assessment app; their tables kept their names (and rows).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PublishedVersionError(Exception):
    """A published or retired bank version was about to change: past scores depend on it."""

    def __init__(self, version_id: int | None = None) -> None:
        super().__init__(
            f"Bank version {version_id} is published and cannot be changed; "
            "make a new draft from it instead."
        )


class QuestionBank(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        db_table = "assessment_questionbank"  # the table predates the banks app
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BankVersionQuerySet(models.QuerySet):
    def published(self) -> "BankVersionQuerySet":
        return self.filter(status=BankVersion.Status.PUBLISHED)

    def update(self, **kwargs):
        if set(kwargs) - {"status"} and self.exclude(status=BankVersion.Status.DRAFT).exists():
            raise PublishedVersionError()
        return super().update(**kwargs)

    def delete(self):
        if self.exclude(status=BankVersion.Status.DRAFT).exists():
            raise PublishedVersionError()
        return super().delete()


class BankVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    class ScoringMethod(models.TextChoices):
        MATURITY = "maturity", _("Maturity (weighted mean of levels)")
        ML_TEST_SCORE = "ml-test-score", _("ML Test Score (minimum over sections)")

    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    changelog = models.TextField(_("changelog"), blank=True)
    scoring_method = models.CharField(
        _("scoring method"),
        max_length=20,
        choices=ScoringMethod.choices,
        default=ScoringMethod.MATURITY,
    )
    scale = models.JSONField(
        _("scale"),
        default=list,
        help_text=_("The level values every question offers, ascending, e.g. [0, 1, 2, 3, 4]."),
    )
    # Maturity method version 2 gives the level by gates (docs/scoring.md); 1 bands the mean.
    method_version = models.PositiveSmallIntegerField(
        _("method version"), default=1, choices=[(1, "1"), (2, "2")]
    )
    gate_share = models.DecimalField(
        _("gate share"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(1)],
        help_text=_("Method 2: the share of the applicable weight a level needs."),
    )
    level_rule = models.TextField(
        _("level rule"),
        blank=True,
        help_text=_("How to choose a level when only some of its conditions hold."),
    )
    evidence_link_from_level = models.DecimalField(
        _("evidence link from level"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Answers at this level or above ask for a link to evidence."),
    )
    # Parsed and checked as in the bank file (docs/bank-format.md): read whole, never queried into.
    tiers = models.JSONField(_("risk tiers"), default=list, blank=True)
    mlops_levels = models.JSONField(_("MLOps level mapping"), default=dict, blank=True)
    previous_version = models.JSONField(
        _("key map from the previous version"), default=dict, blank=True
    )
    # None: the app's default (assessment.freshness.DEFAULT_MAX_AGE_DAYS).
    evidence_max_age_days = models.PositiveSmallIntegerField(
        _("maximum evidence age (days)"),
        null=True,
        blank=True,
        help_text=_("Evidence confirmed longer ago than this is stale."),
    )
    # The texts in other languages (issue #17), as paydown.bankfile.translations keeps them:
    # place → language → field → text. Part of the version: frozen with it once published.
    translations = models.JSONField(_("translations"), default=dict, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BankVersionQuerySet.as_manager()

    class Meta:
        db_table = "assessment_bankversion"  # the table predates the banks app
        ordering = ["bank__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "number"], name="bankversion_unique_number"),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published", "retired"]),
                name="bankversion_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="bankversion_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    # The one rule kept in save(): a published version is frozen even when the admin is bypassed.
    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = BankVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            update_fields = kwargs.get("update_fields")
            only_status = update_fields is not None and set(update_fields) <= {"status"}
            if stored not in (None, self.Status.DRAFT) and not only_status:
                raise PublishedVersionError(self.pk)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if not BankVersion.objects.filter(pk=self.pk, status=self.Status.DRAFT).exists():
            raise PublishedVersionError(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def label(self) -> str:
        """The bank and version, for a sentence that says the status itself."""
        return f"{self.bank.name} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def get_preview_url(self) -> str:
        return reverse("assessment:bank_preview", args=[self.bank.slug, self.number])


# A question's scan rules change no score: they may follow the shipped file after publishing
# (files.load_shipped_banks), through update() alone.
UNFROZEN_FIELDS = {"signals"}


class FrozenContentQuerySet(models.QuerySet):
    def _touches_frozen_version(self) -> bool:
        lookup = f"{self.model.version_path}__status__in"
        return self.filter(
            **{lookup: [BankVersion.Status.PUBLISHED, BankVersion.Status.RETIRED]}
        ).exists()

    def update(self, **kwargs):
        if not set(kwargs) <= UNFROZEN_FIELDS and self._touches_frozen_version():
            raise PublishedVersionError()
        return super().update(**kwargs)

    def delete(self):
        if self._touches_frozen_version():
            raise PublishedVersionError()
        return super().delete()


class VersionContent(models.Model):
    """Content of a bank version: editable while the version is a draft, frozen after."""

    version_path = "version"  # lookup from this model to its BankVersion

    objects = FrozenContentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._version_is_frozen():
            raise PublishedVersionError(self._bank_version_id())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._version_is_frozen():
            raise PublishedVersionError(self._bank_version_id())
        return super().delete(*args, **kwargs)

    def _version_is_frozen(self) -> bool:
        version_id = self._bank_version_id()
        return (
            version_id is not None
            and BankVersion.objects.filter(pk=version_id)
            .exclude(status=BankVersion.Status.DRAFT)
            .exists()
        )

    def _bank_version_id(self) -> int | None:
        return self.version_id


positive = MinValueValidator(0.01)


class Category(VersionContent):
    version = models.ForeignKey(BankVersion, on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=1, validators=[positive]
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        db_table = "assessment_category"  # the table predates the banks app
        ordering = ["version", "order", "pk"]
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="category_unique_key"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="category_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Question(VersionContent):
    # Denormalized from category.version so keys are unique per version in the database.
    version = models.ForeignKey(BankVersion, on_delete=models.CASCADE, related_name="questions")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Stable across versions: scores are compared by it.")
    )
    text = models.TextField(_("question"))
    why = models.TextField(_("why it matters"))
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=1, validators=[positive]
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    allow_na = models.BooleanField(_("“not applicable” allowed"), default=True)
    na_precondition = models.TextField(
        _("N/A only when"),
        blank=True,
        help_text=_("Method 2: the stated condition under which N/A may be chosen."),
    )
    critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_("Method 2: a level is not reached while this is more than one level below."),
    )
    prerequisites = models.JSONField(
        _("prerequisites"),
        default=list,
        blank=True,
        help_text=_("Keys of questions to raise first."),
    )
    covers = models.JSONField(
        _("covers"), default=list, blank=True, help_text=_("Debt types and ML Test Score tests.")
    )
    references = models.JSONField(_("references"), default=list, blank=True)
    evidence_max_age_days = models.PositiveSmallIntegerField(
        _("maximum evidence age (days)"),
        null=True,
        blank=True,
        help_text=_("This question's own limit; the version's applies when empty."),
    )
    # The rules of `paydown scan` (docs/bank-format.md, "Signals"): kept so that export gives the
    # file back; the server never runs them, it reads the scans that teams upload.
    signals = models.JSONField(_("scan signals"), default=list, blank=True)

    class Meta:
        db_table = "assessment_question"  # the table predates the banks app
        ordering = ["category__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="question_unique_key"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="question_weight_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"


class QuestionContent(VersionContent):
    version_path = "question__version"

    class Meta:
        abstract = True

    def _bank_version_id(self) -> int | None:
        if self.question_id is None:
            return None
        return Question.objects.filter(pk=self.question_id).values_list("version_id", flat=True)[0]


class Level(QuestionContent):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="levels")
    value = models.DecimalField(_("value"), max_digits=5, decimal_places=2)
    label = models.CharField(_("label"), max_length=80)
    description = models.TextField(_("what this level looks like"))
    evidence = models.TextField(_("evidence to link"), blank=True)

    class Meta:
        db_table = "assessment_level"  # the table predates the banks app
        ordering = ["question", "value"]
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="level_unique_value"),
        ]

    def __str__(self) -> str:
        return f"{self.value:g} {self.label}"


class Remediation(QuestionContent):
    class Effort(models.TextChoices):
        SMALL = "S", _("Small")
        MEDIUM = "M", _("Medium")
        LARGE = "L", _("Large")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="remediations")
    to_value = models.DecimalField(_("toward level"), max_digits=5, decimal_places=2)
    advice = models.TextField(_("advice"))
    effort = models.CharField(_("effort"), max_length=1, choices=Effort.choices)
    effort_weeks = models.DecimalField(
        _("effort in person-weeks"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )

    class Meta:
        db_table = "assessment_remediation"  # the table predates the banks app
        ordering = ["question", "to_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "to_value"], name="remediation_unique_step"
            ),
            models.CheckConstraint(
                condition=models.Q(effort__in=["S", "M", "L"]), name="remediation_effort_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=3), name="remediation_impact_range"
            ),
        ]

    def __str__(self) -> str:
        return f"→ {self.to_value:g}: {self.advice[:60]}"
