"""The questionnaire's filtered views (issue #18): the cards of every category that wait for the
user's answer, are unanswered, rest on a carried-over answer, or are flagged, with their counts."""

import re

import pytest
from django.urls import reverse

from assessment import services
from tests import factories
from tests.pages import squeeze


def cards(response) -> list[str]:
    html = response.text
    return [part.split('"')[0] for part in html.split('id="question-')[1:]]


def view(client, assessment, show):
    return client.get(reverse("assessment:questionnaire", args=[assessment.pk]), {"show": show})


def test_to_confirm_lists_the_carried_over_answers_of_every_category(
    client_for, alice, carried_over
):
    response = view(client_for(alice), carried_over, "to_confirm")

    assert cards(response) == ["data-a", "data-b", "code-a"]
    assert response.context["page"].filter_counts["to_confirm"] == 3


def test_waiting_for_you_lists_only_the_questions_you_have_not_answered(
    client_for, alice, bob, assessment
):
    factories.answer(assessment, bob, {"data-a": 2})
    factories.answer(assessment, alice, {"data-a": 1, "code-a": 0})

    for_bob = view(client_for(bob), assessment, "mine")
    for_alice = view(client_for(alice), assessment, "mine")

    assert cards(for_bob) == ["data-b", "code-a"]
    assert cards(for_alice) == ["data-b"]
    assert squeeze(for_alice.text).count('aria-current="page">Waiting for you') == 1


def test_flagged_lists_only_the_disagreements_and_unanswered_the_rest(
    client_for, alice, bob, assessment
):
    factories.answer(assessment, alice, {"data-a": 0, "data-b": 1})
    factories.answer(assessment, bob, {"data-a": 2, "data-b": 1})
    client = client_for(alice)

    assert cards(view(client, assessment, "flagged")) == ["data-a"]
    assert cards(view(client, assessment, "unanswered")) == ["code-a"]


def test_an_empty_view_says_so_and_an_unknown_filter_shows_the_categories(
    client_for, alice, assessment
):
    client = client_for(alice)

    empty = view(client, assessment, "flagged")
    unknown = view(client, assessment, "<script>")

    assert cards(empty) == [] and "No question left in this view." in empty.text
    assert unknown.status_code == 200 and cards(unknown) == ["data-a", "data-b"]
    assert unknown.context["show"] == ""  # not echoed anywhere: the page is the categories'


def test_a_filtered_view_costs_the_same_for_a_large_team(
    client_for, alice, team1, assessment, django_assert_num_queries
):
    for n in range(12):
        member = factories.make_user(f"member{n}")
        factories.add_member(team1, member)
        factories.answer(assessment, member, {"data-a": n % 3})
    services.refresh_team_answers(assessment=assessment)
    client = client_for(alice)

    # session
    # user
    # assessment with project, team, version, bank and submitter (access)
    # categories, their questions and the questions' levels (prefetch)
    # the user's own answers
    # how many respondents
    # everyone's answers as counts per question and level
    # comments as counts per question
    # settlements
    # evidence as counts per question, and the scan's open suggestions
    # the previous assessment's team answers by question key (what changed since)
    # (progress and the navigation's counts come from the answers already read: no query)
    with django_assert_num_queries(14):
        response = view(client, assessment, "unanswered")

    assert cards(response) == ["data-b", "code-a"]


@pytest.mark.parametrize(
    ("page", "current"),
    [("?show=unanswered", []), ("?category=data", ["data"]), ("", ["data"])],
    ids=["filtered view", "category page", "first category page"],
)
def test_an_autosave_marks_a_category_current_only_on_a_category_page(
    client_for, alice, assessment, page, current
):
    """The autosave swaps in the category navigation; on a filtered view (every category's
    cards) it marked the saved question's category as the current page."""
    url = reverse("assessment:save_answer", args=[assessment.pk, "data-a"])
    here = f"http://testserver{reverse('assessment:questionnaire', args=[assessment.pk])}{page}"

    response = client_for(alice).post(
        url,
        {"choice": "2", "notes": "", "links": "", "na_reason": "", "na_detail": ""},
        headers={"HX-Request": "true", "HX-Current-URL": here},
    )

    marked = re.findall(r'\?category=([\w-]+)"[^>]*aria-current="page"', response.text)
    assert response.status_code == 200 and 'id="category-nav"' in response.text
    assert marked == current
