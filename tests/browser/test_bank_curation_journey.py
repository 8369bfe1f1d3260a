import pytest
from playwright.sync_api import expect

from banks.models import BankVersion, Question
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_staff_drafts_edits_previews_and_publishes_a_bank_version(page, admin_user, shipped_banks):
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    v2 = shipped_banks["ml-technical-debt-v2"]
    log_in(page, "admin")

    page.goto(f"/admin/banks/bankversion/{v2.pk}/change/")
    page.get_by_role("button", name="New draft from this version").click()
    page.wait_for_url("**/change/")
    expect(page.get_by_text("Created ML technical debt v4; edit it")).to_be_visible()
    draft = BankVersion.objects.get(bank=v2.bank, number=4)  # after the shipped 1 to 3

    page.get_by_role("link", name="Questions of this version").click()
    page.get_by_role("link", name="data-schema").click()
    page.get_by_label("Question:").fill(
        "Where are the expectations on each input feature written down?"
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()

    page.goto(draft.get_preview_url())
    expect(
        page.get_by_text("Where are the expectations on each input feature written down?")
    ).to_be_visible()
    assert page.console_problems == []

    page.goto(f"/admin/banks/bankversion/{draft.pk}/change/")
    page.get_by_role("button", name="Validate and publish").click()
    expect(page.get_by_text("Published ML technical debt v4")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == BankVersion.Status.PUBLISHED
    # Version 2 still reads as it did: past scores keep their wording.
    assert Question.objects.get(version=v2, key="data-schema").text.startswith("How are the")


def test_the_bank_versions_list_shows_every_column_header_whole(
    new_page, admin_user, shipped_banks
):
    """Issue #18: beside the admin's navigation at 1366 px the last header read "PREVIEW A", the
    rest hidden in the list's own horizontal scroll."""
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    page = new_page()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, "admin")

    page.goto("/admin/banks/bankversion/")

    headers = page.locator("#result_list thead th")
    expect(headers.last).to_have_text("Preview and export", ignore_case=True)
    results = page.locator("#changelist .results")
    assert results.evaluate("e => e.scrollWidth <= e.clientWidth"), "the list scrolls sideways"
    right_edge = results.evaluate("e => e.getBoundingClientRect().right")
    for header in headers.all():
        box = header.bounding_box()
        assert box["x"] + box["width"] <= right_edge + 0.5, header.inner_text()
        assert header.evaluate("e => e.scrollWidth <= e.clientWidth"), header.inner_text()
    assert page.console_problems == []
