"""Carried-over answers are to confirm, not answered; open disagreements block a member's submit;
a manager may submit with either, and the results, the report and the exports mark them."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessment import services
from assessment.models import Answer, AssessmentResult
from tests import factories
from tests.pages import HTMX


def questionnaire(client, assessment) -> str:
    """Both category pages of the test bank's questionnaire."""
    url = reverse("assessment:questionnaire", args=[assessment.pk])
    return "".join(client.get(url, {"category": key}).text for key in ("data", "code"))


def test_a_reassessment_with_carry_over_opens_with_everything_to_confirm(
    client_for, alice, carried_over
):
    html = questionnaire(client_for(alice), carried_over)

    assert "0 of 3 questions answered · <strong>3 to confirm</strong>" in html
    assert html.count("Carried over · to confirm") == 3
    assert "Confirm all in Data" in html and "Confirm all in Code" in html


def test_a_member_cannot_submit_while_answers_are_to_confirm(client_for, alice, carried_over):
    client = client_for(alice)

    page = client.get(reverse("assessment:submit", args=[carried_over.pk])).text
    response = client.post(reverse("assessment:submit", args=[carried_over.pk]))

    assert 'id="open-to-confirm"' in page and "3 carried-over answers to confirm" in page
    assert 'name="confirm_open_items"' not in page
    assert response.status_code == 400
    assert "3 to confirm" in response.text
    carried_over.refresh_from_db()
    assert carried_over.is_open


