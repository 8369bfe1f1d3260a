"""In the browser: carried-over answers are confirmed, one question or a whole category at a time,
and a save that arrives after the submit says who submitted, keeping what the respondent typed."""

import pytest
from playwright.sync_api import expect

from assessment import services
from assessment.models import Answer
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_carried_answers_are_confirmed_before_a_member_submits(page, alice, carried_over):
    log_in(page, "alice")
    page.goto(f"/assessments/{carried_over.pk}/")
    page.wait_for_load_state("load")
    expect(page.locator("#progress label")).to_have_text("0 of 3 questions answered · 3 to confirm")

    card = page.locator("#question-data-a")
    with page.expect_response(f"**/assessments/{carried_over.pk}/confirm/") as confirmed:
        card.get_by_role("button", name="Confirm it still holds").click()
    assert confirmed.value.status == 200
    expect(page.locator("#progress label")).to_have_text("1 of 3 questions answered · 2 to confirm")
    expect(card.get_by_role("button", name="Confirm it still holds")).to_have_count(0)
    assert Answer.objects.get(assessment=carried_over, question__key="data-a").confirmed_by == alice

    page.get_by_role("button", name="Confirm all in Data").click()
    page.wait_for_url(f"**/assessments/{carried_over.pk}/?category=data#category-data")
    expect(page.locator("#progress label")).to_have_text("2 of 3 questions answered · 1 to confirm")
    page.get_by_role("link", name="Code →").click()
    page.get_by_role("button", name="Confirm all in Code").click()
    page.wait_for_url(f"**/assessments/{carried_over.pk}/?category=code#category-code")
    expect(page.locator("#progress label")).to_have_text("3 of 3 questions answered")

    page.goto(f"/assessments/{carried_over.pk}/submit/")
    page.get_by_role("button", name="Submit the assessment").click()
    page.wait_for_url(f"**/assessments/{carried_over.pk}/results/")
    assert not Answer.objects.filter(assessment=carried_over, carried_over=True).exists()


def test_a_save_after_the_submit_says_who_submitted_and_keeps_the_text(
    page, alice, bob, assessment
):
    log_in(page, "alice")
    page.goto(f"/assessments/{assessment.pk}/")
    page.wait_for_load_state("load")
    services.submit_assessment(assessment=assessment, by=bob, allow_open_items=True)

    card = page.locator("#question-data-a")
    with page.expect_response("**/questions/data-a/") as refused:
        card.get_by_text("What level 2 looks like.").click()

    assert refused.value.status == 409
    expect(card.get_by_role("alert")).to_contain_text("bob submitted this assessment on")
    expect(card.locator('input[value="2"]')).to_be_checked()  # the choice stays on screen
    assert not Answer.objects.filter(assessment=assessment).exists()
