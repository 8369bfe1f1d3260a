"""The API tokens page (issue #14): made and shown once, stored as a digest, revoked by its owner
only, and only projects the user may see offered or accepted."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import services as project_services
from projects.models import ApiToken
from tests import factories
from tests.pages import squeeze, table_headed

URL = "/accounts/tokens/"
TOKEN = re.compile(r"pdt_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}")


def make(client, **fields):
    data = {"name": "CI pipeline", "project": "", "scopes": ["read"], "expires_in": "90"}
    return client.post(URL, data | fields)


def shown_token(response) -> str:
    found = TOKEN.findall(response.text)
    assert len(found) == 1, found
    return found[0]


def field_errors(html: str) -> dict[str, str]:
    """The error shown under each field, by field name."""
    return dict(re.findall(r'<p class="error" id="id_(\w+)_error">([^<]*)</p>', html))


def api_projects(client, token: str):
    return client.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})


def test_the_page_is_reached_from_the_url_map_and_needs_a_login(client):
    assert reverse("account:tokens") == URL
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_making_a_token_shows_it_once_and_stores_only_its_digest(client_for, alice):
    client = client_for(alice)
    before = timezone.now()

    response = make(client, name="CI pipeline", scopes=["answer", "read"], expires_in="30")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = shown_token(response)
    row = ApiToken.objects.get()
    assert project_services.token_digest(token) == row.digest
    assert token.startswith(f"pdt_{row.prefix}_")
    assert (row.user, row.name, row.project) == (alice, "CI pipeline", None)
    assert row.scopes == ["read", "answer"]
    assert before + timedelta(days=30) <= row.expires_at <= timezone.now() + timedelta(days=30)
    assert "Shown once: copy it now." in response.text
    assert f'value="{token}"' in response.text
    # Nowhere else: not in the session, not on the next visit.
    again = client.get(URL)
    assert token not in again.text and TOKEN.search(again.text) is None
    assert token not in str(dict(client.session))
    assert table_headed(again.text, "Name", "Token") == [
        [
            "CI pipeline",
            f"pdt_{row.prefix}_…",
            "all your projects",
            "read, answer",
            f"{row.created:%Y-%m-%d}",
            f"{row.expires_at:%Y-%m-%d}",
            "never",
            "Revoke CI pipeline",
        ]
    ]


def test_the_token_works_against_the_api_as_a_bearer(client_for, alice, project1, project2):
    client = client_for(alice)
    token = shown_token(make(client, expires_in="never"))

    response = api_projects(client, token)

    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["items"]] == [project1.slug]
    row = ApiToken.objects.get()
    assert row.expires_at is None and row.last_used_at is not None
    assert f"{row.last_used_at:%Y-%m-%d %H:%M}" in client.get(URL).text


def test_a_project_token_names_one_visible_project(client_for, alice, team1, project1):
    client = client_for(alice)

    response = make(client, project=str(project1.pk), scopes=["read", "submit"])

    row = ApiToken.objects.get()
    assert (row.project, row.scopes) == (project1, ["read", "submit"])
    assert table_headed(response.text, "Name", "Token")[0][2] == "Query ranker"
    assert f'<option value="{project1.pk}">Search &amp; Ranking · Query ranker</option>' in (
        response.text
    )


def test_revoking_stamps_the_token_and_the_api_then_answers_401(client_for, alice, project1):
    client = client_for(alice)
    token = shown_token(make(client))
    row = ApiToken.objects.get()
    assert api_projects(client, token).status_code == 200

    response = client.post(reverse("account:revoke_token", args=[row.pk]), follow=True)

    assert response.redirect_chain == [(URL, 302)]
    row.refresh_from_db()
    assert row.revoked_at is not None
    assert "Token “CI pipeline” revoked: the API refuses it now." in response.text
    status = table_headed(response.text, "Name", "Token")[0][-1]
    assert status == f"Revoked {row.revoked_at:%Y-%m-%d}"
    assert f'action="/accounts/tokens/{row.pk}/revoke/"' not in response.text
    assert api_projects(client, token).status_code == 401


def test_another_user_s_token_id_is_404_and_stays_live(client_for, alice, carol, project2):
    row, token = project_services.create_api_token(user=carol, name="Carol's", scopes=["read"])
    client = client_for(alice)
    url = reverse("account:revoke_token", args=[row.pk])

    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405
    row.refresh_from_db()
    assert row.revoked_at is None
    assert api_projects(client, token).status_code == 200


def test_a_project_of_another_team_is_a_form_error_and_nothing_is_saved(
    client_for, alice, project1, project2
):
    client = client_for(alice)

    response = make(client, project=str(project2.pk))

    assert response.status_code == 422
    assert not ApiToken.objects.exists()
    assert TOKEN.search(response.text) is None
    html = squeeze(response.text)
    assert "The token was not made: see below." in html
    assert field_errors(response.text) == {
        "project": "Select a valid choice. That choice is not one of the available choices."
    }
    assert "Fraud scoring" not in html  # never offered either


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({"scopes": ["read", "admin"]}, "scopes", "Select a valid choice. admin is not one"),
        ({"scopes": []}, "scopes", "Choose at least one scope."),
        ({"expires_in": "7"}, "expires_in", "Select a valid choice. 7 is not one"),
        ({"expires_in": ""}, "expires_in", "This field is required."),
        ({"name": "  "}, "name", "This field is required."),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
        ({"project": "not-a-number"}, "project", "Select a valid choice."),
    ],
)
def test_tampered_input_is_a_form_error_and_nothing_is_saved(
    client_for, alice, project1, fields, field, error
):
    response = make(client_for(alice), **fields)

    assert response.status_code == 422
    assert not ApiToken.objects.exists()
    assert error in field_errors(response.text)[field]


def test_the_page_lists_only_the_user_s_own_tokens(client_for, alice, bob, carol, project1):
    for user, name in [(alice, "Alice's CI"), (bob, "Bob's CI"), (carol, "Carol's CI")]:
        project_services.create_api_token(user=user, name=name, scopes=["read"])

    response = client_for(alice).get(URL)

    assert [row[0] for row in table_headed(response.text, "Name", "Token")] == ["Alice's CI"]


def test_the_page_runs_four_queries_however_many_tokens(
    client_for, alice, team1, project1, django_assert_num_queries
):
    other = factories.make_project(team1, "Other model")
    for project in (None, project1, other):
        project_services.create_api_token(user=alice, name="t", scopes=["read"], project=project)
    client = client_for(alice)

    # session
    # user
    # alice's tokens with their projects
    # the projects alice may see, with their teams (the project select)
    with django_assert_num_queries(4):
        response = client.get(URL)

    assert len(table_headed(response.text, "Name", "Token")) == 3


def test_an_expired_token_says_so_and_can_still_be_revoked(client_for, alice):
    row, _token = project_services.create_api_token(
        user=alice, name="Old", scopes=["read"], expires_at=timezone.now() - timedelta(days=1)
    )

    response = client_for(alice).get(URL)

    assert table_headed(response.text, "Name", "Token")[0][-1] == "Expired Revoke Old"
    assert f'action="/accounts/tokens/{row.pk}/revoke/"' in response.text
