"""The results page: the result stored at submit, how it was computed, the change since the
previous assessment and whether the tracked actions moved the score."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from paydown import scoring

from assessment import services
from assessment.models import AssessmentResult, TrackedAction
from assessment.results import queries
from banks import services as bank_services
from banks.models import Category, Question
from tests import factories
from tests.pages import pdf_text, squeeze, table_headed


def results_url(assessment) -> str:
    return reverse("assessment:results", args=[assessment.pk])


def test_submit_stores_the_result_computed_by_hand(submitted):
    result = AssessmentResult.objects.get(assessment=submitted)

    assert result.overall == Decimal("50.0")
    assert (result.level, result.level_name) == (2, "Defined")
    assert dict(result.categories.values_list("key", "score")) == {
        "data": Decimal("75.0"),
        "code": Decimal("0.0"),
    }
    assert (result.counted, result.total, result.respondents) == (3, 3, 1)


def test_later_bank_edits_and_formula_changes_leave_a_past_result_alone(
    client_for, alice, submitted, published, monkeypatch
):
    draft = bank_services.new_draft_from(version=published)
    Question.objects.filter(version=draft).update(weight=9)
    Category.objects.filter(version=draft).update(weight=5)
    bank_services.publish_version(version=draft)
    monkeypatch.setattr(scoring, "_score_maturity", lambda bank: pytest.fail("re-scored"))
    client = client_for(alice)

    page = client.get(results_url(submitted))
    exported = json.loads(
        client.get(reverse("assessment:results_export", args=[submitted.pk, "json"])).getvalue()
    )

    assert table_headed(page.text, "Category", "Score")[0][:2] == ["Data", "75.0"]
    assert exported["overall"]["score"] == 50
    assert [c["score"] for c in exported["categories"]] == [75, 0]


def test_results_page_shows_the_scores_and_explains_the_computation(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)

    # session
    # user
    # the assessment ⋈ project, team, version, bank, where the user may see the project
    # its result ⋈ version, bank
    # the result's categories
    # the result's questions
    # the result's answer snapshots (their evidence, judged stale or not as of now)
    # the project's previous result (none here, so no prefetch of its categories)
    # earlier tracked actions of the project ⋈ owner, source
    # the project's accepted risks ⋈ who accepted them
    # respondents per stated role, and their mean level per category and role
    with django_assert_num_queries(12):
        response = client.get(results_url(submitted))

    text = squeeze(response.text)
    assert '<span class="kpi-value">50.0<span class="kpi-unit">/100</span></span>' in text
    assert '<span class="kpi-value small">Code</span>' in text  # the weakest category
    assert table_headed(response.text, "Category", "Score", "Target", "Level") == [
        ["Data", "75.0", "100.0", "Managed"],
        ["Code", "0.0", "100.0", "Ad hoc"],
    ]
    assert table_headed(response.text, "Category", "Previous", "Now", "Change") == [
        ["Data", "—", "75.0", "—"],
        ["Code", "—", "0.0", "—"],
    ]
    assert "Computed over 3 of 3 questions" in text
    assert table_headed(response.text, "Category", "Σ weight × level ÷ top") == [
        ["Data", "1.500", "2", "75.0", "2"],
        ["Code", "0.000", "1", "0.0", "1"],
    ]
    assert "Overall = Σ (category weight × score) ÷ 3 = 50.0" in text
    weakest = text.split('<ol class="weakest">')[1].split("</ol>")[0]
    assert weakest.index("code-a") < weakest.index("data-b") < weakest.index("data-a")
    assert 'data-chart="radar-data"' in text
    radar = json.loads(
        text.split('<script id="radar-data" type="application/json">')[1].split("</script>")[0]
    )
    assert [trace["r"][:2] for trace in radar["data"]] == [[100.0, 100.0], [75.0, 0.0]]


def test_results_page_compares_with_the_previous_assessment_and_checks_tracked_actions(
    client_for, alice, bob, submitted, published, project1, django_assert_num_queries
):
    middle = factories.make_result(
        project1, published, bob, {"data-a": 1, "data-b": 1, "code-a": 0}, title="Middle"
    ).assessment
    for source, key, status in [
        (submitted, "code-a", "done"),
        (submitted, "data-b", "open"),
        (middle, "data-a", "in_progress"),
    ]:
        action = queries.plan_action(source, key)
        tracked, _ = services.track_action(assessment=source, action=action, owner=alice)
        TrackedAction.objects.filter(pk=tracked.pk).update(status=status)
    latest = factories.make_result(
        project1, published, bob, {"data-a": 1, "data-b": 2, "code-a": 0}, title="Latest"
    ).assessment
    client = client_for(alice)

    # session
    # user
    # the assessment ⋈ project, team, version, bank, where the user may see the project
    # its result ⋈ version, bank
    # the result's categories
    # the result's questions
    # the project's previous result ⋈ its assessment
    # the previous result's categories
    # the result's answer snapshots (their evidence, judged stale or not as of now)
    # earlier tracked actions of the project ⋈ owner, source
    # the project's accepted risks ⋈ who accepted them
    # respondents per stated role, and their mean level per category and role
    with django_assert_num_queries(13):
        response = client.get(results_url(latest))

    text = squeeze(response.text)
    # data (1/2 + 2/2) ÷ 2 = 75, code 0: (2×75 + 0) ÷ 3 = 50.0, up 16.7 from Middle's 33.3
    assert '<span class="up">+16.7</span> since the previous assessment' in text
    assert "Change since “Middle”" in text
    assert table_headed(response.text, "Category", "Previous", "Now", "Change") == [
        ["Data", "50.0", "75.0", "+25.0"],
        ["Code", "0.0", "0.0", "+0.0"],
    ]
    assert table_headed(response.text, "Action", "Status", "Level then", "Level now") == [
        ["How is code-a handled?", "Done", "0", "0", "Done but not improved"],
        ["How is data-a handled?", "In progress", "1", "1", "Not improved yet"],
        ["How is data-b handled?", "Open", "1", "2", "Improved"],
    ]


@pytest.mark.parametrize("name", ["results", "plan"])
def test_result_pages_are_404_for_another_team_and_before_submit(
    client_for, carol, alice, assessment, submitted, published, project1, name
):
    in_progress = services.start_assessment(
        project=project1, version=published, started_by=alice, title="Open"
    )

    assert (
        client_for(alice).get(reverse(f"assessment:{name}", args=[in_progress.pk])).status_code
        == 404
    )
    assert (
        client_for(carol).get(reverse(f"assessment:{name}", args=[submitted.pk])).status_code == 404
    )
    assert (
        client_for(alice).get(reverse(f"assessment:{name}", args=[submitted.pk])).status_code == 200
    )


def test_results_and_report_say_who_did_not_know(client_for, alice, unsure):
    client = client_for(alice)

    html = squeeze(client.get(reverse("assessment:results", args=[unsure.pk])).text)
    pdf = pdf_text(client.get(reverse("assessment:assessment_report", args=[unsure.pk])).getvalue())

    assert '<li>How is data-a handled? <span class="badge warn">1 did not know</span></li>' in html
    assert "1 respondent did not know" in pdf and "alice (don't know)" in pdf
