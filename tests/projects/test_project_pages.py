import pytest
from django.urls import reverse

from projects.models import Project


def project_urls(project):
    return [
        reverse("projects:project_detail", args=[project.slug]),
        reverse("projects:project_edit", args=[project.slug]),
        reverse("projects:project_create", args=[project.team.slug]),
    ]


def test_every_project_url_answers_404_to_a_non_member(client_for, carol, project1):
    client = client_for(carol)

    for url in project_urls(project1):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x"}).status_code == 404, url


def test_unknown_project_is_404(client_for, alice):
    assert client_for(alice).get("/projects/no-such-project/").status_code == 404


def test_member_sees_the_project(client_for, alice, project1):
    response = client_for(alice).get(reverse("projects:project_detail", args=[project1.slug]))

    assert response.status_code == 200
    assert "Query ranker" in response.text


@pytest.mark.parametrize("view", ["project_create", "project_edit"])
def test_member_who_is_not_manager_cannot_create_or_edit(client_for, alice, project1, view):
    arg = project1.team.slug if view == "project_create" else project1.slug

    response = client_for(alice).post(reverse(f"projects:{view}", args=[arg]), {"name": "Renamed"})

    assert response.status_code == 403
    project1.refresh_from_db()
    assert project1.name == "Query ranker"
    assert Project.objects.count() == 1


def test_manager_creates_a_project_with_a_unique_slug(client_for, bob, project1):
    client = client_for(bob)
    url = reverse("projects:project_create", args=[project1.team.slug])

    response = client.post(url, {"name": "Query ranker", "description": "v2", "kind": "ranking"})

    created = Project.objects.exclude(pk=project1.pk).get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.team == project1.team
    assert created.slug == "query-ranker"


def test_project_slugs_never_collide(client_for, bob, team1):
    client = client_for(bob)
    url = reverse("projects:project_create", args=[team1.slug])

    client.post(url, {"name": "Churn"})
    client.post(url, {"name": "Churn"})

    assert sorted(Project.objects.values_list("slug", flat=True)) == ["churn", "churn-2"]


def test_manager_edits_a_project(client_for, bob, project1):
    url = reverse("projects:project_edit", args=[project1.slug])

    response = client_for(bob).post(url, {"name": "Ranker v2", "description": "", "kind": ""})

    assert response.status_code == 302
    project1.refresh_from_db()
    assert project1.name == "Ranker v2"


def test_invalid_project_form_shows_errors_and_saves_nothing(client_for, bob, team1):
    url = reverse("projects:project_create", args=[team1.slug])

    response = client_for(bob).post(url, {"name": "", "kind": "not-a-kind"})

    assert response.status_code == 200
    assert "This field is required." in response.text
    assert Project.objects.count() == 0


def test_staff_may_manage_any_team(client_for, admin_user, project2):
    url = reverse("projects:project_edit", args=[project2.slug])

    assert client_for(admin_user).get(url).status_code == 200


def test_manager_sets_a_lower_target_per_category(client_for, bob, project1, shipped_banks):
    url = reverse("projects:project_edit", args=[project1.slug])
    client = client_for(bob)

    form = client.get(url)
    client.post(
        url,
        {
            "name": "Query ranker",
            "description": "",
            "kind": "",
            "target_data": "2",
            "target_code": "",
        },
    )
    tampered = client.post(url, {"name": "Query ranker", "target_data": "9"})

    assert "Target for Data" in form.text
    project1.refresh_from_db()
    assert project1.targets == {"data": 2.0}
    assert tampered.status_code == 200 and "Select a valid choice" in tampered.text
