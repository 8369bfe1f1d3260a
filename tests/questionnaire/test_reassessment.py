"""A reassessment worked through quickly (issue #18): what changed since the last assessment, the
long page, confirming the carried-over answers listed, the review step before submit, and a
refused answer shown back without JavaScript."""

from django.urls import reverse

from assessment import services
from assessment.models import Answer
from tests import factories
from tests.factories import post_answer
from tests.pages import squeeze
from tests.questionnaire.test_filters import cards, view


def test_changed_since_last_lists_the_answers_that_differ_from_the_previous_assessment(
    client_for, bob, carried_over
):
    client = client_for(bob)
    # data-a was 2 and stays (confirmed); code-a was 0 and becomes 1; data-b stays carried.
    post_answer(client, carried_over, "data-a", "2", confirm="on")
    post_answer(client, carried_over, "code-a", "1")

    response = view(client, carried_over, "changed")

    assert cards(response) == ["code-a"]
    assert response.context["page"].filter_counts["changed"] == 1


def test_an_assessment_started_afresh_compares_with_the_last_one_submitted(
    client_for, alice, submitted
):
    fresh = services.start_assessment(
        project=submitted.project, version=submitted.version, started_by=alice, title="Afresh"
    )
    factories.answer(fresh, alice, {"data-a": 2, "data-b": "na", "code-a": 0})
    services.refresh_team_answers(assessment=fresh)

    response = view(client_for(alice), fresh, "changed")

    assert cards(response) == ["data-b"]  # 1 then, not applicable now


def test_nothing_has_changed_in_a_first_assessment(client_for, alice, assessment):
    factories.answer(assessment, alice, {"data-a": 2})

    assert cards(view(client_for(alice), assessment, "changed")) == []


def test_all_on_one_page_shows_every_category(client_for, alice, assessment):
    assert cards(view(client_for(alice), assessment, "all")) == ["data-a", "data-b", "code-a"]


def test_confirming_the_listed_answers_confirms_exactly_those(client_for, bob, carried_over):
    url = reverse("assessment:confirm_carried", args=[carried_over.pk])

    response = client_for(bob).post(url, {"question": ["data-a", "code-a"], "next": "to_confirm"})

    assert response.status_code == 302
    assert response["Location"] == f"{carried_over.get_absolute_url()}?show=to_confirm"
    still_carried = Answer.objects.filter(assessment=carried_over, carried_over=True)
    assert [a.question.key for a in still_carried] == ["data-b"]


def test_confirming_with_an_unknown_key_confirms_nothing(client_for, bob, carried_over):
    url = reverse("assessment:confirm_carried", args=[carried_over.pk])

    response = client_for(bob).post(url, {"question": ["data-a", "no-such-key"]})

    assert response.status_code == 404
    assert Answer.objects.filter(assessment=carried_over, carried_over=True).count() == 3


def test_the_review_step_lists_changes_not_applicable_and_what_is_left(
    client_for, bob, carried_over
):
    client = client_for(bob)
    post_answer(client, carried_over, "code-a", "1")
    post_answer(client, carried_over, "data-b", "na", na_reason="not_used")

    page = squeeze(client.get(reverse("assessment:submit", args=[carried_over.pk])).text)

    assert "2 answers changed since the last assessment" in page
    assert "level 0</td> <td>level 1</td>" in page  # code-a: from → to
    assert "level 1</td> <td>not applicable</td>" in page  # data-b
    assert "1 question not applicable" in page
    assert "1 carried-over answer to confirm" in page  # data-a, still as carried


def test_without_javascript_a_refused_answer_comes_back_as_sent_with_its_reason(
    client_for, alice, assessment
):
    client = client_for(alice)
    factories.answer(assessment, alice, {"data-a": 1})

    response = post_answer(
        client, assessment, "data-a", "na", htmx=False, na_detail="Typed reason", notes="Mine"
    )

    assert response.status_code == 422
    card = squeeze(response.text).split('id="question-data-a"')[1].split("</article>")[0]
    assert 'value="na" checked' in card
    assert 'value="Typed reason" autofocus' not in card  # the reason's menu is what is missing
    assert 'value="Typed reason"' in card and ">Mine</textarea>" in card
    assert '<select name="na_reason" autofocus>' in card
    assert "Not saved: Say why it does not apply, to save “not applicable”." in card
    saved = Answer.objects.get(question__key="data-a")
    assert (saved.level_value, saved.not_applicable, saved.notes) == (1, False, "")
