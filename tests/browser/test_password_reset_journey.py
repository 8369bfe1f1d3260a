"""The journey of a person who forgot their password: login page, email, new password, log in."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-new-long-passphrase-42"
LINK = re.compile(r"https?://\S+/accounts/password/reset/[^/\s]+/[^/\s]+/")


def test_a_forgotten_password_is_reset_from_the_login_page(page, alice, mailoutbox):
    alice.email = "alice@example.com"
    alice.save(update_fields=["email"])

    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    assert [message.to for message in mailoutbox] == [["alice@example.com"]]
    links = LINK.findall(mailoutbox[0].body)
    assert len(links) == 1
    page.goto(links[0])
    page.get_by_label(re.compile(r"^New password\W*$")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^New password confirmation\W*$")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Password set")).to_be_visible()

    log_in(page, "alice", NEW_PASSWORD)
    expect(page.locator(".user-menu summary")).to_have_text("alice")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert page.console_problems == []
