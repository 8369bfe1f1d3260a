"""Autosaving answers: htmx and plain posts, several respondents, tampering, query counts."""

from decimal import Decimal

import pytest
from django.test import Client

from assessment import services
from assessment.models import Answer, AnswerChange, Assessment, SubmittedAssessmentError
from tests import factories
from tests.assessment.answering import answer_url, post_answer


def test_htmx_autosave_returns_the_status_and_progress_out_of_band(client_for, alice, assessment):
    response = post_answer(client_for(alice), assessment, "data-a", "2")

    assert response.status_code == 200
    html = response.text
    assert 'id="status-data-a"' in html
    assert "Saved" in html
    assert 'id="progress" hx-swap-oob="true"' in html
    assert "1 of 3 questions answered" in html
    assert 'id="category-nav"' in html and html.count('hx-swap-oob="true"') == 2
    assert "HX-Trigger" not in response  # nothing listens for a save event
    answer = Answer.objects.get(assessment=assessment, respondent=alice)
    assert answer.level_value == Decimal(2)
    assert answer.confirmed_at is not None


def test_autosave_runs_at_most_six_queries(
    client_for, alice, assessment, django_assert_max_num_queries
):
    client = client_for(alice)
    post_answer(client, assessment, "data-a", "1")

    # session, user, assessment, questions ⟕ answers, upsert, history row
    with django_assert_max_num_queries(6):
        response = post_answer(client, assessment, "data-a", "2", notes="Checked in CI.")

    assert response.status_code == 200


def test_plain_post_saves_and_redirects_back_to_the_question(client_for, alice, assessment):
    response = post_answer(client_for(alice), assessment, "code-a", "1", htmx=False)

    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/#question-code-a"
    assert Answer.objects.get(assessment=assessment).level_value == 1


def test_saving_twice_keeps_the_latest_and_records_history(client_for, alice, assessment):
    client = client_for(alice)

    post_answer(client, assessment, "data-a", "1")
    post_answer(client, assessment, "data-a", "2")

    assert Answer.objects.get(assessment=assessment, respondent=alice).level_value == 2
    history = list(AnswerChange.objects.values_list("from_value", "to_value"))
    assert history == [("", "1"), ("1", "2")]


def test_notes_only_save_keeps_the_level_and_writes_no_history(client_for, alice, assessment):
    client = client_for(alice)
    post_answer(client, assessment, "data-a", "2")

    post_answer(
        client,
        assessment,
        "data-a",
        "2",
        notes="See the runbook.",
        links="https://wiki.example.com/runbook",
    )

    answer = Answer.objects.get(assessment=assessment)
    assert (answer.level_value, answer.notes) == (2, "See the runbook.")
    assert answer.link_list == ["https://wiki.example.com/runbook"]
    assert AnswerChange.objects.count() == 1


def test_respondents_keep_their_own_answers(client, alice, bob, assessment):
    client.force_login(alice)
    post_answer(client, assessment, "data-a", "0")
    client.force_login(bob)
    response = post_answer(client, assessment, "data-a", "2")

    answers = dict(Answer.objects.values_list("respondent__username", "level_value"))
    assert answers == {"alice": 0, "bob": 2}
    assert "Discuss" in response.text
    assert "alice 0" in response.text


def test_not_applicable_needs_a_reason(client_for, alice, assessment):
    client = client_for(alice)

    refused = post_answer(client, assessment, "data-a", "na")
    saved = post_answer(client, assessment, "data-a", "na", na_reason="not_used")

    assert refused.status_code == 422
    assert "Say why it does not apply" in refused.text
    assert 'id="status-data-a"' in refused.text
    assert saved.status_code == 200
    answer = Answer.objects.get(assessment=assessment)
    assert (answer.not_applicable, answer.na_reason, answer.level_value) == (True, "not_used", None)


