"""Issue #18's measure of a quarterly reassessment: a 54-question project whose carried-over
answers all still hold but five, reassessed by keyboard in at most 25 actions (key presses and
clicks; typing is not counted) and at most 10 full page loads."""

import pytest
from playwright.sync_api import expect

from assessment import services
from assessment.models import Assessment, TeamAnswer
from banks import files
from banks import services as bank_services
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

# The five questions whose answers changed this quarter, and their new levels (all were 2).
CHANGED = {
    "data-versioning": "3",
    "code-tests": "1",
    "ops-prediction-monitoring": "4",
    "config-diff": "3",
    "skills-ownership": "0",
}


@pytest.fixture
def last_quarter(alice, bob, project1):
    """Project 1 assessed on the 54-question bank (the only one loaded, so the start page offers
    it), every question answered 2 and submitted."""
    path = next(p for p in files.SHIPPED_BANKS if p.stem == "ml-technical-debt")
    version = bank_services.publish_version(version=files.import_file(path.read_bytes()))
    assessment = services.start_assessment(
        project=project1, version=version, started_by=alice, title="Q3 2026"
    )
    keys = list(version.questions.values_list("key", flat=True))
    assert len(keys) == 54 and set(CHANGED) <= set(keys), set(CHANGED) - set(keys)
    factories.answer(assessment, alice, dict.fromkeys(keys, 2))
    services.refresh_team_answers(assessment=assessment)
    return services.submit_assessment(assessment=assessment, by=bob)


def test_a_reassessment_with_five_changes_by_keyboard(page, alice, last_quarter):
    log_in(page, "alice")
    page.goto(last_quarter.project.get_absolute_url())
    loads, actions = [], []
    page.on("load", lambda _page: loads.append(page.url))

    def press(key: str) -> None:
        actions.append(key)
        page.keyboard.press(key)

    def click(locator) -> None:
        actions.append(locator)
        locator.click(timeout=30_000)  # submitting scores and snapshots 54 questions

    click(page.get_by_role("link", name="Start an assessment"))
    click(page.get_by_role("button", name="Start"))  # carry-over is ticked by default
    page.wait_for_url("**/assessments/*/")
    expect(page.get_by_text("Keyboard shortcuts")).to_be_visible()
    press("t")  # the carried-over answers to confirm: all 54 on one page
    page.wait_for_url("**/?show=to_confirm")
    expect(page.locator("article.question")).to_have_count(54)
    for key, level in CHANGED.items():
        press("/")
        page.keyboard.type(key)  # typing: not counted
        press("Enter")
        press(level)
        expect(page.locator(f"#status-{key}")).to_contain_text("Saved")
    press("Shift+C")  # confirm the rest, as listed
    page.wait_for_url("**/?show=to_confirm")
    expect(page.get_by_text("No question left in this view.")).to_be_visible()
    press("s")  # review and submit
    page.wait_for_url("**/submit/")
    changed = page.locator("#changed")
    expect(changed.get_by_role("heading")).to_have_text(
        "5 answers changed since the last assessment"
    )
    expect(changed.locator("tbody tr")).to_have_count(5)
    click(page.get_by_role("button", name="Submit the assessment"))
    page.wait_for_url("**/results/", timeout=30_000)

    assert len(actions) <= 25, actions
    assert len(loads) <= 10, loads
    latest = Assessment.objects.exclude(pk=last_quarter.pk).get()
    assert latest.status == Assessment.Status.SUBMITTED
    levels = dict(
        TeamAnswer.objects.filter(assessment=latest).values_list("question__key", "level_value")
    )
    assert len(levels) == 54
    assert {key: str(levels[key]) for key in CHANGED} == {
        key: f"{level}.00" for key, level in CHANGED.items()
    }
    assert sum(1 for value in levels.values() if value == 2) == 54 - 5
    assert not latest.answers.filter(carried_over=True).exists()
    assert page.console_problems == []
