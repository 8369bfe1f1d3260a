"""The questionnaire's filtered views in a browser (issue #18): a reassessment worked through by
what is left — the carried-over answers to confirm, then the flagged ones — each view a click."""

import pytest
from playwright.sync_api import expect

from assessment.models import Answer
from tests.browser.conftest import log_in
from tests.factories import post_answer

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


def test_every_view_by_its_key(page, alice, bob, carried_over, client_for):
    """Each view of the questionnaire, reached by its shortcut, keeps the cards it says: bob
    changed code-a (0 → 1) and confirmed data-a; data-b still rests on the carried-over answer."""
    post_answer(client_for(bob), carried_over, "code-a", "1")
    post_answer(client_for(bob), carried_over, "data-a", "2", confirm="on")
    log_in(page, "alice")
    page.goto(carried_over.get_absolute_url())
    views = {
        "a": ("show=all", ["data-a", "data-b", "code-a"]),
        "l": ("show=changed", ["code-a"]),
        "w": ("show=mine", ["data-a", "data-b", "code-a"]),  # alice answered none
        "u": ("show=unanswered", []),
        "t": ("show=to_confirm", ["data-b"]),
        "f": ("show=flagged", []),
        "b": ("", ["data-a", "data-b"]),  # by category: the first, Data
    }
    for key, (query, shown) in views.items():
        page.keyboard.press(key)
        page.wait_for_url(f"**/assessments/{carried_over.pk}/{'?' + query if query else ''}")
        cards = page.locator("article.question")
        expect(cards).to_have_count(len(shown))
        assert [card.get_attribute("id") for card in cards.all()] == [
            f"question-{k}" for k in shown
        ]
    expect(page.get_by_role("link", name="Changed since last")).to_be_visible()
    page.keyboard.press("n")  # next category
    page.wait_for_url("**/?category=code")
    expect(page.locator("article.question")).to_have_count(1)
    assert page.console_problems == []
