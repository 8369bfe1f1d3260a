"""Invitations, roles and profiles (issue #16): a manager invites by email with a role; the link
works once and expires; accepting makes or joins the account; roles change and members leave
with their answers kept; the profile's new address is used once its link is followed."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Answer
from projects.models import Invitation, Membership, Profile
from tests import factories

User = get_user_model()


def invite(client, team, email="dana@example.com", role="member"):
    return client.post(
        reverse("people:team_members", args=[team.slug]), {"email": email, "role": role}
    )


def link_in(mail) -> str:
    return re.search(r"https?://\S+", mail.body).group(0)


def test_a_manager_invites_and_the_email_carries_a_working_link(client_for, bob, team1, mailoutbox):
    response = invite(client_for(bob), team1, role="manager")

    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["dana@example.com"]
    assert "Search & Ranking" in mail.subject
    assert "bob invites you to the team Search & Ranking on Paydown, as a Manager." in mail.body
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "dana@example.com",
        "manager",
        bob,
    )
    token = link_in(mail).rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.digest  # only the digest is kept


def test_accepting_makes_the_account_joins_the_team_and_signs_in(
    bob, team1, client_for, mailoutbox
):
    invite(client_for(bob), team1, role="manager")
    url = link_in(mailoutbox[0])
    client = Client()  # nobody signed in: client_for signs the shared client in

    page = client.get(url)
    assert "You are invited to Search &amp; Ranking as a Manager" in page.text
    response = client.post(
        url, {"username": "dana", "password1": "a-long-pass-42!", "password2": "a-long-pass-42!"}
    )

    assert response.status_code == 302
    dana = User.objects.get(username="dana")
    assert dana.email == "dana@example.com"
    assert dana.check_password("a-long-pass-42!")
    assert Membership.objects.get(user=dana).role == "manager"
    assert client.get(reverse("projects:home")).status_code == 200  # signed in
    invitation = Invitation.objects.get()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (dana, True)


def test_a_signed_in_user_joins_with_their_account(
    client_for, bob, carol, team1, team2, mailoutbox
):
    invite(client_for(bob), team1, email="carol@example.com")
    url = link_in(mailoutbox[0])
    client = client_for(carol)

    assert "Join as carol" in client.get(url).text
    client.post(url)

    assert set(Membership.objects.filter(user=carol).values_list("team__slug", "role")) == {
        (team2.slug, "member"),
        (team1.slug, "member"),
    }


def test_the_link_works_once(client_for, bob, carol, team1, mailoutbox):
    invite(client_for(bob), team1)
    url = link_in(mailoutbox[0])
    client_for(carol).post(url)
    before = set(Membership.objects.values_list("team_id", "user_id", "role"))

    again = Client().post(
        url, {"username": "eve", "password1": "a-long-pass-42!", "password2": "a-long-pass-42!"}
    )

    assert again.status_code == 410
    assert "was used already" in again.text
    assert not User.objects.filter(username="eve").exists()
    assert set(Membership.objects.values_list("team_id", "user_id", "role")) == before


def test_an_expired_or_withdrawn_link_is_refused(client_for, bob, team1, mailoutbox):
    invite(client_for(bob), team1)
    client = Client()
    url = link_in(mailoutbox[0])
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        expired = client.get(url)
    assert expired.status_code == 410
    assert "This invitation expired on" in expired.text

    invitation = Invitation.objects.get()
    client_for(bob).post(reverse("people:revoke_invitation", args=[team1.slug, invitation.pk]))
    withdrawn = client.get(url)
    assert withdrawn.status_code == 410
    assert "withdrawn" in withdrawn.text


@pytest.mark.parametrize("token", ["nope", "x" * 300, "%2e%2e", "a%00b"])
def test_an_unknown_token_is_404(db, token):
    assert Client().get(f"/invitations/{token}/").status_code == 404


def test_a_weak_password_or_taken_name_is_refused_and_nothing_changes(
    client_for, alice, bob, team1, mailoutbox
):
    invite(client_for(bob), team1)
    client = Client()
    url = link_in(mailoutbox[0])
    weak = client.post(url, {"username": "dana", "password1": "123", "password2": "123"})
    taken = client.post(
        url, {"username": "Alice", "password1": "a-long-pass-42!", "password2": "a-long-pass-42!"}
    )
    assert (weak.status_code, taken.status_code) == (422, 422)
    assert "That user name is taken." in taken.text
    assert not User.objects.filter(username="dana").exists()
    assert Invitation.objects.get().accepted_at is None


def test_only_managers_invite_change_roles_and_remove(client_for, alice, bob, team1, mailoutbox):
    assert invite(client_for(alice), team1).status_code == 403
    assert mailoutbox == []
    membership = Membership.objects.get(user=bob)
    url = reverse("people:change_role", args=[team1.slug, membership.pk])
    assert client_for(alice).post(url, {"role": "member"}).status_code == 403
    assert Membership.objects.get(user=bob).role == "manager"


def test_role_change_and_removal_keep_the_members_answers(
    client_for, alice, bob, team1, assessment
):
    factories.answer(assessment, alice, {"data-a": 2})
    membership = Membership.objects.get(user=alice)
    client = client_for(bob)

    client.post(
        reverse("people:change_role", args=[team1.slug, membership.pk]), {"role": "manager"}
    )
    assert Membership.objects.get(user=alice).role == "manager"
    client.post(reverse("people:remove_member", args=[team1.slug, membership.pk]))

    assert not Membership.objects.filter(user=alice).exists()
    assert Answer.objects.get(respondent=alice).level_value == 2  # the answer stays
    page = client.get(reverse("people:team_members", args=[team1.slug])).text
    assert "alice" not in page.split('id="members"')[1].split("</table>")[0]


def test_the_last_manager_cannot_leave_or_step_down(client_for, bob, team1):
    membership = Membership.objects.get(user=bob)
    client = client_for(bob)
    client.post(reverse("people:change_role", args=[team1.slug, membership.pk]), {"role": "member"})
    client.post(reverse("people:remove_member", args=[team1.slug, membership.pk]))
    assert Membership.objects.get(user=bob).role == "manager"
    page = client.get(reverse("people:team_members", args=[team1.slug]))
    assert "needs a manager" in page.text


@pytest.mark.parametrize("role", ["owner", "", "manager'--"])
def test_a_tampered_role_changes_nothing(client_for, alice, bob, team1, role):
    membership = Membership.objects.get(user=alice)
    url = reverse("people:change_role", args=[team1.slug, membership.pk])
    assert client_for(bob).post(url, {"role": role}).status_code == 400
    assert invite(client_for(bob), team1, role=role).status_code == 422
    assert Membership.objects.get(user=alice).role == "member"
    assert not Invitation.objects.exists()


def test_another_teams_membership_is_404(client_for, bob, carol, team1):
    theirs = Membership.objects.get(user=carol)
    url = reverse("people:remove_member", args=[team1.slug, theirs.pk])
    assert client_for(bob).post(url).status_code == 404
    assert Membership.objects.filter(user=carol).exists()


def test_the_profile_saves_name_and_language_and_lists_the_roles(client_for, bob, team1):
    client = client_for(bob)
    response = client.post(
        reverse("people:profile"),
        {"first_name": "Bob", "last_name": "Builder", "email": "", "language": "en"},
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert (bob.first_name, bob.last_name, Profile.of(bob).language) == ("Bob", "Builder", "en")
    page = client.get(reverse("people:profile")).text
    assert "Search &amp; Ranking</a>: Manager" in page


def test_a_new_address_is_used_once_its_link_is_followed(client_for, bob, alice, mailoutbox):
    client = client_for(bob)
    client.post(
        reverse("people:profile"),
        {"first_name": "", "last_name": "", "email": "bob@new.example", "language": "en"},
    )
    bob.refresh_from_db()
    assert bob.email != "bob@new.example"  # not before the link is followed
    (mail,) = mailoutbox
    assert mail.to == ["bob@new.example"]
    url = link_in(mail)

    assert client_for(alice).get(url).status_code == 400  # another user's link
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert client_for(bob).get(url).status_code == 400  # expired
    assert client.get(url.replace("/accounts/email/", "/accounts/email/x")).status_code == 400
    bob.refresh_from_db()
    assert bob.email != "bob@new.example"

    assert client.get(url).status_code == 302
    bob.refresh_from_db()
    assert bob.email == "bob@new.example"
