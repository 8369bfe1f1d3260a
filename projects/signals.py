"""At each sign-in: the person's language into the session; at a company sign-in, the teams the
identity provider's groups grant (projects.identity)."""

from allauth.account.signals import user_logged_in
from django.conf import settings
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from projects import identity
from projects.models import Profile


def claims_of(sociallogin) -> dict:
    """The sign-in's claims: OpenID Connect keeps userinfo and the ID token; a provider's plain
    data otherwise (SAML attributes)."""
    data = sociallogin.account.extra_data or {}
    merged = {**data.get("id_token", {}), **data.get("userinfo", {})}
    return merged or data


@receiver(user_logged_in)
def teams_from_identity_provider(sender, request, user, **kwargs):
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None:  # a local password sign-in: teams are the invitations'
        return
    groups = identity.groups_of(claims_of(sociallogin), settings.PAYDOWN_IDP_GROUPS_CLAIM)
    identity.apply_groups(
        user=user, groups=groups, mapping=identity.parse_mapping(settings.PAYDOWN_IDP_TEAMS)
    )


@receiver(auth_signals.user_logged_in)
def language_from_profile(sender, request, user, **kwargs):
    language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
    if language:
        request.session[Profile.LANGUAGE_SESSION_KEY] = language
