"""PAYDOWN_PASSWORD_LOGIN off (issue #16): no password form, a posted password signs nobody in,
password resets are gone, and `manage.py signin_link` gives a staff user a link that works once."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.models import SignInLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_login_off(settings):
    settings.PAYDOWN_PASSWORD_LOGIN = False


def test_the_login_page_has_no_password_form_and_refuses_a_posted_password(
    client, alice, password_login_off
):
    page = client.get(reverse("login"))
    assert 'name="password"' not in page.text
    assert "Password sign-in is switched off here" in page.text
    assert "Forgot your password?" not in page.text

    response = client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests"})

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_password_resets_are_gone(client, alice, password_login_off, mailoutbox):
    assert client.get(reverse("password_reset")).status_code == 404
    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert response.status_code == 404
    assert mailoutbox == []


def link_from_command(username: str, **options) -> str:
    out = StringIO()
    call_command("signin_link", username, stdout=out, **options)
    return re.search(r"https?://\S+", out.getvalue()).group(0)


def test_the_staff_link_signs_in_once(admin_user, password_login_off):
    url = link_from_command("admin", base_url="http://testserver")
    client = Client()

    assert "Sign in as admin" in client.get(url).text  # opening it spends nothing
    assert client.get(url).status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)
    again = Client().post(url)
    assert again.status_code == 410
    assert "was used already" in again.text
    assert SignInLink.objects.get().used_at is not None


def test_an_expired_link_signs_nobody_in(admin_user):
    url = link_from_command("admin", base_url="http://testserver", minutes=5)
    client = Client()
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = client.post(url)
    assert response.status_code == 410
    assert "_auth_user_id" not in client.session


def test_links_are_for_staff_only(alice):
    with pytest.raises(CommandError, match="active staff users only"):
        call_command("signin_link", "alice", stdout=StringIO())
    assert not SignInLink.objects.exists()


def test_an_unknown_link_is_404(db):
    assert Client().post("/accounts/sign-in-link/nope/").status_code == 404


def test_without_password_login_an_invitation_asks_to_sign_in_first(
    client_for, bob, team1, mailoutbox, settings
):
    client_for(bob).post(
        reverse("people:team_members", args=[team1.slug]),
        {"email": "dana@example.com", "role": "member"},
    )
    settings.PAYDOWN_PASSWORD_LOGIN = False
    url = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    anonymous = Client()

    page = anonymous.get(url)
    posted = anonymous.post(
        url, {"username": "dana", "password1": "x-long-pass-42!", "password2": "x-long-pass-42!"}
    )

    assert "Sign in with your company account first" in page.text
    assert 'name="password1"' not in page.text
    assert posted.status_code == 200
    assert not get_user_model().objects.filter(username="dana").exists()
