"""Bank version 2's guidance on the questionnaire: the level rule, evidence hints and the link
prompt, new series, and N/A only under a stated precondition (issue #13)."""

import re

import pytest
from django.utils.html import escape

from assessment import services
from assessment.models import Answer, AnswerChange
from tests import factories
from tests.factories import post_answer
from tests.pages import squeeze
from tests.questionnaire.test_questionnaire_page import QUESTIONNAIRE_QUERIES

PROMPT = "Link the evidence for this level"
PLATFORM_HELP = (
    "Provided by a platform team? Answer the level the platform provides for this system and "
    "link its documentation."
)


@pytest.fixture
def v2(shipped_banks):
    return shipped_banks["ml-technical-debt-v2"]


@pytest.fixture
def assessment_v2(v2, project1, alice):
    return services.start_assessment(project=project1, version=v2, started_by=alice, title="V2")


@pytest.fixture
def assessment_v1(shipped_banks, project1, alice):
    version = shipped_banks["ml-technical-debt"]
    return services.start_assessment(
        project=project1, version=version, started_by=alice, title="V1"
    )


def card(html: str, key: str) -> str:
    """One question card of the page."""
    found = re.search(
        rf'<article class="question[^"]*" id="question-{key}">.*?</article>', html, re.S
    )
    assert found, f"no card for {key}"
    return found.group(0)


def page(client, assessment, **query) -> str:
    return client.get(assessment.get_absolute_url(), query).text


def test_the_level_rule_is_said_once_near_the_top(client_for, alice, assessment_v2, v2):
    html = page(client_for(alice), assessment_v2)

    rule = escape(v2.level_rule)
    assert v2.level_rule.startswith("A level counts only when every condition it states holds")
    assert html.count(rule) == 1
    assert html.index(rule) < html.index('<article class="question')


def test_the_preview_says_the_level_rule_once(client_for, admin_user, v2):
    html = client_for(admin_user).get(v2.get_preview_url()).text

    assert html.count(escape(v2.level_rule)) == 1


def test_each_level_shows_its_evidence_hint(client_for, alice, assessment_v2, v2):
    level = v2.questions.get(key="data-skew-detection").levels.get(value=3)
    html = page(client_for(alice), assessment_v2, category="data")

    skew = squeeze(card(html, "data-skew-detection"))
    hint = f'<small class="evidence-hint">Evidence: {escape(level.evidence)}</small>'
    assert level.evidence.startswith("Link the scheduled parity job")
    assert hint in skew
    assert skew.count('class="evidence-hint"') == 5  # one per level, 0 to 4


def test_the_v2_page_costs_the_same_queries_and_stays_small(
    client_for, alice, assessment_v2, django_assert_num_queries
):
    client = client_for(alice)
    post_answer(client, assessment_v2, "data-skew-detection", "3")

    # The same queries as a version 1 page: the guidance is on the version and the levels.
    with django_assert_num_queries(QUESTIONNAIRE_QUERIES):
        html = page(client, assessment_v2, category="operations")

    assert html.count('<article class="question') == 12
    assert len(html.encode()) < 150_000


def test_a_saved_level_3_without_links_asks_for_one(client_for, alice, assessment_v2):
    client = client_for(alice)

    response = post_answer(client, assessment_v2, "data-skew-detection", "3")

    assert response.status_code == 200
    oob = '<span class="evidence-prompt" id="evidence-prompt-data-skew-detection" hx-swap-oob="innerHTML">'
    assert f'{oob}<span class="badge warn">{PROMPT}</span></span>' in response.text
    skew = card(page(client, assessment_v2, category="data"), "data-skew-detection")
    assert PROMPT in skew
    assert '<details class="evidence" open>' in skew
    assert PROMPT not in card(page(client, assessment_v2, category="data"), "data-schema")
    answer = Answer.objects.get(question__key="data-skew-detection")
    assert (answer.level_value, answer.links) == (3, "")


def test_a_link_or_a_lower_level_removes_the_prompt(client_for, alice, assessment_v2):
    client = client_for(alice)
    post_answer(client, assessment_v2, "data-skew-detection", "3")

    linked = post_answer(
        client, assessment_v2, "data-skew-detection", "3", links="https://ci.example/parity"
    )

    empty = '<span class="evidence-prompt" id="evidence-prompt-data-skew-detection" hx-swap-oob="innerHTML"></span>'
    assert empty in linked.text and PROMPT not in linked.text
    assert PROMPT not in card(page(client, assessment_v2, category="data"), "data-skew-detection")
    assert Answer.objects.get(question__key="data-skew-detection").links == (
        "https://ci.example/parity"
    )

    lower = post_answer(client, assessment_v2, "data-schema", "2")
    assert empty.replace("data-skew-detection", "data-schema") in lower.text
    assert PROMPT not in card(page(client, assessment_v2, category="data"), "data-schema")


