"""The project's public level badge (issue #14): an SVG readable with the project's badge token only,
and its link on the project page, created and renewed by the team's managers."""

import pytest
from django.urls import reverse

from banks import files
from banks import services as bank_services
from banks.queries import DEFAULT_BANK
from projects import services as project_services
from tests import factories
from tests.banks.bank_data import small_bank

# data (weight 2): (2 + 1) ÷ 2 ÷ 2 = 75; code: 0; overall (2×75 + 0) ÷ 3 = 50: level 2.
HALFWAY = {"data-a": 2, "data-b": 1, "code-a": 0}


def default_bank_version(number: int = 1):
    """The tiny test bank under the default bank's slug: the badge reads that bank only."""
    draft = files.import_data(small_bank(slug=DEFAULT_BANK, name="Default", version=number))
    return bank_services.publish_version(version=draft)


@pytest.fixture
def default_version(db):
    return default_bank_version()


@pytest.fixture
def token(project1):
    return project_services.renew_badge_token(project=project1)


def badge_url(project, token: str | None) -> str:
    url = reverse("projects:badge", args=[project.slug])
    return url if token is None else f"{url}?token={token}"


def renew_url(project) -> str:
    return reverse("projects:renew_badge", args=[project.slug])


def detail_url(project) -> str:
    return reverse("projects:project_detail", args=[project.slug])


def test_the_badge_shows_the_level_and_score_without_a_login(
    client, project1, bob, default_version, token
):
    factories.make_result(project1, default_version, bob, HALFWAY)

    response = client.get(badge_url(project1, token))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg ")
    assert "<title>paydown: level 2 Defined · 50.0</title>" in svg
    assert ">level 2 Defined · 50.0</text>" in svg
    assert 'fill="#fbf1c7"' in svg  # level 2's colour


def test_the_badge_is_cached_publicly_for_five_minutes(client, project1, token):
    response = client.get(badge_url(project1, token))

    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert directives == {"max-age=300", "public"}


def test_the_badge_shows_the_newest_result_on_the_default_bank_whatever_its_version(
    client, project1, bob, published, default_version, token
):
    factories.make_result(project1, default_version, bob, HALFWAY)
    newer = default_bank_version(number=2)
    factories.make_result(project1, newer, bob, {"data-a": 2, "data-b": 2, "code-a": 1})
    # A later result on another bank does not count.
    factories.make_result(project1, published, bob, {})

    svg = client.get(badge_url(project1, token)).content.decode()

    # data 100, code 50: (2×100 + 50) ÷ 3 = 83.3, level 4.
    assert ">level 4 Optimized · 83.3</text>" in svg
    assert "50.0" not in svg


def test_a_project_without_a_result_on_the_default_bank_is_not_assessed(
    client, project1, bob, published, token
):
    factories.make_result(project1, published, bob, HALFWAY)  # the tiny bank, not the default

    response = client.get(badge_url(project1, token))

    assert response.status_code == 200
    svg = response.content.decode()
    assert ">not assessed</text>" in svg
    assert "level" not in svg and "50.0" not in svg


def test_the_badge_is_as_wide_as_its_text(client, project1, bob, default_version, token):
    not_assessed = client.get(badge_url(project1, token)).content.decode()
    factories.make_result(project1, default_version, bob, HALFWAY)
    assessed = client.get(badge_url(project1, token)).content.decode()

    # 7 px a character and 10 px either side: "paydown" 69, "not assessed" 104.
    assert 'width="173" height="20"' in not_assessed
    # "level 2 Defined · 50.0": 22 characters, 174 px.
    assert 'width="243" height="20"' in assessed


def test_the_badge_shows_nothing_else_of_the_project(client, project1, bob, default_version, token):
    project1.description = "Ranks the search results"
    project1.save(update_fields=["description"])
    factories.make_result(project1, default_version, bob, HALFWAY, title="Secret review")

    svg = client.get(badge_url(project1, token)).content.decode()

    for private in ("Query ranker", "Search", "Ranking", "Ranks", "Secret", "bob", token):
        assert private not in svg, private


@pytest.mark.parametrize("given", [None, "", "wrong", "ä-not-ascii"])
def test_a_wrong_or_missing_token_gets_a_bare_404(
    client, project1, bob, default_version, token, given
):
    factories.make_result(project1, default_version, bob, HALFWAY)

    response = client.get(badge_url(project1, given))

    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"Not found\n"
    assert "max-age" not in response.get("Cache-Control", "")


def test_the_old_token_gets_404_once_renewed(client, project1, bob, default_version, token):
    factories.make_result(project1, default_version, bob, HALFWAY)
    assert client.get(badge_url(project1, token)).status_code == 200

    new = project_services.renew_badge_token(project=project1)

    old = client.get(badge_url(project1, token))
    assert old.status_code == 404
    assert b"50.0" not in old.content
    assert b"50.0" in client.get(badge_url(project1, new)).content


def test_a_project_without_a_badge_token_has_no_badge(client, project1):
    assert project1.badge_token == ""

    assert client.get(badge_url(project1, "")).status_code == 404
    assert client.get(badge_url(project1, None)).status_code == 404


def test_an_unknown_project_gets_the_same_404(client, token):
    response = client.get(f"/badge/no-such-project.svg?token={token}")

    assert response.status_code == 404
    assert response.content == b"Not found\n"


def test_the_badge_answers_only_get(client, project1, token):
    assert client.post(badge_url(project1, token)).status_code == 405
    assert client.head(badge_url(project1, token)).status_code == 405


def test_the_badge_runs_two_queries(
    client, project1, bob, default_version, token, django_assert_num_queries
):
    factories.make_result(project1, default_version, bob, HALFWAY)
    url = badge_url(project1, token)

    # the project's id and badge token, by slug
    # its latest result on the default bank, with the result's level (joined)
    with django_assert_num_queries(2):
        response = client.get(url)

    assert "level 2 Defined · 50.0" in response.content.decode()


def test_a_manager_creates_the_badge_link(client_for, bob, project1):
    client = client_for(bob)
    assert "Create badge link" in client.get(detail_url(project1)).text

    response = client.post(renew_url(project1))

    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(project1)}#badge"
    project1.refresh_from_db()
    assert len(project1.badge_token) >= 32


def test_a_manager_sees_the_badge_and_its_markdown(client_for, bob, project1, token):
    html = client_for(bob).get(detail_url(project1)).text

    url = f"http://testserver/badge/{project1.slug}.svg?token={token}"
    assert f'<img src="{url}"' in html
    assert f'value="![Paydown level]({url})"' in html
    assert "Renew (old links stop working)" in html
    assert "Create badge link" not in html


def test_a_manager_renews_the_token(client_for, bob, project1, token):
    response = client_for(bob).post(renew_url(project1))

    assert response.status_code == 302
    project1.refresh_from_db()
    assert project1.badge_token not in ("", token)


def test_a_member_gets_403_on_renew_and_sees_nothing_of_the_token(
    client_for, alice, project1, token
):
    client = client_for(alice)

    assert client.post(renew_url(project1)).status_code == 403
    project1.refresh_from_db()
    assert project1.badge_token == token
    html = client.get(detail_url(project1)).text
    assert token not in html
    assert "/badge/" not in html
    assert "Create badge link" not in html


def test_renew_answers_404_to_another_team_and_405_to_a_get(client_for, carol, bob, project1):
    assert client_for(carol).post(renew_url(project1)).status_code == 404
    assert client_for(bob).get(renew_url(project1)).status_code == 405
    project1.refresh_from_db()
    assert project1.badge_token == ""
