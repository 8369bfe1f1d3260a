"""The project page, and creating and editing a project (managers only)."""

import pytest
from django.urls import reverse

from assessment import services
from projects.models import Project
from tests import factories
from tests.pages import squeeze


def detail_url(project) -> str:
    return reverse("projects:project_detail", args=[project.slug])


def edit_url(project) -> str:
    return reverse("projects:project_edit", args=[project.slug])


def create_url(team) -> str:
    return reverse("projects:project_create", args=[team.slug])


def test_every_project_url_answers_404_to_a_non_member(client_for, carol, project1):
    client = client_for(carol)

    for url in [detail_url(project1), edit_url(project1), create_url(project1.team)]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "x"}).status_code == 404, url
    project1.refresh_from_db()
    assert project1.name == "Query ranker"
    assert Project.objects.count() == 1


def test_unknown_project_is_404(client_for, alice):
    assert client_for(alice).get("/projects/no-such-project/").status_code == 404


def test_member_sees_the_project_without_the_edit_button(client_for, alice, project1):
    html = squeeze(client_for(alice).get(detail_url(project1)).text)

    assert "<h1>Query ranker</h1>" in html
    assert "<dt>Team</dt><dd>Search &amp; Ranking</dd>" in html
    assert f'href="/projects/{project1.slug}/assessments/new/">Start an assessment</a>' in html
    assert "No assessment yet." in html
    assert edit_url(project1) not in html


def test_manager_sees_the_edit_button(client_for, bob, project1):
    assert (
        f'href="{edit_url(project1)}">Edit project</a>'
        in client_for(bob).get(detail_url(project1)).text
    )


def test_project_page_lists_assessments_in_progress_with_team_progress_and_submitted_ones(
    client, alice, bob, project1, submitted, published
):
    open_one = services.start_assessment(
        project=project1, version=published, started_by=bob, title="Q4 review"
    )
    factories.answer(open_one, alice, {"data-a": 2})
    factories.answer(open_one, bob, {"data-a": 0, "data-b": 1})
    client.force_login(alice)

    html = squeeze(client.get(detail_url(project1)).text)

    in_progress, done = html.split("<h3>Submitted</h3>")
    assert f'<a href="/assessments/{open_one.pk}/">Q4 review</a>' in in_progress
    assert '<progress max="3" value="2"' in in_progress
    assert "2 of 3 answered" in in_progress
    assert f'<a href="/assessments/{submitted.pk}/results/">Q3 review</a>' in done
    assert "Tiny bank v1 · submitted" in done


def test_project_page_runs_ten_queries(
    client_for, alice, bob, project1, submitted, published, django_assert_num_queries
):
    open_one = services.start_assessment(
        project=project1, version=published, started_by=bob, title="Q4 review"
    )
    factories.answer(open_one, alice, {"data-a": 2})
    client = client_for(alice)
    url = detail_url(project1)

    # session
    # user
    # project with team (access)
    # alice's role (the edit button)
    # assessments with version, bank, who started them and their results
    # the project's latest result on the default bank, and its last scores (its standing)
    # questions of the open assessments' versions (progress)
    # answers of the open assessments
    # settlements of the open assessments
    with django_assert_num_queries(10):
        response = client.get(url)

    assert "1 of 3 answered" in response.text


def test_project_page_without_open_assessments_runs_seven_queries(
    client_for, alice, project1, submitted, django_assert_num_queries
):
    client = client_for(alice)
    url = detail_url(project1)

    # session
    # user
    # project with team (access)
    # alice's role
    # assessments with version, bank, who started them and their results (nothing open: no
    # progress to read)
    # the project's latest result on the default bank, and its last scores (its standing)
    with django_assert_num_queries(7):
        response = client.get(url)

    assert "<h3>In progress</h3>" not in response.text


@pytest.mark.parametrize("view", ["project_create", "project_edit"])
def test_member_who_is_not_manager_cannot_create_or_edit(client_for, alice, project1, view):
    arg = project1.team.slug if view == "project_create" else project1.slug
    url = reverse(f"projects:{view}", args=[arg])
    client = client_for(alice)

    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Renamed"}).status_code == 403
    project1.refresh_from_db()
    assert project1.name == "Query ranker"
    assert Project.objects.count() == 1


def test_the_new_project_form(client_for, bob, team1):
    html = squeeze(client_for(bob).get(create_url(team1)).text)

    assert "<h1>New project in Search &amp; Ranking</h1>" in html
    assert 'name="name"' in html and 'name="kind"' in html
    assert 'name="target_' not in html  # targets are set when editing


def test_the_new_project_form_runs_five_queries(client_for, bob, team1, django_assert_num_queries):
    client = client_for(bob)
    url = create_url(team1)

    # session
    # user
    # team (access)
    # bob's role (managers only)
    # the default bank's newest published version (its risk tiers)
    with django_assert_num_queries(5):
        response = client.get(url)

    assert response.status_code == 200


def test_manager_creates_a_project_with_a_unique_slug(client_for, bob, project1):
    client = client_for(bob)

    response = client.post(
        create_url(project1.team), {"name": "Query ranker", "description": "v2", "kind": "ranking"}
    )

    created = Project.objects.exclude(pk=project1.pk).get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert (created.team, created.name, created.slug) == (
        project1.team,
        "Query ranker",
        "query-ranker",
    )
    assert (created.description, created.kind) == ("v2", "ranking")
    assert "Project “Query ranker” created." in client.get(response["Location"]).text


