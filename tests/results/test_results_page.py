"""Results stored at submit, the results page, plans, tracked actions, history and exports."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import scoring, services
from assessment.models import AssessmentResult, TrackedAction
from banks import services as bank_services
from banks.models import Category, Question
from tests.assessment.answering import HTMX, post_answer, squeeze


def submit_with(client, assessment, by, **levels):
    for key, value in levels.items():
        post_answer(client, assessment, key.replace("_", "-"), value)
    return services.submit_assessment(assessment=assessment, by=by, allow_unanswered=True)


@pytest.fixture
def submitted(client_for, alice, bob, assessment):
    # data (weight 2): (1×2/2 + 1×1/2) ÷ 2 = 75; code (weight 1): 0; overall (2×75 + 0) ÷ 3 = 50
    return submit_with(client_for(alice), assessment, bob, data_a="2", data_b="1", code_a="0")


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

    page = client.get(reverse("assessment:results", args=[submitted.pk]))
    exported = json.loads(
        client.get(reverse("assessment:results_export", args=[submitted.pk, "json"])).getvalue()
    )

    assert "50.0" in page.text
    assert exported["overall"]["score"] == 50
    assert [c["score"] for c in exported["categories"]] == [75, 0]


def test_results_page_explains_the_computation(
    client_for, alice, submitted, django_assert_max_num_queries
):
    client = client_for(alice)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessment:results", args=[submitted.pk]))

    text = squeeze(response.text)
    assert response.status_code == 200
    assert "How this is computed" in text
    assert "Computed over 3 of 3 questions" in text
    assert "Overall = Σ (category weight × score) ÷ 3 = 50.0" in text
    assert '<span class="kpi-value small">Code</span>' in text
    assert 'data-chart="radar-data"' in text and 'id="radar-data"' in text


@pytest.mark.parametrize("name", ["results", "plan"])
def test_result_pages_are_404_for_another_team_and_before_submit(
    client_for, carol, alice, assessment, name
):
    url = reverse(f"assessment:{name}", args=[assessment.pk])

    assert client_for(alice).get(url).status_code == 404  # not submitted yet
    assert client_for(carol).get(url).status_code == 404


def test_plan_lists_every_gap_with_its_reason_and_what_if(client_for, alice, submitted):
    client = client_for(alice)
    url = reverse("assessment:plan", args=[submitted.pk])

    plan = client.get(url)
    what_if = client.get(
        url, {"take": ["code-a", "data-b"]}, headers={**HTMX, "HX-Target": "whatif"}
    )

    # Gaps: data-b 1→2, code-a 0→1 (data-a is at the top level).
    assert plan.text.count('class="action"') == 2
    assert "priority" in plan.text
    assert 'id="whatif"' in what_if.text
    assert "<html" not in what_if.text  # only the partial
    # data: 100; code: 50; overall (2×100 + 50) ÷ 3 = 83.3
    assert "83.3" in what_if.text


def test_tracking_an_action_and_checking_it_at_the_next_assessment(
    client_for, alice, bob, submitted, published, project1
):
    client = client_for(bob)
    client.post(
        reverse("assessment:track_action", args=[submitted.pk]),
        {"question": "code-a", "owner": alice.pk, "due": "2027-01-31"},
    )
    client.post(reverse("assessment:track_action", args=[submitted.pk]), {"question": "data-b"})
    client.post(
        reverse("assessment:track_action", args=[submitted.pk]), {"question": "data-a"}
    )  # no gap
    TrackedAction.objects.filter(question_key="code-a").update(status="done")
    TrackedAction.objects.filter(question_key="data-b").update(status="done")

    again = services.start_assessment(
        project=project1, version=published, started_by=bob, title="Next"
    )
    submit_with(client, again, bob, data_a="2", data_b="2", code_a="0")
    page = squeeze(client.get(reverse("assessment:results", args=[again.pk])).text)

    assert TrackedAction.objects.count() == 2
    tracked = TrackedAction.objects.get(question_key="code-a")
    assert (tracked.owner, str(tracked.due), tracked.to_value) == (alice, "2027-01-31", 1)
    assert "Done but not improved" in page  # code-a stayed at 0
    assert "Improved" in page  # data-b went 1 → 2


def test_backlog_updates_and_permissions(client_for, bob, carol, submitted):
    client = client_for(bob)
    client.post(reverse("assessment:track_action", args=[submitted.pk]), {"question": "code-a"})
    action = TrackedAction.objects.get()
    url = reverse("assessment:update_action", args=[submitted.project.slug, action.pk])

    client.post(url, {"status": "in_progress", "owner": "", "due": ""})
    refused = client_for(carol).post(url, {"status": "done"})
    bad = client_for(bob).post(url, {"status": "finished"})

    action.refresh_from_db()
    assert action.status == "in_progress"
    assert refused.status_code == 404
    assert bad.status_code == 302
    assert (
        client_for(bob)
        .get(reverse("assessment:backlog", args=[submitted.project.slug]))
        .status_code
        == 200
    )


def test_history_compare_and_exports(client_for, alice, bob, submitted, published, project1):
    client = client_for(alice)
    again = services.start_assessment(
        project=project1, version=published, started_by=bob, title="Next"
    )
    submit_with(client, again, bob, data_a="2", data_b="2", code_a="1")

    history = client.get(reverse("assessment:history", args=[project1.slug]))
    compare = client.get(
        reverse("assessment:compare", args=[project1.slug]), {"a": submitted.pk, "b": again.pk}
    )
    results_csv = client.get(reverse("assessment:results_export", args=[again.pk, "csv"]))
    plan_json = client.get(reverse("assessment:plan_export", args=[submitted.pk, "json"]))

    assert 'id="trend-data"' in history.text
    assert "+33.3" in history.text  # 50.0 → 83.3
    assert compare.text.count('class="up"') == 2
    rows = list(csv.reader(io.StringIO(results_csv.getvalue().decode())))
    assert rows[0][:4] == ["kind", "key", "name", "score"]
    assert rows[1][3] == "83.3"
    plan = json.loads(plan_json.getvalue())
    assert plan["schema"] == "paydown.plan/1"
    assert [a["question"] for a in plan["actions"]] == ["data-b", "code-a"]


def test_export_permissions_and_unknown_formats(client_for, carol, alice, submitted):
    url = f"/assessments/{submitted.pk}/results.xml"

    assert client_for(alice).get(url).status_code == 404
    assert (
        client_for(carol)
        .get(reverse("assessment:results_export", args=[submitted.pk, "json"]))
        .status_code
        == 404
    )
    assert (
        client_for(carol)
        .get(reverse("assessment:history", args=[submitted.project.slug]))
        .status_code
        == 404
    )
