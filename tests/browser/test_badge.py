import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in
from tests.projects.test_badge import HALFWAY, default_bank_version

pytestmark = pytest.mark.browser


def test_manager_creates_a_badge_that_renders_without_a_login(new_page, bob, project1):
    factories.make_result(project1, default_bank_version(), bob, HALFWAY)
    manager = new_page()
    log_in(manager, "bob")
    manager.goto(f"/projects/{project1.slug}/")

    manager.get_by_role("button", name="Create badge link").click()
    expect(manager.get_by_text("Badge link created.")).to_be_visible()
    image = manager.get_by_role("img", name="Paydown level badge")
    expect(image).to_be_visible()
    # The image loaded and chromium drew it at the SVG's own width.
    assert image.evaluate("img => img.complete && img.naturalWidth") == 243
    markdown = manager.get_by_label("Markdown for a README").input_value()
    url = markdown.removeprefix("![Paydown level](").removesuffix(")")
    assert url.startswith("http://") and "token=" in url

    anonymous = new_page()  # its own cookies: no login
    response = anonymous.goto(url)

    assert response.status == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert "max-age=300" in response.headers["cache-control"]
    badge = anonymous.locator("svg")
    expect(badge).to_be_visible()
    expect(badge).to_contain_text("level 2 Defined · 50.0")
    assert badge.bounding_box()["width"] == 243
    assert anonymous.console_problems == []

    manager.get_by_role("button", name="Renew (old links stop working)").click()
    expect(manager.get_by_text("Badge link renewed")).to_be_visible()
    assert anonymous.goto(url).status == 404
