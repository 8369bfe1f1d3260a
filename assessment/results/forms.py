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
    """Status, owner and due date; closing as accepted risk also says why and until when."""

    risk_reason = forms.CharField(
        label=_("Why the risk is accepted"), max_length=2000, required=False
    )
    risk_until = forms.DateField(
        label=_("Accepted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = TrackedAction
        fields = ["status", "owner", "due"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = members

    def clean(self):
        data = super().clean()
        # In clean() the instance still holds the stored status: only closing it asks why.
        accepting = (
            data.get("status") == TrackedAction.Status.ACCEPTED_RISK
            and self.instance.status != TrackedAction.Status.ACCEPTED_RISK
        )
        if accepting and not (data.get("risk_reason", "").strip() and data.get("risk_until")):
            raise forms.ValidationError(_("Say why the risk is accepted, and until when."))
        return data


class AcceptRiskForm(forms.Form):
    """The team leaves a gap open on purpose: why, and until when (shown in results and PDF)."""

    question = forms.SlugField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    until = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))


class WithdrawRiskForm(forms.Form):
    question = forms.SlugField(widget=forms.HiddenInput)
