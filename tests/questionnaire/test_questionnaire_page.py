"""The questionnaire page: every question with the user's answer, the team's, progress and access."""

import pytest

from assessment import services
from tests import factories
from tests.factories import post_answer
from tests.pages import squeeze, table_headed


@pytest.fixture
def big(alice, bob, shipped_banks, project1):
    """An assessment of the 54-question default bank: alice answered three, bob one of them."""
    assessment = services.start_assessment(
        project=project1, version=shipped_banks["ml-technical-debt"], started_by=alice, title="Big"
    )
    factories.answer(
        assessment,
        alice,
        {"data-schema": 3, "data-versioning": 3, "code-tests": 3},
        notes={"data-schema": "evidence"},
    )
    factories.answer(assessment, bob, {"data-schema": 0})
    services.add_comment(
        assessment=assessment,
        question_id=assessment.version.questions.get(key="data-schema").pk,
        author=bob,
        text="Where is the schema?",
    )
    return assessment


def test_questionnaire_page_runs_nine_queries_for_54_questions(
    client_for, alice, big, django_assert_num_queries
):
    client = client_for(alice)

    # session
    # user
    # assessment with project, team, version and bank (access)
    # categories
    # questions (prefetch)
    # levels (prefetch)
    # answers with respondents
    # comments with authors
    # settlements with who settled
    with django_assert_num_queries(9):
        response = client.get(big.get_absolute_url())

    html = squeeze(response.text)
    assert html.count('<article class="question') == 54
    assert html.count('<article class="question needs-discussion"') == 1
    assert "3 of 54 questions answered" in html
    assert "Respondents: alice, bob" in html
    assert "Where is the schema?" in html


def test_questionnaire_page_runs_nine_queries_for_3_questions(
    client_for, alice, assessment, django_assert_num_queries
):
    client = client_for(alice)

    # the same nine queries as for 54 questions: none per question
    with django_assert_num_queries(9):
        response = client.get(assessment.get_absolute_url())

    assert response.text.count('<article class="question') == 3
    assert "0 of 3 questions answered" in response.text


def test_questionnaire_keeps_every_answer_on_reload(client_for, alice, assessment):
    client = client_for(alice)
    post_answer(client, assessment, "data-a", "2", notes="Dashboards exist.")
    post_answer(client, assessment, "data-b", "na", na_reason="other_team")

    html = client.get(assessment.get_absolute_url()).text

    assert 'id="choice-data-a-2" name="choice" value="2" checked' in html
    assert 'id="choice-data-b-na" name="choice" value="na" checked' in html
    assert '<option value="other_team" selected>' in html
    assert html.count(" checked") == 2  # nothing else is ticked
    assert ">Dashboards exist.</textarea>" in html
    assert "2 questions in scope" in html


def test_the_user_sees_the_others_answers_and_the_disagreement(client, alice, bob, assessment):
    factories.answer(assessment, alice, {"data-a": 0}, notes={"data-a": "No schema."})
    factories.answer(assessment, bob, {"data-a": 2})
    client.force_login(alice)

    page = client.get(assessment.get_absolute_url()).text
    html = squeeze(page)

    assert table_headed(page, "Respondent", "Answer") == [["bob", "2 · L2", ""]]
    assert '<article class="question needs-discussion" id="question-data-a">' in html
    assert '<article class="question" id="question-data-b">' in html
    assert (
        '<span class="badge bad">Discuss</span> Team: level 0 <span class="muted">(bob 2)</span>'
        in html
    )
    assert 'id="choice-data-a-0" name="choice" value="0" checked' in html  # alice's own
    assert "1 to discuss</a>" in html


def test_carried_answers_are_marked_until_confirmed(client_for, bob, carried_over):
    html = squeeze(client_for(bob).get(carried_over.get_absolute_url()).text)

    assert html.count('<span class="badge warn">Carried over · to confirm</span>') == 3
    for key in ("data-a", "data-b", "code-a"):
        assert f'<button type="submit" name="question" value="{key}"' in html
    assert "0 of 3 questions answered · <strong>3 to confirm</strong>" in html


def test_a_submitted_questionnaire_is_read_only(client_for, alice, submitted):
    html = squeeze(client_for(alice).get(submitted.get_absolute_url()).text)

    assert '<p class="banner" role="note">This assessment is submitted and read-only.</p>' in html
    assert html.count('<fieldset class="levels-fieldset" disabled>') == 3
    assert "hx-post" not in html
    assert "Save answer" not in html and "Add a comment" not in html
    assert f'href="/assessments/{submitted.pk}/results/">Results</a>' in html


def test_questionnaire_is_404_for_another_team(client_for, carol, assessment):
    assert client_for(carol).get(assessment.get_absolute_url()).status_code == 404


def test_a_user_of_no_team_gets_404(client, assessment):
    client.force_login(factories.make_user())

    assert client.get(assessment.get_absolute_url()).status_code == 404


def test_staff_can_see_any_assessment(client_for, admin_user, assessment):
    response = client_for(admin_user).get(assessment.get_absolute_url())

    assert response.status_code == 200
    assert "<h1>Q3 review</h1>" in response.text
