"""Teams, their members' roles, and the ML projects they assess."""

from django.conf import settings
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
    targets = models.JSONField(
        _("target levels"),
        default=dict,
        blank=True,
        help_text=_("Target level per category key; a category without one aims at the top level."),
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:project_detail", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values):
        project = super().from_db(db, field_names, values)
        # The team it was read with: what other apps keep per team can tell a move from an edit.
        project.loaded_team_id = project.__dict__.get("team_id")
        return project
