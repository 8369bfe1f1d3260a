"""Forms for starting and answering an assessment, commenting and settling a disagreement."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from assessment.models import Answer
from assessment.services import AnswerInput
from banks.models import BankVersion

NOT_APPLICABLE = "na"
DONT_KNOW = "dont_know"
MAX_LINKS = 20


def na_reasons_for(version: BankVersion) -> dict[str, str]:
    """The reasons offered for "not applicable", by value. With method version 2 N/A holds only
    under the question's stated precondition, and a part run by another team is still answered
    for the system (the level the platform provides), so that reason is no longer offered; it
    stays in the model for the answers that have it."""
    reasons = dict(Answer.NotApplicableReason.choices)
    if version.method_version == 2:
        del reasons[Answer.NotApplicableReason.OTHER_TEAM]
    return reasons


def _level_or_na(form: forms.Form, choice: str) -> Decimal | str | None:
    """A choice of one of the question's levels or "na" (where allowed); None for no choice."""
    if not choice:
        return None
    if choice == NOT_APPLICABLE:
        if not form.allow_na:
            raise forms.ValidationError(_("This question must be answered for every system."))
        return NOT_APPLICABLE
    try:
        value = Decimal(choice)
    except InvalidOperation:
        value = None
    # NaN, sNaN and infinities are not levels; sNaN would even raise on comparison.
    if value is None or not value.is_finite() or value not in form.scale:
        raise forms.ValidationError(_("That is not one of this question's levels."))
    return value


class AnswerForm(forms.Form):
    """One respondent's answer to one question, as posted by the questionnaire (with or without JS).

    The questionnaire always sends `choice` (a hidden empty one before the radios), `notes` and
    `links`; a post without them is not this form, and must not read as an empty answer.
    An empty `choice` means "no level given": the saved level, if any, is kept. A level, "na"
    and "dont_know" exclude each other: a post that sends two of them is refused, not read as
    whichever came last.
    """

    REQUIRED_KEYS = ("choice", "notes", "links")

    choice = forms.CharField(required=False, max_length=10)
    na_reason = forms.ChoiceField(
        label=_("Why does it not apply?"),
        choices=[("", _("Choose a reason…")), *Answer.NotApplicableReason.choices],
        required=False,
    )
    na_detail = forms.CharField(label=_("Details"), required=False, max_length=300)
    notes = forms.CharField(
        label=_("Notes and evidence"), required=False, max_length=5000, strip=False
    )
    links = forms.CharField(
        label=_("Evidence links"),
        required=False,
        max_length=4000,
        help_text=_("One URL per line: a dashboard, a runbook, a pull request."),
    )
    confirm = forms.BooleanField(required=False)

    def __init__(
        self,
        *args,
        scale: list[Decimal],
        allow_na: bool,
        na_reasons: dict[str, str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.allow_na = allow_na
        self.na_reasons = (
            dict(Answer.NotApplicableReason.choices) if na_reasons is None else na_reasons
        )

    def clean_choice(self) -> Decimal | str | None:
        # The field reads the last `choice` sent; the questionnaire sends an empty one, then the
        # ticked radio. More than one answer means a tampered form.
        sent = self.data.getlist("choice") if hasattr(self.data, "getlist") else []
        if len({c.strip() for c in sent if c.strip()}) > 1:
            raise forms.ValidationError(
                _("Choose one answer: a level, “not applicable” or “don't know”.")
            )
        choice = self.cleaned_data["choice"].strip()
        if choice == DONT_KNOW:
            return DONT_KNOW
        return _level_or_na(self, choice)

    def clean_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise forms.ValidationError(_("At most %(n)d links.") % {"n": MAX_LINKS})
        validate = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                validate(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("“%(link)s” is not a web address (http:// or https://).") % {"link": line}
                ) from None
        return "\n".join(lines)

    def clean(self):
        data = super().clean()
        if data.get("choice") == NOT_APPLICABLE:
            if not data.get("na_reason"):
                self.add_error(
                    "na_reason", _("Say why it does not apply, to save “not applicable”.")
                )
            elif data["na_reason"] not in self.na_reasons:
                self.add_error(
                    "na_reason",
                    _(
                        "“%(reason)s” is no longer a reason for “not applicable”: answer the "
                        "level the platform provides for this system and link its documentation."
                    )
                    % {"reason": Answer.NotApplicableReason(data["na_reason"]).label},
                )
            elif data["na_reason"] == Answer.NotApplicableReason.OTHER and not data.get(
                "na_detail"
            ):
                self.add_error("na_detail", _("Describe the reason in a few words."))
        return data

    def level_saved(self, before: Decimal | None) -> Decimal | None:
        """The respondent's level once this form is saved: the one chosen, else (no level
        given) the level saved `before`; None for N/A and "don't know"."""
        choice = self.cleaned_data["choice"]
        if choice is None:
            return before
        return choice if isinstance(choice, Decimal) else None

    def to_input(self) -> AnswerInput:
        data = self.cleaned_data
        not_applicable = data["choice"] == NOT_APPLICABLE
        dont_know = data["choice"] == DONT_KNOW
        return AnswerInput(
            value=None if not_applicable or dont_know else data["choice"],
            not_applicable=not_applicable,
            dont_know=dont_know,
            na_reason=data["na_reason"] if not_applicable else "",
            na_detail=data["na_detail"] if not_applicable else "",
            notes=data["notes"],
            links=data["links"],
            confirm=data["confirm"],
        )

    def as_sent(self) -> Answer:
        """What the respondent sent, as an unsaved answer, to show back on a form that was
        refused (without JavaScript the page reloads): nothing chosen or typed is lost."""
        choice = self.data.get("choice", "").strip()
        try:
            value = Decimal(choice)
        except InvalidOperation:
            value = None
        return Answer(
            level_value=value if value in self.scale else None,
            not_applicable=choice == NOT_APPLICABLE,
            dont_know=choice == DONT_KNOW,
            na_reason=self.data.get("na_reason", "")[:20],
            na_detail=self.data.get("na_detail", "")[:300],
            notes=self.data.get("notes", ""),
            links=self.data.get("links", ""),
        )

    @classmethod
    def missing_keys(cls, data) -> list[str]:
        return [key for key in cls.REQUIRED_KEYS if key not in data]

    def first_error(self) -> str:
        return next(iter(self.errors.values()))[0]


class StartAssessmentForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("Question bank"),
        queryset=BankVersion.objects.none(),
        empty_label=None,
        help_text=_("The latest published version of each bank."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    carry_over = forms.BooleanField(
        label=_("Start from the previous assessment's answers"),
        required=False,
        help_text=_(
            "Its team answers and evidence are copied by question and marked “carried over” "
            "until someone confirms or changes them."
        ),
    )

    def __init__(self, *args, versions, can_carry_over: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: f"{v.bank.name} (v{v.number})"
        if not can_carry_over:
            del self.fields["carry_over"]


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SettleForm(forms.Form):
    choice = forms.CharField(max_length=10)
    note = forms.CharField(label=_("Why the team agreed on this"), required=False, max_length=500)

    def __init__(self, *args, scale: list[Decimal], allow_na: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.allow_na = allow_na

    def clean_choice(self) -> Decimal | str | None:
        # A team settles on a level or "not applicable"; "don't know" is no settlement.
        return _level_or_na(self, self.cleaned_data["choice"].strip())
