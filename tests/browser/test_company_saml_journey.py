"""SAML 2.0 company sign-in end to end (issue #16): a pysaml2 identity provider in a process of its
own (tests/saml_idp) signs its assertions; Paydown (allauth, python3-saml) requires that, and the
browser lands in the team the SAML `groups` attribute maps to."""

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from config.settings import content_security_policy, saml_app
from projects.models import Membership, Profile

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not django_settings.SAML_AVAILABLE, reason="no xmlsec binding here"),
]

PASSWORD = "saml-pass-for-tests"


@pytest.fixture
def idp(tmp_path, live_server, settings, team1):
    from tests.saml_idp.server import require_xmlsec1, start_idp

    require_xmlsec1()
    started = start_idp(
        tmp_path,
        users=[
            {
                "username": "sam",
                "password": PASSWORD,
                "email": "sam@acme.example",
                "name": "Sam Member",
                "groups": ["ml-search"],
            }
        ],
        sp_metadata_url=f"{live_server.url}/accounts/sso/saml/company/metadata/",
    )
    app = saml_app(
        slug="company",
        name="Acme SAML",
        idp={
            "entity_id": started.entity_id,
            "sso_url": started.sso_url,
            "x509cert": started.certificate_body,
        },
    )
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}, "saml": {"APPS": [app]}}
    settings.CONTENT_SECURITY_POLICY = content_security_policy([started.base_url])
    settings.PAYDOWN_IDP_TEAMS = {"ml-search": {"team": team1.slug, "role": "member"}}
    try:
        yield started
    finally:
        started.stop()


def test_a_person_signs_in_with_saml_and_lands_in_the_mapped_team(page, idp, team1):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Acme SAML").click()
    continue_button = page.get_by_role("button", name="Continue")
    if continue_button.count():  # allauth asks before leaving the site
        continue_button.click()
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Search & Ranking")).to_be_visible()
    page.console_problems.clear()  # the test IdP's pages are not ours
    membership = Membership.objects.get(user__email="sam@acme.example")
    assert (membership.team, membership.role) == (team1, "member")
    assert Profile.objects.get(user=membership.user).idp_groups == ["ml-search"]


def test_the_app_requires_signed_assertions_and_refuses_idp_initiated_sign_in():
    advanced = saml_app(slug="x", name="X", idp={"entity_id": "e"})["settings"]["advanced"]
    assert advanced["want_assertion_signed"] is True
    assert advanced["reject_idp_initiated_sso"] is True
