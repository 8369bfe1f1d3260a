"""Submitting: the review page, who may submit with questions unanswered, and what freezes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import services
from assessment.models import Answer, Assessment, AssessmentResult, SubmittedAssessmentError
from tests import factories
from tests.pages import squeeze


def submit_url(assessment) -> str:
    return reverse("assessment:submit", args=[assessment.pk])


def answer_all(assessment, respondent, level: int = 2) -> None:
    factories.answer(assessment, respondent, {"data-a": level, "data-b": level, "code-a": level})


def test_member_cannot_submit_with_unanswered_questions(client_for, alice, assessment):
    factories.answer(assessment, alice, {"data-a": 2})
    client = client_for(alice)

    page = squeeze(client.get(submit_url(assessment)).text)
    response = client.post(submit_url(assessment), {"confirm_open_items": "yes"})

    assert '<section class="panel" id="open-unanswered"> <h2>2 unanswered questions</h2>' in page
    assert "How is data-b handled?</a>" in page and "How is code-a handled?</a>" in page
    assert "A manager may submit earlier." in page
    assert 'name="confirm_open_items"' not in page and "Submit the assessment" not in page
    assert response.status_code == 400
    assert "Not submitted: 2 unanswered, 0 to confirm, 0 to settle." in response.text
    assert Assessment.objects.get().is_open
    assert not AssessmentResult.objects.exists()


def test_member_submits_a_complete_assessment(client_for, alice, assessment):
    answer_all(assessment, alice)
    client = client_for(alice)

    page = squeeze(client.get(submit_url(assessment)).text)
    response = client.post(submit_url(assessment))

    assert "3 of 3 questions in scope are answered." in page
    assert "are not applicable" not in page and "is not applicable" not in page
    assert "Submit the assessment</button>" in page
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:results", args=[assessment.pk])
    submitted = Assessment.objects.get()
    assert (submitted.status, submitted.submitted_by) == ("submitted", alice)
    assert submitted.submitted_at is not None
    assert submitted.result.overall == Decimal(100)


def test_manager_may_submit_early_after_confirming(client_for, bob, assessment):
    factories.answer(assessment, bob, {"data-a": 2})
    client = client_for(bob)
    url = submit_url(assessment)

    page = squeeze(client.get(url).text)
    without = client.post(url)
    confirmed = client.post(url, {"confirm_open_items": "yes"})

    assert "Submit with the questions listed above</button>" in page
    assert "How is data-b handled?</a>" in page  # the unanswered questions are listed
    assert without.status_code == 400
    assert confirmed.status_code == 302
    submitted = Assessment.objects.get()
    assert (submitted.status, submitted.submitted_by) == ("submitted", bob)
    assert submitted.result.unanswered == 2


def test_the_review_page_warns_of_open_disagreements(client_for, alice, bob, assessment):
    factories.answer(assessment, alice, {"data-a": 0})
    factories.answer(assessment, bob, {"data-a": 2})

    html = squeeze(client_for(alice).get(submit_url(assessment)).text)

    assert '<section class="panel" id="open-to-settle"> <h2>1 disagreement to settle</h2>' in html
    assert f'<a href="/assessments/{assessment.pk}/discuss/#question-data-a">' in html
    assert "Submit the assessment" not in html


def test_the_review_page_runs_thirteen_queries(
    client_for, alice, assessment, django_assert_num_queries
):
    factories.answer(assessment, alice, {"data-a": 2})
    client = client_for(alice)
    url = submit_url(assessment)

    # session
    # user
    # assessment with project, team, version, bank and submitter (a submitted one redirects)
    # alice's role in the team (may she submit early)
    # categories
    # questions (prefetch)
    # levels (prefetch)
    # the user's own answers
    # everyone's answers as counts per question and level
    # how many respondents
    # comments as counts per question
    # settlements with who settled
    # the previous assessment's team answers by question key (what changed since)
    with django_assert_num_queries(13):
        response = client.get(url)

    assert "<h2>2 unanswered questions</h2>" in squeeze(response.text)


def test_submitting_runs_twenty_nine_queries(
    client_for, alice, assessment, django_assert_num_queries
):
    answer_all(assessment, alice)
    client = client_for(alice)
    url = submit_url(assessment)

    # session
    # user
    # assessment with project, team, version, bank and submitter (access)
    # alice's role in the team
    # savepoint
    # the assessment with its version, project and team, locked for update: still open?
    # questions ⟕ answers ⟕ settlements (the team's answers)
    # update the assessment's status
    # categories
    # questions with categories
    # settlement notes
    # insert the result
    # insert the category results
    # insert the question results
    # the team, locked: its portfolio counts change
    # the project's latest result on this bank, locked (none yet)
    # insert the latest result
    # the team's score counts for these scores, locked
    # insert the missing score counts (no gaps: every answer is at 4)
    # every answer (the snapshot)
    # their evidence (prefetched)
    # insert the answer snapshot
    # the result ⋈ assessment, project, version, bank, read back as the export reads it
    # its categories, questions and answer snapshots (prefetched)
    # update the result's integrity hash
    # the audit log's entry
    # release savepoint
    # (the audit report is queued on commit: the test's transaction never commits)
    with django_assert_num_queries(29):
        response = client.post(url)

    assert response.status_code == 302
    assert Assessment.objects.get().status == "submitted"


def test_submit_is_404_for_another_team(client_for, carol, assessment):
    client = client_for(carol)

    assert client.get(submit_url(assessment)).status_code == 404
    assert client.post(submit_url(assessment)).status_code == 404
    assert Assessment.objects.get().is_open


def test_a_submitted_assessment_leads_to_its_results_and_refuses_a_second_submit(
    client_for, alice, submitted
):
    client = client_for(alice)

    page = client.get(submit_url(submitted))
    again = client.post(submit_url(submitted))

    assert page["Location"] == reverse("assessment:results", args=[submitted.pk])
    assert again.status_code == 409
    assert "Not saved: bob submitted this assessment on " in again.text
    assert Assessment.objects.get().submitted_by.username == "bob"


def test_a_submitted_assessment_is_frozen_at_the_model_layer(bob, alice, assessment):
    factories.answer(assessment, alice, {"data-a": 1})
    services.submit_assessment(assessment=assessment, by=bob, allow_open_items=True)
    answer = Answer.objects.get()

    answer.level_value = Decimal(2)
    with pytest.raises(SubmittedAssessmentError):
        answer.save()
    with pytest.raises(SubmittedAssessmentError):
        Answer.objects.filter(pk=answer.pk).update(level_value=3)
    with pytest.raises(SubmittedAssessmentError):
        Answer.objects.filter(pk=answer.pk).delete()
    with pytest.raises(SubmittedAssessmentError):
        services.record_answer(
            assessment=Assessment.objects.get(pk=assessment.pk),
            question_id=answer.question_id,
            respondent=alice,
            answer=services.AnswerInput(value=Decimal(1)),
        )
    assert Answer.objects.get().level_value == 1
