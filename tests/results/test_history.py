"""A project's history of submitted assessments and the question-by-question comparison."""

import json

import pytest
from django.urls import reverse

from assessment import services
from tests import factories
from tests.pages import squeeze, table_headed


def history_url(project) -> str:
    return reverse("assessment:history", args=[project.slug])


def compare_url(project) -> str:
    return reverse("assessment:compare", args=[project.slug])


@pytest.fixture
def again(submitted, published, project1, bob):
    """A second submitted assessment of project 1: data 100, code 50, overall 83.3."""
    levels = {"data-a": 2, "data-b": 2, "code-a": 1}
    return factories.make_result(project1, published, bob, levels, title="Next").assessment


def test_history_lists_every_result_with_its_change_and_draws_the_trend(
    client_for, alice, submitted, again, project1, django_assert_num_queries
):
    client = client_for(alice)

    # session
    # user
    # the project ⋈ team, where the user is a member
    # its results ⋈ assessment, version, bank, oldest first
    # their categories
    with django_assert_num_queries(5):
        response = client.get(history_url(project1))

    rows = table_headed(response.text, "Assessment", "Submitted", "Bank", "Overall", "Change")
    assert [[row[0], *row[2:]] for row in rows] == [
        ["Q3 review", "Tiny bank v1", "50.0", "—", "75.0", "0.0"],
        ["Next", "Tiny bank v1", "83.3", "+33.3", "100.0", "50.0"],
    ]
    text = squeeze(response.text)
    trend = json.loads(
        text.split('<script id="trend-data" type="application/json">')[1].split("</script>")[0]
    )
    assert {trace["name"]: trace["y"] for trace in trend["data"]} == {
        "Overall": [50.0, 83.3],
        "Data": [75.0, 100.0],
        "Code": [0.0, 50.0],
    }
    # The compare form starts on the last two assessments.
    assert f'<option value="{submitted.pk}" selected>Q3 review' in text
    assert f'<option value="{again.pk}" selected>Next' in text


def test_history_without_a_submitted_assessment_says_so(client_for, alice, assessment, project1):
    response = client_for(alice).get(history_url(project1))

    assert "No submitted assessment yet." in response.text
    assert 'id="trend-data"' not in response.text


def test_compare_shows_each_questions_levels_and_change(
    client_for, alice, submitted, again, project1, django_assert_num_queries
):
    client = client_for(alice)
    params = {"a": submitted.pk, "b": again.pk}

    # session
    # user
    # the project ⋈ team, where the user is a member
    # its results ⋈ assessment, version, bank
    # their categories
    # the first result ⋈ version, bank; its categories and questions
    # the second result ⋈ version, bank; its categories and questions
    with django_assert_num_queries(11):
        response = client.get(compare_url(project1), params)

    assert table_headed(response.text, "Question", "Q3 review", "Next", "Change") == [
        ["How is data-a handled?", "2", "2", "0"],
        ["How is data-b handled?", "1", "2", "+1"],
        ["How is code-a handled?", "0", "1", "+1"],
    ]
    assert squeeze(response.text).count('<span class="up">') == 2


def test_compare_without_a_choice_asks_for_one(client_for, alice, submitted, project1):
    response = client_for(alice).get(compare_url(project1))

    assert "Choose two submitted assessments on the history page." in response.text
    assert "<table" not in response.text


def test_compare_refuses_an_assessment_of_another_project_or_still_open(
    client_for, alice, bob, carol, submitted, published, team1, project2, project1
):
    sibling = factories.make_project(team1, "Sibling")
    elsewhere = factories.make_result(sibling, published, bob, {}).assessment
    other_team = factories.make_result(project2, published, carol, {}).assessment
    still_open = services.start_assessment(
        project=project1, version=published, started_by=alice, title="Open"
    )
    client = client_for(alice)

    for other in (elsewhere, other_team, still_open, "999", "x"):
        params = {"a": submitted.pk, "b": getattr(other, "pk", other)}
        assert client.get(compare_url(project1), params).status_code == 404, other


def test_another_team_gets_404_on_history_and_compare(client_for, carol, submitted, again):
    client = client_for(carol)
    project = submitted.project

    assert client.get(history_url(project)).status_code == 404
    assert client.get(compare_url(project), {"a": submitted.pk, "b": again.pk}).status_code == 404