def test_notes_typed_without_a_level_keep_the_saved_level_s_prompt(
    client_for, alice, assessment_v2
):
    client = client_for(alice)
    post_answer(client, assessment_v2, "data-skew-detection", "4")

    response = post_answer(client, assessment_v2, "data-skew-detection", "", notes="Weekly job.")

    assert PROMPT in response.text
    assert Answer.objects.get(question__key="data-skew-detection").level_value == 4


def test_a_changed_question_says_its_series_starts_anew(client_for, alice, assessment_v2):
    client = client_for(alice)

    skew = squeeze(card(page(client, assessment_v2, category="data"), "data-skew-detection"))
    drift = squeeze(card(page(client, assessment_v2, category="operations"), "ops-input-drift"))
    schema = card(page(client, assessment_v2, category="data"), "data-schema")

    assert "New series in version 2: replaces data-training-serving-skew" in skew
    assert "New in version 2" in drift and "replaces" not in drift
    assert "New series" not in schema and "New in version" not in schema  # the same question


def test_a_question_merged_from_two_names_both(client_for, alice, assessment_v2):
    redundancy = card(
        page(client_for(alice), assessment_v2, category="configuration"), "config-redundancy"
    )

    assert "replaces config-composition, config-unused-settings" in redundancy


def test_na_shows_its_precondition_and_the_platform_help(client_for, alice, assessment_v2, v2):
    question = v2.questions.get(key="data-signal-stability")
    signals = squeeze(
        card(page(client_for(alice), assessment_v2, category="data"), "data-signal-stability")
    )

    assert question.allow_na and question.na_precondition
    assert f"Only if: {escape(question.na_precondition)}" in signals
    assert PLATFORM_HELP in signals
    assert '<option value="not_used">' in signals
    assert 'value="other_team"' not in signals


def test_na_as_handled_by_another_team_is_refused_and_nothing_saved(
    client_for, alice, assessment_v2
):
    client = client_for(alice)

    response = post_answer(
        client, assessment_v2, "data-signal-stability", "na", na_reason="other_team"
    )

    assert response.status_code == 422
    assert 'id="status-data-signal-stability"' in response.text
    assert "is no longer a reason for “not applicable”" in response.text
    assert not Answer.objects.exists() and not AnswerChange.objects.exists()
    accepted = post_answer(
        client, assessment_v2, "data-signal-stability", "na", na_reason="not_used"
    )
    assert accepted.status_code == 200
    assert Answer.objects.get().na_reason == "not_used"


def test_a_stored_other_team_answer_still_shows_but_is_not_saved_again(
    client_for, alice, assessment_v2
):
    client = client_for(alice)
    [stored] = factories.answer(assessment_v2, alice, {"data-signal-stability": "na"})
    Answer.objects.filter(pk=stored.pk).update(na_reason="other_team")

    signals = card(page(client, assessment_v2, category="data"), "data-signal-stability")
    assert '<option value="other_team" selected>Handled by another team</option>' in signals

    response = post_answer(
        client, assessment_v2, "data-signal-stability", "na", na_reason="other_team", notes="x"
    )
    assert response.status_code == 422
    assert Answer.objects.get().notes == ""


def test_a_plain_post_of_other_team_is_refused_with_a_message(client_for, alice, assessment_v2):
    client = client_for(alice)

    response = post_answer(
        client, assessment_v2, "data-signal-stability", "na", htmx=False, na_reason="other_team"
    )

    assert response.status_code == 422  # the page again, the choice and the reason shown back
    assert "Not saved: “Handled by another team” is no longer a reason" in response.text
    assert not Answer.objects.exists()


def test_version_1_shows_none_of_the_guidance(client_for, alice, assessment_v1):
    client = client_for(alice)
    saved = post_answer(client, assessment_v1, "data-schema", "3")
    html = page(client, assessment_v1, category="data")

    assert saved.status_code == 200 and "evidence-prompt" not in saved.text
    for text in (
        "Choosing a level:",
        "evidence-hint",
        "evidence-prompt",
        PROMPT,
        "New series",
        "New in version",
        "Only if:",
        PLATFORM_HELP,
    ):
        assert text not in html
    assert '<option value="other_team">Handled by another team</option>' in html
    assert Answer.objects.get(question__key="data-schema").level_value == 3
