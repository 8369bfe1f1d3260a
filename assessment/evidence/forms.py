from django import forms
from django.utils.translation import gettext_lazy as _
from paydown.scan import document

from assessment.services import scans


class ScanUploadForm(forms.Form):
    scan = forms.FileField(
        label=_("Scan (JSON)"),
        help_text=_("The output of paydown scan --format json, at most 2 MB."),
    )

    def clean_scan(self) -> dict:
        upload = self.cleaned_data["scan"]
        if upload.size > document.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; the limit is 2 MB.") % {"size": f"{upload.size:,}"}
            )
        try:
            return document.read(upload.read())
        except document.ScanDocumentError as error:
            raise forms.ValidationError(error.errors) from None


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (scans.ACCEPT, _("Accept the level and its evidence")),
            (scans.EVIDENCE_ONLY, _("Keep only the evidence")),
            (scans.DISMISS, _("Dismiss")),
        ]
    )