def test_confirming_one_question_records_who_and_when(client_for, alice, carried_over):
    response = client_for(alice).post(
        reverse("assessment:confirm_carried", args=[carried_over.pk]),
        {"question": "data-a"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert 'id="status-data-a"' in response.text
    assert "1 of 3 questions answered · <strong>2 to confirm</strong>" in response.text
    confirmed = Answer.objects.get(assessment=carried_over, question__key="data-a")
    assert (confirmed.carried_over, confirmed.confirmed_by) == (False, alice)
    assert confirmed.confirmed_at is not None
    assert Answer.objects.filter(assessment=carried_over, carried_over=True).count() == 2


def test_confirm_all_in_a_category_confirms_only_that_category(client_for, bob, carried_over):
    response = client_for(bob).post(
        reverse("assessment:confirm_carried", args=[carried_over.pk]), {"category": "data"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#category-data")
    still = Answer.objects.filter(assessment=carried_over, carried_over=True)
    assert list(still.values_list("question__key", flat=True)) == ["code-a"]


def test_a_member_submits_once_everything_is_confirmed(client_for, alice, carried_over):
    client = client_for(alice)
    for category in ("data", "code"):
        client.post(
            reverse("assessment:confirm_carried", args=[carried_over.pk]), {"category": category}
        )

    response = client.post(reverse("assessment:submit", args=[carried_over.pk]))

    assert response.status_code == 302
    result = AssessmentResult.objects.get(assessment=carried_over)
    assert not result.questions.filter(carried_unconfirmed=True).exists()


def test_confirming_an_unknown_question_is_404_and_nothing_changes(client_for, alice, carried_over):
    response = client_for(alice).post(
        reverse("assessment:confirm_carried", args=[carried_over.pk]), {"question": "nope"}
    )

    assert response.status_code == 404
    assert Answer.objects.filter(assessment=carried_over, carried_over=True).count() == 3


@pytest.fixture
def disagreement(assessment, alice, bob):
    """alice says 0 and bob 2 on data-a: flagged for discussion; the rest agreed."""
    factories.answer(assessment, alice, {"data-a": 0, "data-b": 1, "code-a": 1})
    factories.answer(assessment, bob, {"data-a": 2, "data-b": 1, "code-a": 1})
    return assessment


def test_an_open_disagreement_blocks_a_members_submit(client_for, alice, disagreement):
    client = client_for(alice)

    page = client.get(reverse("assessment:submit", args=[disagreement.pk])).text
    response = client.post(reverse("assessment:submit", args=[disagreement.pk]))

    assert 'id="open-to-settle"' in page
    assert response.status_code == 400 and "1 to settle" in response.text
    disagreement.refresh_from_db()
    assert disagreement.is_open


def test_a_settled_disagreement_no_longer_blocks(client_for, alice, bob, disagreement):
    services.settle_question(
        assessment=disagreement,
        question_id=disagreement.version.questions.get(key="data-a").pk,
        by=bob,
        value=1,
        not_applicable=False,
    )

    response = client_for(alice).post(reverse("assessment:submit", args=[disagreement.pk]))

    assert response.status_code == 302
    question = AssessmentResult.objects.get(assessment=disagreement).questions.get(
        question_key="data-a"
    )
    assert (question.settled, question.unsettled) == (True, False)


def test_a_manager_submits_with_open_items_and_every_output_marks_them(
    client_for, bob, carried_over, alice
):
    factories.answer(carried_over, alice, {"data-b": 1})  # alice joins; data-b stays carried
    client = client_for(bob)

    refused = client.post(reverse("assessment:submit", args=[carried_over.pk]))
    submitted = client.post(
        reverse("assessment:submit", args=[carried_over.pk]), {"confirm_open_items": "yes"}
    )

    assert refused.status_code == 400
    assert submitted.status_code == 302
    result = AssessmentResult.objects.get(assessment=carried_over)
    marked = set(
        result.questions.filter(carried_unconfirmed=True).values_list("question_key", flat=True)
    )
    assert marked == {"data-a", "data-b", "code-a"}
    results_page = client.get(reverse("assessment:results", args=[carried_over.pk])).text
    assert 'id="marked"' in results_page
    assert results_page.count("Carried over, not confirmed") == 3
    exported = json.loads(
        client.get(reverse("assessment:results_export", args=[carried_over.pk, "json"])).getvalue()
    )
    assert exported["schema"] == "paydown.results/3"
    assert [q["carried_over_unconfirmed"] for q in exported["questions"]] == [True, True, True]
    csv_text = (
        client.get(reverse("assessment:results_export", args=[carried_over.pk, "csv"]))
        .getvalue()
        .decode()
    )
    assert "question,data-a," in csv_text and csv_text.splitlines()[0].endswith(
        "carried_over_unconfirmed,unsettled,not_applicable_share,low_confidence"
    )
    pdf = client.get(reverse("assessment:assessment_report", args=[carried_over.pk])).getvalue()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert text.count("Carried over, not confirmed") >= 3


def test_an_unsettled_question_is_marked_lower_middle_used(client_for, bob, disagreement):
    client = client_for(bob)

    client.post(reverse("assessment:submit", args=[disagreement.pk]), {"confirm_open_items": "yes"})

    question = AssessmentResult.objects.get(assessment=disagreement).questions.get(
        question_key="data-a"
    )
    assert (question.unsettled, question.value) == (True, 0)  # lower middle of 0 and 2
    exported = json.loads(
        client.get(reverse("assessment:results_export", args=[disagreement.pk, "json"])).getvalue()
    )
    assert [q["key"] for q in exported["questions"] if q["unsettled"]] == ["data-a"]
    results_page = client.get(reverse("assessment:results", args=[disagreement.pk])).text
    assert "Unsettled (lower middle used)" in results_page


def test_confirming_a_question_runs_a_fixed_number_of_queries(
    client_for, alice, carried_over, django_assert_num_queries
):
    client = client_for(alice)

    # session
    # user
    # assessment with project, team, version, bank and submitter (access)
    # the question's id by key
    # savepoint (confirm_carried is atomic)
    # the assessment locked for update, with version, project and team: still open?
    # is any of the answers' assessments submitted (the answers' guard on update)
    # the carried answers' update
    # the question's answers as counts, its settlement, its team answer (upsert)
    # the confirmed questions' keys, for the audit log
    # the audit log's entry
    # release savepoint
    # the question ⟕ its answers ⟕ its settlement (the status to show)
    # progress: the questions ⟕ their team answers, counted per category
    with django_assert_num_queries(16):
        response = client.post(
            reverse("assessment:confirm_carried", args=[carried_over.pk]),
            {"question": "data-a"},
            headers=HTMX,
        )

    assert 'id="status-data-a"' in response.text
