from django import forms
from django.utils.translation import gettext_lazy as _

from banks.queries import TargetChoices
from projects.models import Project


class ProjectForm(forms.ModelForm):
    """A project, its risk tier, and optionally a target level per category of the default question
    bank over the tier's."""

    class Meta:
        model = Project
        fields = ["name", "description", "kind", "reassess_every_days"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, choices: TargetChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices or TargetChoices()
        self.target_keys = []
        if choices.tiers:
            self.fields["risk_tier"] = forms.ChoiceField(
                label=_("Risk tier"),
                choices=[("", _("None: every category aims at the top level"))] + choices.tiers,
                required=False,
                initial=self.instance.risk_tier,
                help_text=_(
                    "Sets the target level of each category, and of critical questions, from the "
                    "bank's tier; the targets below override it per category."
                ),
            )
        targets = self.instance.targets or {}
        levels = [("", _("The tier's target (top level without a tier)"))] + [
            (f"{value:g}", _("Level %(level)s") % {"level": f"{value:g}"})
            for value in choices.scale
        ]
        for key, name in choices.categories:
            field_name = f"target_{key}"
            self.fields[field_name] = forms.ChoiceField(
                label=_("Target for %(category)s") % {"category": name},
                choices=levels,
                required=False,
                initial="" if key not in targets else f"{targets[key]:g}",
            )
            self.target_keys.append((field_name, key))

    def project_fields(self) -> dict:
        """The project's settings as services.update_project takes them."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if "risk_tier" in self.fields:
            fields["risk_tier"] = self.cleaned_data["risk_tier"]
        if self.target_keys:
            fields["targets"] = {
                key: float(self.cleaned_data[field])
                for field, key in self.target_keys
                if self.cleaned_data.get(field)
            }
        return fields
