"""Company sign-in end to end (issue #16): a real OpenID Connect provider (django-oidc-provider,
tests/oidc_idp, in a process of its own) and Paydown's live server; a browser signs in with the
provider and lands in the team its groups map to, with the mapped role."""

import pytest
from playwright.sync_api import expect

from config.settings import content_security_policy, oidc_app
from projects.models import Membership, Profile
from tests.oidc_idp.server import start_provider

pytestmark = pytest.mark.browser

PASSWORD = "idp-pass-for-tests"


@pytest.fixture
def provider(tmp_path, live_server, settings, team1):
    callback = f"{live_server.url}/accounts/sso/oidc/company/login/callback/"
    started = start_provider(
        tmp_path,
        redirect_uris=[callback],
        users=[
            {
                "username": "erin",
                "password": PASSWORD,
                "email": "erin@acme.example",
                "name": "Erin Lead",
                "groups": ["ml-search-leads", "unrelated"],
            }
        ],
    )
    app = oidc_app(
        id="company",
        name="Acme SSO",
        issuer=started.issuer,
        client_id=started.client_id,
        secret=started.client_secret,
    )
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": [app], "OAUTH_PKCE_ENABLED": True}
    }
    settings.CONTENT_SECURITY_POLICY = content_security_policy([started.base_url])
    settings.PAYDOWN_IDP_TEAMS = {
        "ml-search": {"team": team1.slug, "role": "member"},
        "ml-search-leads": {"team": team1.slug, "role": "manager"},
    }
    try:
        yield started
    finally:
        started.stop()


def test_a_person_signs_in_with_the_company_provider_and_lands_in_the_mapped_team(
    page, provider, team1
):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Acme SSO").click()
    page.get_by_role("button", name="Continue").click()  # allauth asks before leaving the site
    page.get_by_label("Username").fill("erin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Search & Ranking")).to_be_visible()
    page.console_problems.clear()  # the test provider's own pages have no favicon: not ours
    membership = Membership.objects.get(user__username="erin")
    assert (membership.team, membership.role) == (team1, "manager")
    profile = Profile.objects.get(user__username="erin")
    assert profile.idp_groups == ["ml-search-leads", "unrelated"]
    assert profile.user.email == "erin@acme.example"
    page.goto("/accounts/profile/")
    expect(page.locator("#my-teams")).to_contain_text("Search & Ranking: Manager")
    expect(page.locator("#idp-groups")).to_contain_text("ml-search-leads")
    assert page.console_problems == []
