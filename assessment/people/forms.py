from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from projects.models import Membership, Profile


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class NewAccountForm(SetPasswordMixin, forms.Form):
    """The account an invitation makes: a user name and a password checked by the validators;
    the email is the invitation's."""

    username = forms.CharField(label=_("User name"), max_length=150)
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean_username(self) -> str:
        name = get_user_model().normalize_username(self.cleaned_data["username"])
        if get_user_model().objects.filter(username__iexact=name).exists():
            raise forms.ValidationError(_("That user name is taken."))
        return name

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(
            get_user_model()(username=self.cleaned_data.get("username"))
        )
        return super().clean()


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        required=False,
        help_text=_("A new address is used once you follow the link sent to it."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    respondent_role = forms.ChoiceField(
        label=_("Your role"),
        choices=[("", _("Not stated"))] + Profile.RespondentRole.choices,
        required=False,
        help_text=_(
            "Results compare how each role answers, for roles with at least two respondents, "
            "so no one's answers are singled out."
        ),
    )
    weekly_digest = forms.BooleanField(
        label=_("Email me a weekly digest"),
        required=False,
        help_text=_(
            "Due and overdue actions, questions waiting for your answer, open disagreements "
            "and evidence turning stale."
        ),
    )
    stale_reminders = forms.BooleanField(
        label=_("Email me when a project I manage is due for reassessment"), required=False
    )

    @classmethod
    def for_user(cls, user, data=None) -> "ProfileForm":
        profile = Profile.of(user)
        initial = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": profile.language,
            "respondent_role": profile.respondent_role,
            "weekly_digest": profile.weekly_digest,
            "stale_reminders": profile.stale_reminders,
        }
        return cls(data, initial=initial)
