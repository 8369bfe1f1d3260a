"""The questionnaire's filtered views in a browser (issue #18): a reassessment worked through by
what is left — the carried-over answers to confirm, then the flagged ones — each view a click."""

import pytest
from playwright.sync_api import expect

from assessment.models import Answer
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_confirm_carried_answers_from_the_to_confirm_view(page, alice, carried_over):
    log_in(page, "alice")
    page.goto(carried_over.get_absolute_url())

    page.get_by_role("link", name="To confirm 3").click()
    page.wait_for_url("**/?show=to_confirm")
    expect(page.locator(".question-card, [id^=question-]")).to_have_count(3)
    card = page.locator("#status-code-a")
    card.get_by_role("button", name="Confirm it still holds").click()
    expect(card.get_by_text("Carried over · to confirm")).to_have_count(0)
    assert not Answer.objects.get(assessment=carried_over, question__key="code-a").carried_over

    page.reload()
    expect(page.locator("[id^=question-]")).to_have_count(2)
    expect(page.get_by_role("link", name="To confirm 2")).to_be_visible()
    page.get_by_role("link", name="Flagged 0").click()
    expect(page.get_by_text("No question left in this view.")).to_be_visible()
    assert page.console_problems == []
