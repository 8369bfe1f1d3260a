"""Inviting in the browser (issue #16): a manager invites by email; the invited person opens the
emailed link, makes an account and lands in the team with the invited role."""

import re

import pytest
from playwright.sync_api import expect

from projects.models import Membership
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_a_manager_invites_and_the_invited_person_joins(new_page, bob, team1, mailoutbox):
    manager = new_page()
    log_in(manager, "bob")
    manager.get_by_role("link", name="People and invitations").click()
    manager.locator(".invite-form").get_by_label("Email").fill("dana@example.com")
    manager.locator(".invite-form").get_by_label("Role").select_option(label="Manager")
    manager.get_by_role("button", name="Send the invitation").click()
    expect(manager.get_by_text("Invitation sent to dana@example.com.")).to_be_visible()
    expect(manager.locator("#invitations")).to_contain_text("dana@example.com · Manager")

    (mail,) = mailoutbox
    link = re.search(r"https?://\S+", mail.body).group(0)
    invited = new_page()
    invited.goto(link)
    expect(invited.get_by_role("heading", name="Join Search & Ranking")).to_be_visible()
    invited.get_by_label("User name").fill("dana")
    invited.locator("#id_password1").fill("a-long-pass-42!")
    invited.locator("#id_password2").fill("a-long-pass-42!")
    invited.get_by_role("button", name="Make my account and join").click()

    expect(invited.get_by_text("Welcome to Search & Ranking.")).to_be_visible()
    expect(invited.get_by_role("heading", name="Search & Ranking")).to_be_visible()
    assert Membership.objects.get(user__username="dana").role == "manager"
    invited.get_by_text("dana", exact=True).click()  # the user menu
    invited.get_by_role("link", name="Profile").click()
    expect(invited.locator("#my-teams")).to_contain_text("Search & Ranking: Manager")
    assert manager.console_problems == [] and invited.console_problems == []
