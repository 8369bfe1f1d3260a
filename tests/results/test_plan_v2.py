"""Plan v2 on bank version 2 (issue #13): targets from the project's risk tier, interest by the
gap's calendar age, accepted risks with who, why and until when, and where the project stands on
Google's and Microsoft's MLOps levels."""

import json
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import Assessment
from assessment.results import queries
from projects.models import AcceptedRisk
from tests import factories
from tests.pages import pdf_text, squeeze


@pytest.fixture
def v2(shipped_banks):
    return shipped_banks["ml-technical-debt-v2"]


def v2_result(project, version, user, levels: dict[str, int], *, default: int = 2, title="Q"):
    every = {q.key: levels.get(q.key, default) for q in version.questions.all()}
    return factories.make_result(project, version, user, every, title=title)


def plan_keys(assessment) -> set[str]:
    return {a.question_key for a in queries.plan_page(assessment).actions}


def test_an_internal_project_s_plan_holds_only_the_questions_below_its_tier_s_targets(
    v2, project1, alice
):
    project1.risk_tier = "internal"  # targets 2, feedback loops 1, critical questions 2
    project1.save()
    result = v2_result(
        project1,
        v2,
        alice,
        {
            "data-schema": 1,  # below 2: planned
            "feedback-direct-loops": 1,  # at the feedback loops' 1: not planned
            "feedback-hidden-loops": 0,  # below 1: planned
            "ops-input-drift": 1,  # critical, below 2: planned
            "code-glue": 3,
        },
    )

    assert plan_keys(result.assessment) == {
        "data-schema",
        "feedback-hidden-loops",
        "ops-input-drift",
    }


def test_without_a_tier_every_question_below_the_top_is_planned(v2, project1, alice):
    result = v2_result(project1, v2, alice, {"code-glue": 4})

    assert len(plan_keys(result.assessment)) == v2.questions.count() - 1


def test_a_critical_question_aims_at_the_tier_s_critical_target_and_overrides_win(
    v2, project1, alice
):
    project1.risk_tier = "experimental"  # operations 0, critical questions 1
    project1.targets = {"data": 3}
    project1.save()
    result = v2_result(project1, v2, alice, {}, default=0)

    keys = plan_keys(result.assessment)

    assert "ops-input-drift" in keys and "ops-cost-attribution" not in keys
    assert {q.key for q in v2.questions.filter(category__key="data")} <= keys


def test_interest_runs_on_the_gap_s_calendar_age_not_on_the_count_of_assessments(
    v2, project1, alice
):
    project1.risk_tier = "internal"
    project1.save()
    first = v2_result(project1, v2, alice, {"data-schema": 1}, title="First")
    Assessment.objects.filter(pk=first.assessment_id).update(
        submitted_at=timezone.now() - timedelta(days=365)
    )
    latest = v2_result(project1, v2, alice, {"data-schema": 1}, title="Latest")

    (action,) = queries.plan_page(latest.assessment).actions

    assert (action.question_key, action.age_days, action.interest) == (
        "data-schema",
        365,
        D("1.50"),
    )
    weeks = action.effort_weeks
    assert action.priority == (action.overall_gain * action.impact * D("1.50") / weeks).quantize(
        D("0.01")
    )
    assert "gap open 365 days" in action.why and "person-weeks" in action.why


def plan_url(assessment) -> str:
    return reverse("assessment:plan", args=[assessment.pk])


def accept_url(assessment) -> str:
    return reverse("assessment:accept_risk", args=[assessment.pk])


@pytest.fixture
def internal_result(v2, project1, alice):
    project1.risk_tier = "internal"
    project1.save()
    return v2_result(project1, v2, alice, {"data-schema": 1, "ops-input-drift": 0})


def test_accepting_a_risk_takes_the_gap_out_of_the_plan_and_shows_who_why_and_until(
    client_for, alice, internal_result
):
    assessment = internal_result.assessment
    client = client_for(alice)
    until = timezone.localdate() + timedelta(days=90)

    client.post(
        accept_url(assessment),
        {"question": "data-schema", "reason": "Schema lives in the vendor's feed", "until": until},
    )

    risk = AcceptedRisk.objects.get()
    assert (risk.question_key, risk.accepted_by, risk.until) == ("data-schema", alice, until)
    assert plan_keys(assessment) == {"ops-input-drift"}
    plan = squeeze(client.get(plan_url(assessment)).text)
    results = squeeze(client.get(reverse("assessment:results", args=[assessment.pk])).text)
    for html in (plan, results):
        assert "Schema lives in the vendor&#x27;s feed" in html
        assert (
            f"<td>alice</td> <td>Schema lives in the vendor&#x27;s feed</td> <td>{until:%Y-%m-%d}</td>"
            in html
        )

    report = pdf_text(
        client.get(reverse("assessment:assessment_report", args=[assessment.pk])).getvalue()
    )
    assert "Accepted risks (1)" in report
    assert "Schema lives in the vendor's feed" in report and until.isoformat() in report
    assert "Google Cloud: level 0 of 2 (Manual process)" in report
    assert "Targets from the risk tier Internal" in report

    client.post(
        reverse("assessment:withdraw_risk", args=[assessment.pk]), {"question": "data-schema"}
    )

    assert not AcceptedRisk.objects.exists()
    assert plan_keys(assessment) == {"data-schema", "ops-input-drift"}


