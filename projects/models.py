"""Teams, their members' roles, and the ML projects they assess."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MANAGER = "manager", _("Manager")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_team_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=["member", "manager"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.get_role_display()})"


class Project(models.Model):
    class Kind(models.TextChoices):
        CLASSIFICATION = "classification", _("Classification")
        REGRESSION = "regression", _("Regression or forecasting")
        RANKING = "ranking", _("Ranking or recommendation")
        NLP = "nlp", _("Language models and NLP")
        VISION = "vision", _("Computer vision")
        ANOMALY = "anomaly", _("Anomaly or fraud detection")
        OTHER = "other", _("Other")

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="projects")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind of ML system"), max_length=20, choices=Kind.choices, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    # A key of a tier of the bank (e.g. "internal"); a bank version lists its tiers and their targets.
    risk_tier = models.SlugField(_("risk tier"), max_length=60, blank=True)
    # Lets the project's level badge be read without a login (issue #14); renewing it
    # invalidates every URL that carries the old one. It reveals only the level and score.
    badge_token = models.CharField(_("badge token"), max_length=64, blank=True)
    targets = models.JSONField(
        _("target overrides"),
        default=dict,
        blank=True,
        help_text=_(
            "Target level per category key, over the risk tier's; a category in neither aims at "
            "the top level."
        ),
    )

    # Days after the last submit at which the project is due for reassessment and its managers
    # are reminded (issue #17); empty: the STALE_AFTER_DAYS setting.
    reassess_every_days = models.PositiveSmallIntegerField(
        _("reassess every (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text=_("Empty: the site's default."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.slug])

    @property
    def cadence_days(self) -> int:
        """The project's own reassessment cadence wins over the site's."""
        return self.reassess_every_days or settings.STALE_AFTER_DAYS

    @classmethod
    def from_db(cls, db, field_names, values):
        project = super().from_db(db, field_names, values)
        # The team it was read with: what other apps keep per team can tell a move from an edit.
        project.loaded_team_id = project.__dict__.get("team_id")
        return project


class AcceptedRisk(models.Model):
    """A team's decision to leave its project's gap on one question open, for a stated reason, until
    a date: until then the plan leaves the gap out and its interest stops. Apart from tracked
    actions, which are steps taken; one per project and question key, across bank versions."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="accepted_risks")
    question_key = models.SlugField(_("question"), max_length=80)
    reason = models.TextField(_("why the risk is accepted"), max_length=2000)
    until = models.DateField(_("accepted until"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), auto_now=True)

    class Meta:
        ordering = ["question_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "question_key"], name="acceptedrisk_unique_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.question_key} accepted until {self.until}"


class ApiToken(models.Model):
    """A bearer token for the API (issue #14), personal or scoped to one project. Only its SHA-256
    digest is kept: the token is shown once, when made; its prefix names it in lists."""

    class Scope(models.TextChoices):
        READ = "read", _("Read")
        ANSWER = "answer", _("Answer")
        SUBMIT = "submit", _("Submit")
        MANAGE = "manage", _("Manage")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        help_text=_("Empty: every project the user may see."),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class Invitation(models.Model):
    """A manager's invitation to a team (issue #16): the emailed link works once, until it
    expires. Only the token's SHA-256 digest is kept, as for API tokens."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "pk"]

    def __str__(self) -> str:
        return f"{self.email} to {self.team} ({self.get_role_display()})"


class Profile(models.Model):
    """What a user sets on the profile page beyond Django's user: the language of the pages."""

    # Where a signed-in person's language is kept for each request (config.middleware): set at
    # sign-in from here (projects.signals) and wherever they choose it, so no page reads this row.
    LANGUAGE_SESSION_KEY = "paydown_language"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )

    class RespondentRole(models.TextChoices):
        DATA_SCIENTIST = "data-scientist", _("Data scientist")
        ML_ENGINEER = "ml-engineer", _("ML engineer")
        DATA_ENGINEER = "data-engineer", _("Data engineer")
        PLATFORM = "platform", _("Platform engineer or SRE")
        PRODUCT = "product", _("Product")
        OTHER = "other", _("Other")

    language = models.CharField(_("language"), max_length=10, default=settings.LANGUAGE_CODE)
    # The role a person answers from (issue #17): results compare the roles' answers.
    respondent_role = models.CharField(
        _("your role"), max_length=20, choices=RespondentRole.choices, blank=True
    )
    # Which emails the person wants (issue #17); each kind can be switched off.
    weekly_digest = models.BooleanField(_("weekly digest"), default=True)
    stale_reminders = models.BooleanField(_("stale project reminders"), default=True)
    # What the identity provider said at the last company sign-in (projects.identity).
    idp_groups = models.JSONField(_("identity provider groups"), default=list, blank=True)
    idp_synced_at = models.DateTimeField(_("teams from the identity provider"), null=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"

    @classmethod
    def of(cls, user) -> "Profile":
        """The user's profile, made on first use (accounts made before profiles have none)."""
        return cls.objects.get_or_create(user=user)[0]


class SignInLink(models.Model):
    """A one-time sign-in link for a staff user (`manage.py signin_link`), so that an admin is
    never locked out when password sign-in is off (issue #16). Only the token's digest is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_in_links"
    )
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"sign-in link for {self.user}"
