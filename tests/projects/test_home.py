"""The home page: the user's teams, their projects, and the manager's new-project button."""

from django.urls import reverse

from tests import factories
from tests.pages import squeeze


def test_member_sees_own_teams_projects_and_nothing_of_other_teams(
    client_for, alice, team1, project1, project2
):
    html = squeeze(client_for(alice).get(reverse("projects:home")).text)

    team_head = (
        f'<h2 id="team-{team1.slug}">Search &amp; Ranking</h2> <span class="badge">Member</span>'
    )
    assert team_head in html
    assert f'<h3><a href="/projects/{project1.slug}/">Query ranker</a></h3>' in html
    assert "Fraud scoring" not in html
    assert "Risk Models" not in html


def test_staff_see_every_team(client_for, admin_user, project1, project2):
    html = client_for(admin_user).get(reverse("projects:home")).text

    assert f'<a href="/projects/{project1.slug}/">Query ranker</a>' in html
    assert f'<a href="/projects/{project2.slug}/">Fraud scoring</a>' in html


def test_a_user_of_no_team_is_told_to_ask_for_access(client, db):
    client.force_login(factories.make_user())

    html = client.get(reverse("projects:home")).text

    assert "You are not a member of any team yet." in html
    assert 'class="card"' not in html


def test_only_managers_see_the_new_project_button(client, alice, bob, project1):
    create_url = reverse("projects:project_create", args=[project1.team.slug])

    client.force_login(alice)
    assert create_url not in client.get("/").text
    client.force_login(bob)
    assert f'href="{create_url}">New project</a>' in client.get("/").text


def test_home_runs_seven_queries_for_any_number_of_teams_and_projects(
    client_for, alice, team1, django_assert_num_queries
):
    for _ in range(30):
        factories.make_project(team1)
    other = factories.make_team("Another team")
    factories.add_member(other, alice)
    for _ in range(10):
        factories.make_project(other)
    client = client_for(alice)

    # session
    # user
    # alice's role per team
    # her teams
    # their projects (prefetch)
    # their latest results on the default bank
    # their last scores there, a few per project (a window over the results)
    with django_assert_num_queries(7):
        response = client.get("/")

    assert response.text.count('class="card"') == 40
    assert response.text.count('<section class="team"') == 2
