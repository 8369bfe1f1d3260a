"""The dashboard of a manager with fifty projects (#18): the weakest projects and their weakest
category in the first screen, each one's reason a click away, no console error, and the page
never wider than the window."""

import re

import pytest
from playwright.sync_api import expect

from banks import files
from banks import services as bank_services
from projects.models import Membership
from tests import factories
from tests.banks.bank_data import _question, small_bank
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

# On the small bank (data weighs 2, code 1; levels 0-2): overall and the weakest category.
WEAKEST = [
    ("Search ranker", {"data-a": 0, "data-b": 0, "code-a": 2}, "33.3", "Data"),  # data 0
    ("Churn predictor", {"data-a": 0, "data-b": 1, "code-a": 2}, "50.0", "Data"),  # data 25
    ("Fraud scorer", {"data-a": 2, "data-b": 2, "code-a": 0}, "66.7", "Code"),  # code 0
]


@pytest.fixture
def fifty_projects(published, team1, bob):
    """Three weak projects among 47 sound ones (83.3 or 100 overall), whose names sort first."""
    for n in range(47):
        project = factories.make_project(team1, f"Anomaly detector {n:02d}")
        code = 1 + n % 2
        factories.make_result(project, published, bob, {"data-a": 2, "data-b": 2, "code-a": code})
    for name, levels, _overall, _category in WEAKEST:
        factories.make_result(factories.make_project(team1, name), published, bob, levels)


# The shipped bank's category names: long ones that a crowded table squeezed into slivers.
CATEGORIES = [
    "Data",
    "Code",
    "Feedback loops and system coupling",
    "Configuration",
    "Model evaluation and release",
    "Operations",
    "People, process and governance",
]


@pytest.fixture
def wide_portfolio(bob, team1):
    """Twelve projects on a bank of seven categories, half in a team with a long name."""
    bank = small_bank(
        slug="wide",
        name="Wide bank",
        categories=[
            {"key": f"c{i}", "name": name, "weight": 1, "questions": [_question(f"q{i}")]}
            for i, name in enumerate(CATEGORIES)
        ],
    )
    version = bank_services.publish_version(version=files.import_data(bank))
    platform = factories.make_team("Platform Infrastructure & Tooling")
    factories.add_member(platform, bob, Membership.Role.MANAGER)
    for n in range(12):
        team = platform if n % 2 else team1
        project = factories.make_project(team, f"Recommender service number {n:02d}")
        levels = {f"q{i}": (n + i) % 3 for i in range(len(CATEGORIES))}
        factories.make_result(project, version, bob, levels)


def viewport_overflow(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")


def test_manager_sees_the_three_weakest_projects_and_reaches_each_reason_in_one_click(
    new_page, bob, fifty_projects
):
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "bob")
    page.goto("/dashboard/?bank=tiny")

    items = page.locator(".weakest-projects li")
    expect(items).to_have_count(3)
    for item, (name, _levels, overall, category) in zip(items.all(), WEAKEST, strict=True):
        expect(item).to_contain_text(f"{name} · {overall} overall")
        expect(item).to_contain_text(f"Weakest: {category}")
        expect(item).to_be_in_viewport(ratio=1)  # the first screen, no click, no scroll
    assert page.evaluate("window.scrollY") == 0

    for name, _levels, _overall, category in WEAKEST:
        page.get_by_role("link", name=re.compile(f"^why {name}")).click()
        expect(page).to_have_url(re.compile(r"/assessments/\d+/results/#weakest-title$"))
        expect(page.locator(".breadcrumbs")).to_contain_text(name)
        weakest = page.locator(".kpi").filter(has_text="Weakest category")
        expect(weakest.locator(".kpi-value")).to_have_text(category)
        expect(page.get_by_role("heading", name="Weakest questions")).to_be_in_viewport()
        page.go_back()
        expect(items).to_have_count(3)

    assert page.console_problems == []  # CSP included: plotly's colour bar set style attributes


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_the_dashboard_never_scrolls_sideways_and_keeps_every_column_in_reach(
    new_page, bob, wide_portfolio, width, height
):
    page = new_page()
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, "bob")
    page.goto("/dashboard/?bank=wide")
    expect(page.locator("[data-chart='heatmap-data'] .main-svg").first).to_be_visible()
    expect(page.locator(".portfolio-table tbody tr")).to_have_count(12)

    assert viewport_overflow(page) <= 0
    last = page.get_by_role("columnheader", name="Last assessed")
    scroller = page.locator(".portfolio-table").locator("xpath=..")  # its scrolling box
    if width >= 1366:
        # The whole table in the window: "Last assessed" without scrolling sideways, and the
        # team's long name on two lines at most.
        assert scroller.evaluate("e => e.scrollWidth - e.clientWidth") <= 0
        box = last.bounding_box()
        assert box["x"] + box["width"] <= width
        team_lines = page.locator(".portfolio-table tbody td:nth-child(3)").evaluate_all(
            """cells => cells.map(cell => {
                 const range = document.createRange();
                 range.selectNodeContents(cell.firstChild);
                 return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
               })"""
        )
        assert max(team_lines) <= 2, team_lines
    else:
        # The table scrolls inside its own box, and only there.
        scroller.evaluate("e => e.scrollTo(e.scrollWidth, 0)")
        last.scroll_into_view_if_needed()
        expect(last).to_be_in_viewport()
        assert viewport_overflow(page) <= 0
    # The heatmap's category names are whole, wrapped into lines rather than cut.
    ticks = page.locator("[data-chart='heatmap-data'] .xtick text").evaluate_all(
        """texts => texts.map(text => {
             const lines = [...text.querySelectorAll('tspan.line')].map(line => line.textContent);
             return lines.length ? lines.join(' ') : text.textContent;
           })"""
    )
    assert ticks == CATEGORIES
    # plotly's toolbar is gone, so it covers no legend.
    assert page.locator(".modebar").count() == 0
    assert page.console_problems == []
