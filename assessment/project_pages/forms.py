from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Project


class ProjectForm(forms.ModelForm):
    """A project, and optionally its target level per category of the default question bank."""

    class Meta:
        model = Project
        fields = ["name", "description", "kind"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, categories=(), scale=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target_keys = []
        targets = self.instance.targets or {}
        choices = [("", _("Top level (default)"))] + [
            (f"{value:g}", _("Level %(level)s") % {"level": f"{value:g}"}) for value in scale[:-1]
        ]
        for key, name in categories:
            field_name = f"target_{key}"
            self.fields[field_name] = forms.ChoiceField(
                label=_("Target for %(category)s") % {"category": name},
                choices=choices,
                required=False,
                initial="" if key not in targets else f"{targets[key]:g}",
            )
            self.target_keys.append((field_name, key))

    def save(self, commit: bool = True) -> Project:
        project = super().save(commit=False)
        if self.target_keys:
            project.targets = {
                key: float(self.cleaned_data[field])
                for field, key in self.target_keys
                if self.cleaned_data.get(field)
            }
        if commit:
            project.save(update_fields=["name", "description", "kind", "targets"])
        return project
