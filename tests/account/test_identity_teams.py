"""Teams from the identity provider (issue #16): the mapping is checked at start, applied at
each company sign-in, and touches only the teams it names."""

import pytest
from django.core import checks
from django.urls import reverse

from config.settings import content_security_policy, oidc_app
from projects import identity
from projects.apps import idp_teams_check
from projects.models import Membership, Profile, Team
from tests import factories

MAPPING = {
    "ml-search": {"team": "search", "role": "member"},
    "ml-search-leads": {"team": "search", "role": "manager"},
    "ml-risk": {"team": "risk"},
}


@pytest.fixture
def teams_by_slug(db):
    return {
        slug: Team.objects.create(name=slug.title(), slug=slug)
        for slug in ("search", "risk", "invited")
    }


def roles(user) -> dict[str, str]:
    return dict(Membership.objects.filter(user=user).values_list("team__slug", "role"))


def test_the_highest_role_a_group_grants_wins(teams_by_slug):
    user = factories.make_user()
    mapping = identity.parse_mapping(MAPPING)

    applied = identity.apply_groups(
        user=user, groups=["ml-search", "ml-search-leads"], mapping=mapping
    )

    assert applied == {"search": "manager"}
    assert roles(user) == {"search": "manager"}
    assert Profile.of(user).idp_groups == ["ml-search", "ml-search-leads"]


def test_each_sign_in_applies_the_groups_again_and_leaves_invited_teams_alone(teams_by_slug):
    user = factories.make_user()
    factories.add_member(teams_by_slug["invited"], user, Membership.Role.MEMBER)
    mapping = identity.parse_mapping(MAPPING)
    identity.apply_groups(user=user, groups=["ml-search-leads", "ml-risk"], mapping=mapping)

    identity.apply_groups(user=user, groups=["ml-search"], mapping=mapping)  # left risk, demoted

    assert roles(user) == {"search": "member", "invited": "member"}


@pytest.mark.parametrize(
    ("claims", "groups"),
    [
        ({"groups": ["b", "a", "a"]}, ["a", "b"]),
        ({"groups": "solo"}, ["solo"]),
        ({"groups": {"not": "a list"}}, []),
        ({"groups": [{"x": 1}, "ok"]}, ["ok"]),
        ({}, []),
    ],
)
def test_groups_are_read_from_the_claim_whatever_its_shape(claims, groups):
    assert identity.groups_of(claims, "groups") == groups


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"g": "search"}, "give {'team': slug, 'role': role}"),
        ({"g": {"team": "search", "role": "owner"}}, "member or manager, not 'owner'"),
        ({"g": {"role": "member"}}, "give {'team'"),
    ],
)
def test_a_malformed_mapping_stops_the_start(settings, raw, message):
    settings.PAYDOWN_IDP_TEAMS = raw
    (error,) = idp_teams_check(None)
    assert error.level == checks.ERROR
    assert message in error.msg


def test_the_login_page_offers_each_configured_provider(db, client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                oidc_app(
                    id="acme",
                    name="Acme SSO",
                    issuer="https://idp.acme.example",
                    client_id="c",
                    secret="s",
                )
            ]
        }
    }
    page = client.get(reverse("login")).text
    assert "Sign in with Acme SSO" in page
    assert "/accounts/sso/oidc/acme/login/" in page


def test_form_action_allows_the_providers_origin():
    policy = content_security_policy(["https://idp.acme.example"])
    assert "form-action 'self' https://idp.acme.example" in policy


def test_the_first_sign_in_makes_a_mapped_team_so_no_admin_is_needed(db):
    user = factories.make_user()
    mapping = identity.parse_mapping(
        {"fraud": {"team": "fraud-models", "role": "manager", "name": "Fraud models"}}
    )
    identity.apply_groups(user=user, groups=["fraud"], mapping=mapping)
    team = Team.objects.get(slug="fraud-models")
    assert team.name == "Fraud models"
    assert roles(user) == {"fraud-models": "manager"}


def test_a_team_that_is_not_a_slug_stops_the_start(settings):
    settings.PAYDOWN_IDP_TEAMS = {"g": {"team": "Not A Slug"}}
    (error,) = idp_teams_check(None)
    assert "a slug" in error.msg
