"""Starting, carrying over, discussing and submitting assessments."""

from decimal import Decimal

from django.urls import reverse

from assessment import services
from assessment.models import Answer, Assessment, Comment, Settlement
from tests.assessment.answering import HTMX, post_answer, squeeze


def answer_all(client, assessment, choice="2"):
    for question in assessment.version.questions.all():
        post_answer(client, assessment, question.key, choice)


def test_member_starts_an_assessment_with_the_default_bank(
    client_for, alice, project1, shipped_banks, published
):
    client = client_for(alice)
    url = reverse("assessment:assessment_start", args=[project1.slug])

    form = client.get(url)
    response = client.post(url, {"version": shipped_banks["ml-technical-debt"].pk, "title": "Q1"})

    assert "selected>ML technical debt (v1)" in form.text
    assessment = Assessment.objects.get()
    assert response["Location"] == assessment.get_absolute_url()
    assert (assessment.project, assessment.started_by, assessment.title) == (project1, alice, "Q1")


def test_start_refuses_a_draft_or_unknown_version(client_for, alice, project1, draft):
    url = reverse("assessment:assessment_start", args=[project1.slug])

    response = client_for(alice).post(url, {"version": draft.pk, "title": "Q1"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Assessment.objects.exists()


def test_start_is_404_for_another_team(client_for, carol, project1, published):
    url = reverse("assessment:assessment_start", args=[project1.slug])

    assert client_for(carol).post(url, {"version": published.pk, "title": "x"}).status_code == 404


def test_reassessment_carries_team_answers_and_evidence_over(client, alice, bob, assessment):
    client.force_login(alice)
    answer_all(client, assessment, "2")
    post_answer(
        client, assessment, "data-a", "2", notes="Schema in repo.", links="https://x.example/schema"
    )
    client.force_login(bob)
    post_answer(client, assessment, "data-a", "1", notes="Only partly.")
    services.submit_assessment(assessment=assessment, by=bob)

    again = services.start_assessment(
        project=assessment.project,
        version=assessment.version,
        started_by=bob,
        title="Q4",
        carry_over=True,
    )

    carried = {a.question.key: a for a in again.answers.select_related("question")}
    assert set(carried) == {"data-a", "data-b", "code-a"}
    assert carried["data-a"].level_value == Decimal(1)  # median of 2 and 1: the lower middle
    assert carried["data-a"].notes == "Schema in repo.\n\nOnly partly."
    assert carried["data-a"].link_list == ["https://x.example/schema"]
    assert all(a.carried_over and a.respondent == bob for a in carried.values())
    assert again.carried_from == assessment


def test_confirming_a_carried_answer_clears_the_mark(client_for, bob, assessment, alice, client):
    client.force_login(alice)
    answer_all(client, assessment)
    services.submit_assessment(assessment=assessment, by=alice)
    again = services.start_assessment(
        project=assessment.project,
        version=assessment.version,
        started_by=bob,
        title="Q4",
        carry_over=True,
    )
    client.force_login(bob)

    page = client.get(again.get_absolute_url())
    response = post_answer(client, again, "data-a", "2", confirm="1")

    assert "Carried over" in page.text
    assert "Confirm it still holds" in page.text
    assert response.status_code == 200
    answer = again.answers.get(question__key="data-a")
    assert not answer.carried_over
    assert again.answers.filter(carried_over=True).count() == 2


def test_member_cannot_submit_with_unanswered_questions(client_for, alice, assessment):
    client = client_for(alice)
    post_answer(client, assessment, "data-a", "2")

    page = client.get(reverse("assessment:submit", args=[assessment.pk]))
    response = client.post(
        reverse("assessment:submit", args=[assessment.pk]), {"confirm_unanswered": "yes"}
    )

    assert "2 unanswered questions" in page.text
    assert response.status_code == 400
    assert Assessment.objects.get().is_open


def test_member_submits_a_complete_assessment(client_for, alice, assessment):
    client = client_for(alice)
    answer_all(client, assessment)

    response = client.post(reverse("assessment:submit", args=[assessment.pk]))

    assert response.status_code == 302
    submitted = Assessment.objects.get()
    assert (submitted.status, submitted.submitted_by) == ("submitted", alice)
    html = client.get(submitted.get_absolute_url()).text
    assert "read-only" in html
    assert "disabled" in html


def test_manager_may_submit_early_after_confirming(client_for, bob, assessment):
    client = client_for(bob)
    post_answer(client, assessment, "data-a", "2")
    url = reverse("assessment:submit", args=[assessment.pk])

    page = client.get(url)
    without = client.post(url)
    confirmed = client.post(url, {"confirm_unanswered": "yes"})

    assert "Submit with unanswered questions" in page.text
    assert "How is data-b handled?" in page.text  # the unanswered questions are listed
    assert without.status_code == 400
    assert confirmed.status_code == 302
    assert Assessment.objects.get().status == "submitted"


def test_disagreements_are_listed_settled_and_reopened(client, alice, bob, assessment):
    client.force_login(alice)
    post_answer(client, assessment, "data-a", "0", notes="No schema.")
    client.force_login(bob)
    post_answer(client, assessment, "data-a", "2", notes="We have one.")
    discuss = reverse("assessment:discuss", args=[assessment.pk])
    settle = reverse("assessment:settle", args=[assessment.pk, "data-a"])

    page = client.get(discuss)
    client.post(settle, {"choice": "1", "note": "Written, not checked."})
    settled = client.get(assessment.get_absolute_url())
    client.post(settle, {"reopen": "1"})

    assert "No schema." in page.text and "We have one." in page.text
    assert "Discuss" in page.text
    assert "Settled" in settled.text
    assert "Team: level 1" in squeeze(settled.text)
    assert not Settlement.objects.exists()


def test_settling_on_a_level_the_question_lacks_is_refused(client_for, alice, assessment):
    response = client_for(alice).post(
        reverse("assessment:settle", args=[assessment.pk, "data-a"]), {"choice": "9"}
    )

    assert response.status_code == 302
    assert not Settlement.objects.exists()


def test_comments_thread_per_question(client_for, alice, assessment):
    client = client_for(alice)
    url = reverse("assessment:add_comment", args=[assessment.pk, "data-a"])

    response = client.post(url, {"text": "Let's check the CI config."}, headers=HTMX)
    empty = client.post(url, {"text": ""}, headers=HTMX)

    assert response.status_code == 200
    assert 'id="comments-data-a"' in response.text
    assert "check the CI config" in response.text
    assert empty.status_code == 422
    assert Comment.objects.count() == 1


def test_project_page_lists_assessments_with_progress(
    client_for, alice, assessment, django_assert_max_num_queries
):
    client = client_for(alice)
    post_answer(client, assessment, "data-a", "2")

    with django_assert_max_num_queries(9):
        response = client.get(assessment.project.get_absolute_url())

    assert "Q3 review" in response.text
    assert "1 of 3 answered" in response.text
    assert Answer.objects.count() == 1