def test_creating_a_project_runs_ten_queries(client_for, bob, team1, django_assert_num_queries):
    client = client_for(bob)
    url = create_url(team1)

    # session
    # user
    # team (access)
    # bob's role (managers only)
    # the default bank's newest published version (its risk tiers)
    # savepoint
    # is the slug taken
    # insert the project
    # the audit log's entry
    # release savepoint
    with django_assert_num_queries(10):
        response = client.post(url, {"name": "Churn"})

    assert response["Location"] == "/projects/churn/"


def test_project_slugs_never_collide(client_for, bob, team1):
    client = client_for(bob)
    url = create_url(team1)

    client.post(url, {"name": "Churn"})
    client.post(url, {"name": "Churn"})

    assert sorted(Project.objects.values_list("slug", flat=True)) == ["churn", "churn-2"]


def test_invalid_project_form_shows_errors_and_saves_nothing(client_for, bob, team1):
    response = client_for(bob).post(create_url(team1), {"name": "", "kind": "not-a-kind"})

    assert response.status_code == 200
    assert '<p class="error" id="id_name_error">This field is required.</p>' in response.text
    assert '<p class="error" id="id_kind_error">Select a valid choice.' in response.text
    assert Project.objects.count() == 0


def test_manager_edits_a_project(client_for, bob, project1):
    client = client_for(bob)

    response = client.post(
        edit_url(project1), {"name": "Ranker v2", "description": "Reranks.", "kind": "ranking"}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(project1)
    project1.refresh_from_db()
    assert (project1.name, project1.description, project1.kind) == (
        "Ranker v2",
        "Reranks.",
        "ranking",
    )
    assert project1.slug.startswith("project-")  # a rename keeps the address
    assert "Project saved." in client.get(response["Location"]).text


def test_staff_may_manage_any_team(client_for, admin_user, project2):
    client = client_for(admin_user)

    form = client.get(edit_url(project2))
    client.post(edit_url(project2), {"name": "Fraud scoring v2"})

    assert 'name="name" value="Fraud scoring"' in form.text
    project2.refresh_from_db()
    assert project2.name == "Fraud scoring v2"


def test_manager_sets_a_lower_target_per_category(client_for, bob, project1, shipped_banks):
    client = client_for(bob)

    form = squeeze(client.get(edit_url(project1)).text)
    client.post(
        edit_url(project1),
        {"name": "Query ranker", "target_data": "2", "target_code": ""},
    )
    tampered = client.post(edit_url(project1), {"name": "Query ranker", "target_data": "9"})

    assert '<label for="id_target_data">Target for Data</label>' in form
    assert form.count('<select name="target_') == 7  # one per category of the default bank's v2
    # The empty choice is the tier's target; the top level can be chosen as an override.
    assert (
        '<option value="" selected>The tier&#x27;s target (top level without a tier)</option>'
        in form
    )
    assert '<option value="4">Level 4</option>' in form
    project1.refresh_from_db()
    assert project1.targets == {"data": 2.0}
    assert tampered.status_code == 200
    assert '<p class="error" id="id_target_data_error">Select a valid choice.' in tampered.text
    assert Project.objects.get().targets == {"data": 2.0}


def test_manager_sets_the_risk_tier_from_the_bank_s_tiers(client_for, bob, project1, shipped_banks):
    client = client_for(bob)

    form = squeeze(client.get(edit_url(project1)).text)
    client.post(edit_url(project1), {"name": "Query ranker", "risk_tier": "internal"})
    project1.refresh_from_db()
    tampered = client.post(edit_url(project1), {"name": "Query ranker", "risk_tier": "reckless"})

    assert '<option value="customer-facing">Customer-facing</option>' in form
    assert project1.risk_tier == "internal"
    assert tampered.status_code == 200 and "Select a valid choice." in tampered.text
    assert Project.objects.get().risk_tier == "internal"


def test_a_new_project_can_start_with_a_risk_tier(client_for, bob, team1, shipped_banks):
    client_for(bob).post(create_url(team1), {"name": "Churn", "risk_tier": "regulated"})

    assert Project.objects.get(slug="churn").risk_tier == "regulated"


def test_the_edit_form_runs_six_queries(
    client_for, bob, project1, shipped_banks, django_assert_num_queries
):
    client = client_for(bob)
    url = edit_url(project1)

    # session
    # user
    # project with team (access)
    # bob's role (managers only)
    # the default bank's latest published version (targets)
    # its categories
    with django_assert_num_queries(6):
        response = client.get(url)

    assert "Target for Data" in response.text


def test_editing_runs_eleven_queries(
    client_for, bob, project1, shipped_banks, django_assert_num_queries
):
    client = client_for(bob)
    url = edit_url(project1)

    # session
    # user
    # project with team (access)
    # bob's role (managers only)
    # the default bank's latest published version (targets)
    # its categories
    # savepoint
    # the stored project, locked (what changed)
    # update the project
    # the audit log's entry for the changed targets
    # release savepoint
    with django_assert_num_queries(11):
        client.post(url, {"name": "Renamed", "target_code": "1"})

    assert Project.objects.get().targets == {"code": 1.0}
