import pytest
from playwright.sync_api import expect

from projects import services as project_services
from projects.models import ApiToken
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_token_made_on_the_page_opens_the_api(page, alice, project1):
    log_in(page, "alice")
    page.get_by_text("alice", exact=True).click()  # the user menu
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("CI pipeline")
    page.get_by_label("Read").check()
    page.get_by_label("Expires").select_option(label="In 30 days")
    page.get_by_role("button", name="Make token").click()

    expect(page.get_by_text("Shown once: copy it now.")).to_be_visible()
    token = page.get_by_label("Token", exact=True).input_value()
    row = ApiToken.objects.get()
    assert project_services.token_digest(token) == row.digest
    expect(page.locator("#token-list")).to_contain_text(f"pdt_{row.prefix}_…")

    response = page.request.get("/api/v1/projects", headers={"Authorization": f"Bearer {token}"})

    assert response.status == 200
    assert [p["slug"] for p in response.json()["items"]] == [project1.slug]
    # The bearer opened it, not the page's session cookie, which the request carries too.
    assert page.request.get("/api/v1/projects").status == 401
    assert page.console_problems == []