def test_an_expired_acceptance_puts_the_gap_back_in_the_plan(alice, internal_result):
    AcceptedRisk.objects.create(
        project=internal_result.assessment.project,
        question_key="data-schema",
        reason="Until the migration",
        until=timezone.localdate() - timedelta(days=1),
        accepted_by=alice,
    )

    assert "data-schema" in plan_keys(internal_result.assessment)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": "data-schema", "reason": "", "until": "2027-06-01"}, "give a reason"),
        ({"question": "data-schema", "reason": "Why", "until": "not a date"}, "give a reason"),
        (
            {"question": "data-schema", "reason": "Why", "until": "2020-01-01"},
            "in the next two years",
        ),
        (
            {"question": "data-schema", "reason": "Why", "until": "2099-01-01"},
            "in the next two years",
        ),
        (
            {"question": "code-glue", "reason": "Why", "until": "2027-06-01"},
            "has no gap in this plan",
        ),
        ({"question": "no-such-question", "reason": "Why", "until": "2027-06-01"}, "has no gap"),
        ({"question": "data-schema", "reason": "   ", "until": "2027-06-01"}, "give a reason"),
    ],
)
def test_a_bad_acceptance_is_refused_with_a_message_and_saves_nothing(
    client_for, alice, internal_result, data, message
):
    response = client_for(alice).post(accept_url(internal_result.assessment), data, follow=True)

    assert response.status_code == 200 and message in response.text
    assert not AcceptedRisk.objects.exists()


def test_another_team_cannot_accept_a_risk_on_this_project(client_for, carol, internal_result):
    data = {"question": "data-schema", "reason": "Mine now", "until": "2027-06-01"}

    response = client_for(carol).post(accept_url(internal_result.assessment), data)

    assert response.status_code == 404
    assert not AcceptedRisk.objects.exists()


def test_results_name_where_the_project_stands_on_google_s_and_microsoft_s_levels(
    client_for, alice, v2, project1
):
    top = v2_result(project1, v2, alice, {}, default=4, title="Top")
    html = squeeze(
        client_for(alice).get(reverse("assessment:results", args=[top.assessment_id])).text
    )
    assert "Google Cloud: level 2 of 2 (CI/CD pipeline automation)" in html
    assert "Microsoft: level 4 of 4 (Full MLOps automated operations)" in html

    low = v2_result(project1, v2, alice, {"code-prototype": 2}, default=3, title="Low")
    html = squeeze(
        client_for(alice).get(reverse("assessment:results", args=[low.assessment_id])).text
    )
    assert "Google Cloud: level 0 of 2 (Manual process)" in html
    assert "level 1 needs code-prototype is at 2, needs 3" in html


def test_a_gated_level_below_the_mean_s_band_says_so_and_names_the_gate(
    client_for, alice, v2, project1
):
    # Everything at 4 but prediction monitoring (critical) at 0: the mean reads Optimized.
    result = v2_result(project1, v2, alice, {"ops-prediction-monitoring": 0}, default=4)

    html = squeeze(
        client_for(alice).get(reverse("assessment:results", args=[result.assessment_id])).text
    )

    assert result.level == 1 and result.overall >= 80
    assert "The mean alone would read level 4 (Optimized)." in html
    assert "Level 2 is held back:" in html


def test_the_plan_export_names_plan_v2_and_each_step_s_weeks_and_age(
    client_for, alice, v2, project1
):
    project1.risk_tier = "internal"
    project1.save()
    result = v2_result(project1, v2, alice, {"data-schema": 1})
    url = reverse("assessment:plan_export", args=[result.assessment_id, "json"])

    data = json.loads(client_for(alice).get(url).getvalue())

    (action,) = data["actions"]
    assert data["formula"].startswith("expected overall gain × impact × interest")
    step = v2.questions.get(key="data-schema").remediations.get(to_value=2)
    assert (action["effort_weeks"], action["gap_open_days"]) == (float(step.effort_weeks), 0)