@pytest.mark.parametrize(
    ("key", "fields", "status"),
    [
        ("data-a", {"choice": "7"}, 422),  # a level the question does not have
        ("data-a", {"choice": "2; DROP TABLE"}, 422),
        ("code-a", {"choice": "na", "na_reason": "not_used"}, 422),  # N/A not allowed here
        ("data-a", {"choice": "2", "links": "javascript:alert(1)"}, 422),
        ("no-such-question", {"choice": "1"}, 404),  # a question of another bank version
    ],
)
def test_tampered_posts_get_a_4xx_and_change_nothing(
    client_for, alice, assessment, key, fields, status
):
    response = post_answer(client_for(alice), assessment, key, **fields)

    assert response.status_code == status
    assert not Answer.objects.exists()


def test_another_teams_assessment_is_404(client_for, carol, assessment):
    response = post_answer(client_for(carol), assessment, "data-a", "2")

    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_submitted_assessment_refuses_answers(client_for, bob, assessment):
    services.submit_assessment(assessment=assessment, by=bob, allow_unanswered=True)

    response = post_answer(client_for(bob), assessment, "data-a", "2")

    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_missing_csrf_token_is_refused(alice, assessment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post(answer_url(assessment, "data-a"), {"choice": "2"})

    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_the_model_layer_refuses_changes_to_a_submitted_assessment(bob, alice, assessment):
    post = services.AnswerInput(value=Decimal(1))
    services.record_answer(
        assessment=assessment,
        question_id=assessment.version.questions.first().pk,
        respondent=alice,
        answer=post,
        previous=None,
    )
    services.submit_assessment(assessment=assessment, by=bob, allow_unanswered=True)
    answer = Answer.objects.get()

    answer.level_value = Decimal(2)
    with pytest.raises(SubmittedAssessmentError):
        answer.save()
    with pytest.raises(SubmittedAssessmentError):
        Answer.objects.filter(pk=answer.pk).update(level_value=3)
    with pytest.raises(SubmittedAssessmentError):
        services.record_answer(
            assessment=Assessment.objects.get(pk=assessment.pk),
            question_id=answer.question_id,
            respondent=alice,
            answer=post,
            previous=None,
        )
    assert Answer.objects.get().level_value == 1


def test_questionnaire_page_runs_a_fixed_number_of_queries(
    client_for, alice, bob, shipped_banks, project1, django_assert_max_num_queries
):
    big = services.start_assessment(
        project=project1, version=shipped_banks["ml-technical-debt"], started_by=alice, title="Big"
    )
    client = client_for(alice)
    for key in ["data-schema", "data-versioning", "code-tests"]:
        post_answer(client, big, key, "3", notes="evidence")
    bob_client = Client()
    bob_client.force_login(bob)
    post_answer(bob_client, big, "data-schema", "0")

    # session, user, assessment, categories, questions, levels, answers, comments, settlements
    with django_assert_max_num_queries(9):
        response = client.get(big.get_absolute_url())

    assert response.status_code == 200
    assert response.text.count('<article class="question') == 54
    assert "3 of 54 questions answered" in response.text


def test_questionnaire_is_404_for_another_team(client_for, carol, assessment):
    assert client_for(carol).get(assessment.get_absolute_url()).status_code == 404


def test_questionnaire_keeps_every_answer_on_reload(client_for, alice, assessment):
    client = client_for(alice)
    post_answer(client, assessment, "data-a", "2", notes="Dashboards exist.")
    post_answer(client, assessment, "data-b", "na", na_reason="other_team")

    html = client.get(assessment.get_absolute_url()).text

    assert 'id="choice-data-a-2" name="choice" value="2" checked' in html
    assert 'id="choice-data-b-na" name="choice" value="na" checked' in html
    assert '<option value="other_team" selected>' in html
    assert "Dashboards exist." in html
    assert "2 questions in scope" in html


def test_staff_can_see_any_assessment(client_for, admin_user, assessment):
    assert client_for(admin_user).get(assessment.get_absolute_url()).status_code == 200


def test_a_user_of_no_team_gets_404(client, assessment):
    client.force_login(factories.make_user())

    assert client.get(assessment.get_absolute_url()).status_code == 404
