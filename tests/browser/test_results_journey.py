from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from assessment.models import TrackedAction
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def chart_errors(page):
    # plotly's d3 sets a few style attributes that the strict CSP refuses; the stylesheet in
    # static/vendor/plotly covers what they would draw, so only other errors count.
    return [p for p in page.console_problems if "inline style" not in p]


def test_results_plan_what_if_and_backlog(page, bob, submitted):
    log_in(page, "bob")
    page.goto(f"/assessments/{submitted.pk}/results/")

    expect(page.locator(".kpi-value").first).to_have_text("50.0/100")
    expect(page.locator("[data-chart='radar-data'] .main-svg").first).to_be_visible()
    expect(page.locator("[data-chart='bars-data'] .main-svg").first).to_be_visible()
    expect(page.get_by_role("heading", name="How this is computed")).to_be_visible()

    page.get_by_role("link", name="Remediation plan", exact=True).click()
    page.wait_for_url("**/plan/")  # after "load", htmx handles the what-if checkboxes
    expect(page.get_by_role("heading", name="Remediation plan")).to_be_visible()
    page.get_by_label("How is code-a handled?").check()
    expect(page.locator("#whatif tr.total")).to_contain_text("66.7")  # code 0 → 50: (150+50)/3
    assert "take=code-a" in page.url  # the what-if is bookmarkable

    page.locator("#action-code-a").get_by_label("Owner").select_option(label="bob")
    page.locator("#action-code-a").get_by_role("button", name="Add to backlog").click()
    expect(page.get_by_text("Added to the project's backlog.")).to_be_visible()
    assert TrackedAction.objects.get().owner == bob

    page.get_by_role("link", name="Backlog").click()
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Action updated.")).to_be_visible()
    assert TrackedAction.objects.get().status == "in_progress"
    assert chart_errors(page) == []


def test_history_draws_the_trend(page, bob, submitted):
    log_in(page, "bob")
    page.goto(f"/projects/{submitted.project.slug}/history/")

    expect(page.locator("[data-chart='trend-data'] .main-svg").first).to_be_visible()
    expect(page.get_by_role("cell", name="50.0")).to_be_visible()
    assert chart_errors(page) == []


def test_the_later_steps_open_on_demand(page, alice, bob, shipped_banks, project1):
    version = shipped_banks["ml-technical-debt"]
    assessment = factories.make_result(project1, version, bob, {}, title="Long").assessment
    log_in(page, "alice")
    page.goto(f"/assessments/{assessment.pk}/plan/")
    page.wait_for_load_state("load")
    expect(page.locator("article.action")).to_have_count(15)

    with page.expect_response(f"**/assessments/{assessment.pk}/plan/?bucket=later"):
        page.locator("details.bucket-later summary").click()

    expect(page.locator("article.action")).to_have_count(54)


def test_an_internal_project_s_plan_v2_accepts_a_risk_and_results_show_it(
    page, alice, bob, shipped_banks, project1
):
    """Issue #13 end to end: the manager sets the risk tier, the plan holds only the gaps below
    its targets, a gap accepted as a risk leaves it, and the results name who, why and until."""
    version = shipped_banks["ml-technical-debt-v2"]
    levels = {q.key: 2 for q in version.questions.all()} | {"data-schema": 1, "ops-input-drift": 0}
    assessment = factories.make_result(project1, version, bob, levels, title="V2").assessment
    log_in(page, "bob")

    page.goto(f"/projects/{project1.slug}/edit/")
    page.get_by_label("Risk tier").select_option(label="Internal")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Project saved.")).to_be_visible()

    page.goto(f"/assessments/{assessment.pk}/plan/")
    expect(page.locator(".targets-basis")).to_contain_text("Targets from the risk tier Internal")
    expect(page.locator("article.action")).to_have_count(2)  # only the two below level 2
    card = page.locator("#action-data-schema")
    card.get_by_text("Accept the risk instead").click()
    card.get_by_label("Why").fill("The schema is enforced by the vendor's feed")
    until = (date.today() + timedelta(days=90)).isoformat()
    card.get_by_label("Until").fill(until)
    card.get_by_role("button", name="Accept the risk").click()
    expect(
        page.get_by_text("Risk accepted: the gap leaves the plan until that date.")
    ).to_be_visible()
    expect(page.locator("article.action")).to_have_count(1)
    expect(page.locator("#bucket-accepted")).to_be_visible()

    page.goto(f"/assessments/{assessment.pk}/results/")
    accepted = page.locator("#accepted-risks")
    expect(accepted).to_contain_text("The schema is enforced by the vendor's feed")
    expect(accepted).to_contain_text("bob")
    expect(accepted).to_contain_text(until)
    expect(page.locator(".mlops-levels")).to_contain_text("Google Cloud: level 0 of 2")
    assert chart_errors(page) == []
