import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_alice_logs_in_and_sees_only_her_teams_projects(page, alice, project1, project2):
    log_in(page, "alice")

    assert page.get_by_role("heading", name="Your projects").is_visible()
    assert page.get_by_role("link", name="Query ranker").is_visible()
    assert page.get_by_text("Fraud scoring").count() == 0
    page.get_by_role("link", name="Query ranker").click()
    page.wait_for_url(f"**/projects/{project1.slug}/")
    assert page.get_by_role("heading", name="Query ranker").is_visible()
    # The CSP must not block anything the page itself ships.
    assert page.console_problems == []


def test_bob_creates_a_project_with_the_keyboard(page, bob, team1):
    log_in(page, "bob")

    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("Churn model")
    page.get_by_label("Name").press("Tab")
    page.keyboard.type("Predicts churn for the retention team.")
    page.get_by_label("Name").press("Enter")

    page.wait_for_url("**/projects/churn-model/")
    assert page.get_by_text("Project “Churn model” created.").is_visible()
    assert page.console_problems == []


def test_non_member_gets_not_found(page, carol, project1):
    log_in(page, "carol")

    response = page.goto(f"/projects/{project1.slug}/")

    assert response.status == 404
    assert page.get_by_role("heading", name="Not found").is_visible()
