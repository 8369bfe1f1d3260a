"""The claims the test provider hands out: the standard ones from the Django user, and `groups`."""

from oidc_provider.lib.claims import ScopeClaims


def userinfo(claims, user):
    """OIDC_USERINFO: fill the standard claims from the Django user."""
    claims["name"] = user.get_full_name() or user.get_username()
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["preferred_username"] = user.get_username()
    claims["email"] = user.email
    # The test provider is the source of truth for its users' addresses.
    claims["email_verified"] = bool(user.email)
    return claims


class GroupsScopeClaims(ScopeClaims):
    """OIDC_EXTRA_SCOPE_CLAIMS: scope `groups` gives claim `groups`, the names of the user's
    Django groups, sorted."""

    info_groups = ("Groups", "The names of the groups you belong to.")

    def scope_groups(self):
        return {"groups": sorted(self.user.groups.values_list("name", flat=True))}
