"""Forms for taking a plan's action into the backlog and updating it there."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessment.models import TrackedAction


class TrackActionForm(forms.Form):
    question = forms.SlugField(widget=forms.HiddenInput)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    due = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members


class TrackedActionUpdateForm(forms.ModelForm):
    class Meta:
        model = TrackedAction
        fields = ["status", "owner", "due"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members


class AcceptRiskForm(forms.Form):
    """The team leaves a gap open on purpose: why, and until when (shown in results and PDF)."""

    question = forms.SlugField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))


class WithdrawRiskForm(forms.Form):
    question = forms.SlugField(widget=forms.HiddenInput)
