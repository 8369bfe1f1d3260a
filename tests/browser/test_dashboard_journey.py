import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_manager_reads_the_portfolio_sorts_filters_and_compares(page, bob, small_portfolio):
    log_in(page, "bob")
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url("**/dashboard/")  # waits for "load": htmx is set up before the first change
    page.get_by_label("Bank").select_option("tiny")

    expect(page.locator("[data-chart='heatmap-data'] .main-svg").first).to_be_visible()
    expect(page.get_by_text("Where one investment helps most projects")).to_be_visible()
    rows = page.locator(".portfolio-table tbody th")
    expect(rows).to_have_text(["Weak model", "Strong model", "Unassessed model"])  # weakest first

    page.get_by_role("link", name="Overall ▲").click()
    expect(rows).to_have_text(["Strong model", "Weak model", "Unassessed model"])
    assert "sort=-overall" in page.url, page.url  # bookmarkable
    assert "bank=tiny" in page.url, page.url

    page.get_by_role("checkbox", name="Compare Strong model").check()
    expect(page.get_by_text("Compared projects")).to_be_visible()
    page.get_by_role("checkbox", name="Compare Weak model").check()
    compared = page.locator(".chart-card").filter(has_text="Compared projects")
    expect(compared.get_by_role("row")).to_have_count(3)
    expect(compared.locator("tbody th")).to_have_count(2)
    assert sorted(compared.locator("tbody th").all_text_contents()) == [
        "Strong model",
        "Weak model",
    ]
    radar = page.locator("[data-chart='radar-data']")
    expect(radar.locator(".main-svg").first).to_be_visible()
    expect(radar.locator(".legendtext")).to_have_count(2)
    assert sorted(radar.locator(".legendtext").all_text_contents()) == [
        "Strong model",
        "Weak model",
    ]
    # Not even the CSP's refusals: the heatmap's colour bar set style attributes on every load.
    assert page.console_problems == []

    page.get_by_label("Staleness").select_option("never")
    expect(rows).to_have_text(["Unassessed model"])
    expect(page.get_by_text("there are no scores to draw")).to_be_visible()
    assert page.console_problems == []


def test_manager_searches_the_portfolio_by_name_as_they_type(page, bob, small_portfolio):
    log_in(page, "bob")
    page.goto("/dashboard/?bank=tiny&sort=-overall")
    rows = page.locator(".portfolio-table tbody th")
    expect(rows).to_have_text(["Strong model", "Weak model", "Unassessed model"])

    page.get_by_label("Project name").press_sequentially("MODEL")
    expect(rows).to_have_text(["Strong model", "Weak model", "Unassessed model"])  # any case
    page.get_by_label("Project name").fill("wea")
    expect(rows).to_have_text(["Weak model"])  # no button: the table follows the typing
    assert "search=wea" in page.url and "sort=-overall" in page.url, page.url  # sort kept

    page.get_by_label("Project name").fill("nothing like it")
    expect(rows).to_have_count(0)
    expect(page.get_by_text("No project matches")).to_be_visible()


def test_dashboard_without_javascript(new_page, bob, small_portfolio):
    page = new_page(javascript=False)
    log_in(page, "bob")
    page.goto("/dashboard/")

    page.get_by_label("Bank").select_option("tiny")
    page.get_by_label("Staleness").select_option("fresh")
    page.get_by_role("button", name="Apply").click()

    rows = page.locator(".portfolio-table tbody th")
    expect(rows).to_have_text(["Weak model", "Strong model"])
    expect(page.locator(".portfolio-table tbody tr").first).to_contain_text("16.7")


def test_changing_a_filter_keeps_the_chosen_sort(page, bob, small_portfolio):
    log_in(page, "bob")
    page.goto("/dashboard/?bank=tiny")
    rows = page.locator(".portfolio-table tbody th")
    page.get_by_role("link", name="Overall ▲").click()
    expect(rows).to_have_text(["Strong model", "Weak model", "Unassessed model"])

    page.get_by_label("Staleness").select_option("fresh")

    expect(rows).to_have_text(["Strong model", "Weak model"])
