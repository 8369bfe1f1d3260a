from django.urls import reverse

from tests import factories


def test_member_sees_own_teams_projects_and_nothing_of_other_teams(
    client_for, alice, project1, project2
):
    response = client_for(alice).get(reverse("projects:home"))

    assert response.status_code == 200
    assert "Query ranker" in response.text
    assert "Search &amp; Ranking" in response.text
    assert "Fraud scoring" not in response.text
    assert "Risk Models" not in response.text


def test_staff_see_every_team(client_for, admin_user, project1, project2):
    response = client_for(admin_user).get(reverse("projects:home"))

    assert "Query ranker" in response.text
    assert "Fraud scoring" in response.text


def test_only_managers_see_the_new_project_button(client, alice, bob, project1):
    create_url = reverse("projects:project_create", args=[project1.team.slug])

    client.force_login(alice)
    assert create_url not in client.get("/").text
    client.force_login(bob)
    assert create_url in client.get("/").text


def test_home_runs_a_fixed_number_of_queries(
    client_for, alice, team1, django_assert_max_num_queries
):
    for _ in range(30):
        factories.make_project(team1)
    other = factories.make_team()
    factories.add_member(other, alice)
    for _ in range(10):
        factories.make_project(other)
    client = client_for(alice)

    # session, user, teams, projects (prefetch), my memberships (prefetch)
    with django_assert_max_num_queries(5):
        response = client.get("/")

    assert response.text.count('class="card"') == 40
