"""A "don't know" answer (issue #13): saved like any answer, kept out of the team's median,
reported, and a question only don't-knows answered blocks a member's submit as unanswered."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessment import services
from assessment.models import Answer, AnswerChange, Assessment, AssessmentResult, TeamAnswer
from tests import factories
from tests.factories import post_answer
from tests.pages import checked_choices, squeeze, table_headed
from tests.questionnaire.test_autosave import AUTOSAVE_STATEMENTS


def team_answer(assessment, key: str) -> tuple:
    row = TeamAnswer.objects.get(assessment=assessment, question__key=key)
    return (row.level_value, row.not_applicable, row.dont_know)


def history(assessment) -> list[tuple[str, str]]:
    return list(
        AnswerChange.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list("from_value", "to_value")
    )


def test_dont_know_is_saved_left_out_of_the_team_answer_and_shown(client, alice, bob, assessment):
    client.force_login(bob)
    post_answer(client, assessment, "data-a", "2")
    client.force_login(alice)

    response = post_answer(client, assessment, "data-a", "dont_know", notes="Ask the data team.")

    assert response.status_code == 200
    html = squeeze(response.text)
    assert (
        '<span class="badge warn">Don\'t know</span> Team: level 2 '
        '<span class="muted">(2 × 1, don\'t know × 1)</span>'
    ) in html
    answer = Answer.objects.get(assessment=assessment, respondent=alice)
    assert (answer.level_value, answer.not_applicable, answer.dont_know) == (None, False, True)
    assert answer.notes == "Ask the data team."
    assert team_answer(assessment, "data-a") == (Decimal(2), False, 1)
    assert history(assessment) == [("", "2"), ("", "?")]


def test_a_question_answered_only_dont_know_stays_unanswered(client_for, alice, assessment):
    response = post_answer(client_for(alice), assessment, "data-a", "dont_know")

    assert response.status_code == 200
    html = squeeze(response.text)
    assert 'Team: — <span class="muted">(don\'t know × 1)</span>' in html
    assert "0 of 3 questions answered" in html  # the progress sent out of band
    assert team_answer(assessment, "data-a") == (None, False, 1)


def test_a_level_after_dont_know_replaces_it_in_the_answer_and_the_history(
    client_for, alice, assessment
):
    client = client_for(alice)
    post_answer(client, assessment, "data-a", "dont_know")

    post_answer(client, assessment, "data-a", "1")

    answer = Answer.objects.get(assessment=assessment, respondent=alice)
    assert (answer.level_value, answer.dont_know) == (Decimal(1), False)
    assert team_answer(assessment, "data-a") == (Decimal(1), False, 0)
    assert history(assessment) == [("", "?"), ("?", "1")]
    panel = client.get(reverse("assessment:question_history", args=[assessment.pk, "data-a"]))
    assert "alice: level don't know → 1" in squeeze(panel.text)


def test_an_autosave_of_dont_know_costs_what_a_level_costs(
    client_for, alice, assessment, assert_statements
):
    client = client_for(alice)
    post_answer(client, assessment, "data-a", "1")

    with assert_statements(AUTOSAVE_STATEMENTS):
        response = post_answer(client, assessment, "data-a", "dont_know")

    assert response.status_code == 200
    assert Answer.objects.get().dont_know


def test_the_page_ticks_dont_know_and_the_team_sees_it(client, alice, bob, assessment):
    factories.answer(assessment, alice, {"data-a": "?"})
    factories.answer(assessment, bob, {"data-a": 1})
    client.force_login(alice)

    mine = client.get(assessment.get_absolute_url(), {"category": "data"}).text
    client.force_login(bob)
    theirs = squeeze(client.get(assessment.get_absolute_url(), {"category": "data"}).text)
    panel = client.get(reverse("assessment:question_team", args=[assessment.pk, "data-a"]))

    assert checked_choices(mine)["data-a"] == ["dont_know"]
    assert (
        '<span class="badge warn">Don\'t know</span> Team: level 1 '
        '<span class="muted">(1 × 1, don\'t know × 1)</span>'
    ) in theirs
    assert table_headed(panel.text, "Respondent", "Answer") == [
        ["alice", "Don't know", ""],
        ["bob", "1 · L1", ""],
    ]


@pytest.mark.parametrize(
    "choices",
    [
        ["", "dont_know", "2"],
        ["", "2", "dont_know"],
        ["", "dont_know", "na"],
        ["", "na", "dont_know"],
    ],
)
def test_dont_know_with_a_level_or_na_is_refused_and_changes_nothing(
    client_for, alice, assessment, choices
):
    client = client_for(alice)
    post_answer(client, assessment, "data-a", "1", notes="Kept.")

    response = post_answer(
        client, assessment, "data-a", choice=choices, na_reason="not_used", notes="Lost."
    )

    assert response.status_code == 422
    assert 'id="status-data-a"' in response.text
    assert "Choose one answer: a level, “not applicable” or “don&#x27;t know”." in response.text
    answer = Answer.objects.get()
    assert (answer.level_value, answer.not_applicable, answer.dont_know, answer.notes) == (
        Decimal(1),
        False,
        False,
        "Kept.",
    )
    assert history(assessment) == [("", "1")]
    assert team_answer(assessment, "data-a") == (Decimal(1), False, 0)


ANSWERS = ["0", "1", "2", "na", "dont_know"]


@given(
    choices=st.lists(st.sampled_from([*ANSWERS, ""]), min_size=2, max_size=5).filter(
        lambda sent: len({c for c in sent if c}) > 1
    ),
    htmx=st.booleans(),
)
def test_any_two_answers_in_one_post_are_refused_and_change_nothing(
    client_for, alice, assessment, choices, htmx
):
    client = client_for(alice)
    if not Answer.objects.exists():
        post_answer(client, assessment, "data-b", "dont_know", notes="Kept.")
    before = list(Answer.objects.values_list("level_value", "not_applicable", "dont_know", "notes"))

    response = post_answer(
        client, assessment, "data-b", choice=choices, na_reason="not_used", htmx=htmx
    )

    assert response.status_code == 422 if htmx else 302
    assert (
        list(Answer.objects.values_list("level_value", "not_applicable", "dont_know", "notes"))
        == before
        == [(None, False, True, "Kept.")]
    )
    assert history(assessment) == [("", "?")]
    assert team_answer(assessment, "data-b") == (None, False, 1)


def test_the_service_and_the_database_refuse_dont_know_with_a_level_or_na(alice, assessment):
    question = assessment.version.questions.get(key="data-a")

    for combination in ({"value": Decimal(1)}, {"not_applicable": True, "na_reason": "other"}):
        with pytest.raises(ValueError, match="Don't know"):
            services.AnswerInput(dont_know=True, **combination)
        with pytest.raises(IntegrityError), transaction.atomic():
            Answer.objects.create(
                assessment=assessment,
                question=question,
                respondent=alice,
                dont_know=True,
                level_value=combination.get("value"),
                not_applicable=combination.get("not_applicable", False),
                na_reason=combination.get("na_reason", ""),
            )

    assert not Answer.objects.exists()


def test_a_team_cannot_settle_on_dont_know(client_for, bob, assessment):
    response = client_for(bob).post(
        reverse("assessment:settle", args=[assessment.pk, "data-a"]), {"choice": "dont_know"}
    )

    assert response.status_code == 302
    assert not assessment.settlements.exists()


def test_settling_keeps_the_dont_know_count_of_the_team_answer(bob, alice, assessment):
    factories.answer(assessment, alice, {"data-a": "?"})
    factories.answer(assessment, bob, {"data-a": 0})
    question = assessment.version.questions.get(key="data-a")

    services.settle_question(
        assessment=assessment,
        question_id=question.pk,
        by=bob,
        value=Decimal(1),
        not_applicable=False,
    )

    assert team_answer(assessment, "data-a") == (Decimal(1), False, 1)


def submit_url(assessment) -> str:
    return reverse("assessment:submit", args=[assessment.pk])


def test_a_member_cannot_submit_while_a_question_has_only_dont_know(
    client_for, alice, bob, assessment
):
    factories.answer(assessment, alice, {"data-a": "?", "data-b": 1, "code-a": "?"})
    factories.answer(assessment, bob, {"data-a": "?", "code-a": 2})
    client = client_for(alice)

    page = squeeze(client.get(submit_url(assessment)).text)
    response = client.post(submit_url(assessment), {"confirm_open_items": "yes"})

    assert '<section class="panel" id="open-unanswered"> <h2>1 unanswered question</h2>' in page
    assert (
        'How is data-a handled?</a> <span class="badge warn">everyone said don\'t know</span>'
        in page
    )
    assert (
        '<section class="panel" id="dont-know"> <h2>2 questions with a “don\'t know”</h2>' in page
    )
    assert 'How is data-a handled?</a> <span class="muted">(2 don\'t know)</span>' in page
    assert 'How is code-a handled?</a> <span class="muted">(1 don\'t know)</span>' in page
    assert "Submit the assessment" not in page
    assert response.status_code == 400
    assert "Not submitted: 1 unanswered, 0 to confirm, 0 to settle." in response.text
    assert Assessment.objects.get().is_open
    assert not AssessmentResult.objects.exists()


def test_a_manager_may_submit_and_the_result_keeps_the_dont_knows(
    client_for, alice, bob, assessment
):
    factories.answer(assessment, alice, {"data-a": "?", "data-b": 1, "code-a": 1})
    factories.answer(assessment, bob, {"data-a": "?", "data-b": "?"})
    client = client_for(bob)

    refused = client.post(submit_url(assessment))
    response = client.post(submit_url(assessment), {"confirm_open_items": "yes"})

    assert refused.status_code == 400
    assert response.status_code == 302
    result = AssessmentResult.objects.get()
    rows = {q.question_key: (q.value, q.unanswered, q.dont_know) for q in result.questions.all()}
    assert rows == {
        "data-a": (None, True, 2),
        "data-b": (Decimal(1), False, 1),
        "code-a": (Decimal(1), False, 0),
    }
    # data-a counts as level 0: data (0 + 1/2) ÷ 2 = 25, code 50, overall (2 × 25 + 50) ÷ 3.
    assert (result.unanswered, result.respondents) == (1, 2)
    assert result.overall == Decimal("33.3")


def test_a_dont_know_is_not_carried_over(alice, bob, assessment):
    factories.answer(assessment, alice, {"data-a": "?", "data-b": "?", "code-a": 2})
    factories.answer(assessment, bob, {"data-b": 1})
    services.submit_assessment(assessment=assessment, by=bob, allow_open_items=True)

    again = services.start_assessment(
        project=assessment.project,
        version=assessment.version,
        started_by=bob,
        title="Again",
        carry_over=True,
    )

    carried = dict(again.answers.values_list("question__key", "level_value"))
    assert carried == {"data-b": Decimal(1), "code-a": Decimal(2)}  # data-a is asked again
    assert not again.answers.filter(dont_know=True).exists()
    assert not TeamAnswer.objects.filter(assessment=again, question__key="data-a").exists()
    assert set(TeamAnswer.objects.filter(assessment=again).values_list("dont_know", flat=True)) == {
        0
    }
