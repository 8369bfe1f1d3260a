"""Forms for curating banks: list fields edited one item per line, and the file import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from banks.files import MAX_FILE_BYTES


class LinesField(forms.CharField):
    """A list of strings edited as one item per line: easier than JSON for people in the admin."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class BankImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bank file (YAML)"),
        help_text=_(
            "One bank version in the documented format, at most 2 MB. It is imported as a draft: "
            "preview it, then publish it."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s bytes; the limit is 2 MB.") % {"size": f"{upload.size:,}"}
            )
        return upload
