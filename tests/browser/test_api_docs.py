import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_render_from_local_assets_under_the_csp(page, db):
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/api/v1/docs")

    expect(page.get_by_role("heading", name="Paydown API")).to_be_visible()
    expect(
        page.get_by_text("/api/v1/assessments/{pk}/answers/{question_key}").first
    ).to_be_visible()
    assert all(url.startswith(page.url.split("/api/")[0]) for url in requested)  # nothing remote
    assert [p for p in page.console_problems if "Content Security Policy" in p] == []
