from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.access import User, visible_projects
from projects.models import ApiToken, Project

NEVER = "never"
EXPIRY_CHOICES = [
    ("30", _("In 30 days")),
    ("90", _("In 90 days")),
    ("365", _("In a year")),
    (NEVER, _("Never")),
]


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.team.name} · {obj.name}"


class ApiTokenForm(forms.Form):
    """A new token: what it is for, the one project it may reach (or all the user's), its scopes
    and how long it lives. Only projects the user may see are offered, and only those accepted."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “CI pipeline”."),
    )
    project = ProjectChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("All your projects"),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one scope.")},
    )
    expires_in = forms.ChoiceField(label=_("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = (
            visible_projects(user).select_related("team").order_by("team__name", "name")
        )

    def expires_at(self, *, now: datetime) -> datetime | None:
        days = self.cleaned_data["expires_in"]
        return None if days == NEVER else now + timedelta(days=int(days))
