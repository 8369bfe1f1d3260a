from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audit.models import Entry


class AuditFilterForm(forms.Form):
    """The log's filters, read from the query string; a value that does not parse is ignored (the
    form is invalid and the page shows every entry with the field's error)."""

    action = forms.ChoiceField(
        label=pgettext_lazy("audit log", "Action"),
        choices=[("", _("Any"))] + Entry.Action.choices,
        required=False,
    )
    who = forms.CharField(label=_("Who (user name)"), max_length=150, required=False)
    project = forms.CharField(label=_("Project"), max_length=120, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, with_project: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_project:
            del self.fields["project"]

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}
