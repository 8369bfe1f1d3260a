import pytest
from playwright.sync_api import expect

from tests.assessment.test_dashboard import small_bank_dashboard  # noqa: F401  (fixture)
from tests.browser.conftest import log_in
from tests.browser.test_results_journey import chart_errors

pytestmark = pytest.mark.browser


def test_manager_reads_the_portfolio_sorts_filters_and_compares(page, bob, small_bank_dashboard):  # noqa: F811
    log_in(page, "bob")
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/dashboard/")  # waits for "load": htmx is set up before the first change
    page.get_by_label("Bank").select_option("tiny")

    expect(page.locator("[data-chart='heatmap-data'] .main-svg").first).to_be_visible()
    expect(page.get_by_text("Where one investment helps most projects")).to_be_visible()
    rows = page.locator(".portfolio-table tbody th")
    expect(rows.first).to_have_text("Weak model")  # weakest first by default

    page.get_by_role("link", name="Overall ▲").click()
    expect(rows.first).to_have_text("Strong model")
    assert "sort=-overall" in page.url, page.url  # bookmarkable
    assert "bank=tiny" in page.url, page.url

    page.get_by_label("Compare Strong model").check()
    expect(page.get_by_text("Compared projects")).to_be_visible()
    page.get_by_label("Compare Weak model").check()
    expect(
        page.locator(".chart-card").filter(has_text="Compared projects").get_by_role("row")
    ).to_have_count(3)
    (
        expect(page.locator("[data-chart='radar-data'] .main-svg").first).to_be_visible(),
        page.console_problems,
    )

    page.get_by_label("Staleness").select_option("never")
    expect(rows.first).to_have_text("Unassessed model")
    assert chart_errors(page) == []


def test_dashboard_without_javascript(new_page, bob, small_bank_dashboard):  # noqa: F811
    page = new_page(javascript=False)
    log_in(page, "bob")
    page.goto("/dashboard/")

    page.get_by_label("Bank").select_option("tiny")
    page.get_by_label("Staleness").select_option("fresh")
    page.get_by_role("button", name="Apply").click()

    rows = page.locator(".portfolio-table tbody th")
    expect(rows).to_have_count(2)
    expect(page.get_by_role("cell", name="Strong model")).to_be_visible()
