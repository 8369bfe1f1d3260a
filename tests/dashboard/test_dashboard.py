"""The portfolio dashboard: permissions, numbers, filters, sorting, scale and the member summary."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment import services
from assessment.models import Answer, Assessment, AssessmentResult
from projects.models import Project
from tests import factories
from tests.assessment.answering import HTMX, squeeze

URL = "/dashboard/"


def assess(project, version, user, levels: dict[str, int]) -> AssessmentResult:
    """Answer and submit through the real services; returns the stored result."""
    assessment = services.start_assessment(
        project=project, version=version, started_by=user, title="Q"
    )
    answers = [
        Answer(assessment=assessment, question=q, respondent=user, level_value=levels.get(q.key, 0))
        for q in version.questions.all()
    ]
    Answer.objects.bulk_create(answers)
    services.submit_assessment(assessment=assessment, by=user)
    return assessment.result


@pytest.fixture
def small_bank_dashboard(published, team1, team2, bob, carol):
    """Three team-1 projects with results on the small bank, one never assessed; one team-2 one."""
    strong = factories.make_project(team1, "Strong model")
    weak = factories.make_project(team1, "Weak model")
    factories.make_project(team1, "Unassessed model")
    other = factories.make_project(team2, "Other team model")
    assess(strong, published, bob, {"data-a": 2, "data-b": 2, "code-a": 2})
    assess(weak, published, bob, {"data-a": 1})
    assess(other, published, carol, {"data-a": 2})
    return {"strong": strong, "weak": weak, "other": other}


def test_manager_sees_only_their_teams_projects(client_for, bob, small_bank_dashboard):
    response = client_for(bob).get(URL, {"bank": "tiny"})

    assert response.status_code == 200
    assert "Strong model" in response.text and "Weak model" in response.text
    assert "Unassessed model" in response.text  # never assessed: listed, not hidden
    assert "Other team model" not in response.text


def test_member_gets_their_own_projects_summary_not_the_dashboard(
    client_for, alice, carol, small_bank_dashboard
):
    alice_page = client_for(alice).get(URL)
    carol_page = client_for(carol).get(URL)

    assert "Your projects' scores" in alice_page.text
    assert "Other team model" not in alice_page.text
    assert "Other team model" in carol_page.text
    assert "Strong model" not in carol_page.text
    assert "heatmap-data" not in alice_page.text


def test_every_number_equals_the_project_results_page(client_for, bob, small_bank_dashboard):
    client = client_for(bob)
    dashboard = squeeze(client.get(URL, {"bank": "tiny"}).text)

    for project in ("strong", "weak"):
        result = small_bank_dashboard[project].assessments.get().result
        results_page = squeeze(
            client.get(reverse("assessment:results", args=[result.assessment_id])).text
        )
        assert str(result.overall) in results_page
        assert f"<strong>{result.overall}</strong>" in dashboard
        for category in result.categories.all():
            assert f'">{category.score}</span>' in dashboard


def test_sorting_and_filtering(client_for, bob, small_bank_dashboard):
    client = client_for(bob)

    weakest_first = client.get(URL, {"bank": "tiny", "sort": "overall"}).text
    strongest_first = client.get(URL, {"bank": "tiny", "sort": "-overall"}).text
    high_only = client.get(URL, {"bank": "tiny", "min_score": "90"}).text
    never = client.get(URL, {"bank": "tiny", "staleness": "never"}).text

    assert weakest_first.index("Weak model") < weakest_first.index("Strong model")
    assert strongest_first.index("Strong model") < strongest_first.index("Weak model")
    assert "Strong model" in high_only and "Weak model" not in high_only
    assert "Unassessed model" in never and "Strong model</a>" not in never


def test_htmx_requests_get_the_portfolio_partial(client_for, bob, small_bank_dashboard):
    response = client_for(bob).get(URL, {"bank": "tiny", "sort": "name"}, headers=HTMX)

    assert response.text.lstrip().startswith('<div id="portfolio">')
    assert "<html" not in response.text


def test_stale_projects_are_flagged(client_for, bob, small_bank_dashboard):
    strong = small_bank_dashboard["strong"].assessments.get()
    Assessment.objects.filter(pk=strong.pk).update(submitted_at=timezone.now() - timedelta(days=10))
    client = client_for(bob)

    everything = client.get(URL, {"bank": "tiny", "stale_days": "5"}).text
    stale_only = client.get(URL, {"bank": "tiny", "stale_days": "5", "staleness": "stale"}).text

    assert everything.count('<span class="badge bad">stale</span>') == 1
    assert "latest assessment older than 5 days" in everything
    assert "Strong model</a>" in stale_only and "Weak model</a>" not in stale_only


def test_comparing_projects_draws_a_radar(client_for, bob, small_bank_dashboard):
    response = client_for(bob).get(
        URL,
        {
            "bank": "tiny",
            "compare": [small_bank_dashboard["strong"].slug, small_bank_dashboard["weak"].slug],
        },
    )

    assert 'id="radar-data"' in response.text
    assert "Compared projects" in response.text


@pytest.mark.parametrize(
    "params",
    [{"sort": "drop table"}, {"min_score": "abc"}, {"min_score": "80", "max_score": "20"},
     {"compare": ["not-a-project"]}, {"level": "9"}, {"page": "-1"}],
)  # fmt: skip
def test_tampered_query_strings_get_a_400_with_a_message(
    client_for, bob, small_bank_dashboard, params
):
    response = client_for(bob).get(URL, params)

    assert response.status_code == 400
    assert "were not understood" in response.text


def test_common_gaps_count_projects(client_for, bob, small_bank_dashboard):
    text = squeeze(client_for(bob).get(URL, {"bank": "tiny"}).text)

    assert "1 of 2 projects</strong> are at level 1 or below on: How is data-a handled?" in text
    assert "1 of 2 projects</strong> are at level 1 or below on: How is code-a handled?" in text


@pytest.mark.parametrize("size", [10, 1000])
def test_query_count_is_the_same_for_any_portfolio_size(
    client_for, bob, team1, published, size, django_assert_max_num_queries
):
    projects = Project.objects.bulk_create(
        Project(team=team1, name=f"Model {n}", slug=f"model-{n}") for n in range(size)
    )
    for n, project in enumerate(projects[:: max(1, size // 20)]):
        assess(project, published, bob, {"data-a": n % 3})
    client = client_for(bob)

    # session, user, managed teams, banks, sort columns, projects ⟕ latest result, results,
    # category results, trends, common gaps, their advice
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"bank": "tiny"})

    assert response.status_code == 200
