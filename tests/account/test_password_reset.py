"""Password reset by email (issue #16): Django's views on Paydown's templates, a link that works
once, and a done page that never tells whether an address has an account."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.pages import squeeze

ADDRESS = "alice@example.com"
OLD_PASSWORD = "pw-for-tests"
NEW_PASSWORD = "a-new-long-passphrase-42"
LINK = re.compile(r"http://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)")
MAIN = re.compile(r"<main\b.*</main>", re.DOTALL)


@pytest.fixture
def alice_with_email(alice):
    alice.email = ADDRESS
    alice.save(update_fields=["email"])
    return alice


def request_reset(client, email: str):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def emailed_link(message) -> str:
    found = LINK.findall(message.body)
    assert len(found) == 1, message.body
    return found[0]


def set_password(client, link: str, password: str):
    """Open the link as a person does (Django moves the token into the session and redirects),
    then post the new password to the page it lands on."""
    form = client.get(link, follow=True)
    return client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
        follow=True,
    )


def can_log_in(password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": "alice", "password": password})
    return "_auth_user_id" in client.session


def main_text(response) -> str:
    """The page's main region: the rest holds the session's own CSRF token."""
    return squeeze(MAIN.search(response.text).group())


def test_a_reset_request_mails_one_link_to_the_account_address(
    client, alice_with_email, mailoutbox
):
    response = request_reset(client, ADDRESS)

    assert response.redirect_chain == [(reverse("password_reset_done"), 302)]
    assert "Check your email" in response.text
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [ADDRESS]
    assert message.subject == "Reset your Paydown password"
    body = squeeze(message.body)
    assert "Hello alice," in body
    assert 'the Paydown account "alice"' in body
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    assert f"The link works once, within {hours} hours." in body
    link = emailed_link(message)
    match = resolve(link)
    assert match.url_name == "password_reset_confirm"
    assert match.kwargs["uidb64"] == urlsafe_base64_encode(force_bytes(alice_with_email.pk))
    assert default_token_generator.check_token(alice_with_email, match.kwargs["token"])


def test_following_the_link_sets_the_new_password(client, alice_with_email, mailoutbox):
    request_reset(client, ADDRESS)
    link = emailed_link(mailoutbox[0])

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.text
    assert NEW_PASSWORD not in form.text
    response = set_password(client, link, NEW_PASSWORD)

    assert response.redirect_chain[-1] == (reverse("password_reset_complete"), 302)
    assert "Your new password is in effect." in response.text
    alice_with_email.refresh_from_db()
    assert alice_with_email.check_password(NEW_PASSWORD)
    assert not alice_with_email.check_password(OLD_PASSWORD)
    assert can_log_in(NEW_PASSWORD)
    assert not can_log_in(OLD_PASSWORD)


def test_a_used_link_shows_the_expired_page_and_changes_nothing(
    client, alice_with_email, mailoutbox
):
    request_reset(client, ADDRESS)
    link = emailed_link(mailoutbox[0])
    set_password(client, link, NEW_PASSWORD)

    again = Client()
    page = again.get(link, follow=True)
    response = set_password(again, link, "yet-another-passphrase-7")

    for shown in (page, response):
        assert shown.status_code == 200
        assert "The link has expired or has already been used." in shown.text
        assert f'href="{reverse("password_reset")}"' in shown.text
        assert 'name="new_password1"' not in shown.text
    alice_with_email.refresh_from_db()
    assert alice_with_email.check_password(NEW_PASSWORD)
    assert not alice_with_email.check_password("yet-another-passphrase-7")


def test_an_unknown_address_sends_nothing_and_reads_as_a_known_one(alice_with_email, mailoutbox):
    known = request_reset(Client(), ADDRESS)
    unknown = request_reset(Client(), "nobody@example.com")

    assert [message.to for message in mailoutbox] == [[ADDRESS]]
    assert unknown.status_code == known.status_code == 200
    assert unknown.redirect_chain == known.redirect_chain
    assert main_text(unknown) == main_text(known)
    assert "If an account uses the address you entered" in main_text(unknown)


@pytest.mark.parametrize("tampered", ["token", "uid"])
def test_a_tampered_link_is_refused(client, alice_with_email, bob, mailoutbox, tampered):
    request_reset(client, ADDRESS)
    kwargs = resolve(emailed_link(mailoutbox[0])).kwargs
    uidb64, token = kwargs["uidb64"], kwargs["token"]
    if tampered == "token":
        token = token[:-1] + ("b" if token.endswith("a") else "a")
    else:  # alice's token does not open bob's account
        uidb64 = urlsafe_base64_encode(force_bytes(bob.pk))
    link = reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})

    response = set_password(client, link, NEW_PASSWORD)

    assert response.status_code == 200
    assert "The link has expired or has already been used." in response.text
    for user in (alice_with_email, bob):
        user.refresh_from_db()
        assert user.check_password(OLD_PASSWORD)
        assert not user.check_password(NEW_PASSWORD)


def test_the_reset_pages_open_without_a_login(client, db):
    login = client.get(reverse("login"))
    form = client.get(reverse("password_reset"))

    assert f'href="{reverse("password_reset")}"' in login.text
    assert "Forgot your password?" in login.text
    assert form.status_code == 200
    assert 'type="email"' in form.text
    assert f'action="{reverse("password_reset")}"' in form.text
    for name in ("password_reset_done", "password_reset_complete"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert 'class="auth-card"' in response.text, name


def test_a_reset_lifts_a_failed_login_lock_out(client, alice_with_email, mailoutbox, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert not can_log_in(OLD_PASSWORD)  # locked out, though the password is right

    request_reset(client, ADDRESS)
    set_password(client, emailed_link(mailoutbox[0]), NEW_PASSWORD)

    # Whoever proved they own the address may try again at once.
    assert can_log_in(NEW_PASSWORD)


def test_reset_emails_to_one_address_are_limited_and_the_page_never_tells(
    alice_with_email, mailoutbox, settings
):
    settings.PAYDOWN_RESET_EMAILS_PER_HOUR = 2
    pages = [main_text(request_reset(Client(), ADDRESS.upper())) for _ in range(4)]

    assert len(mailoutbox) == 2  # the rest are dropped, not queued
    assert len(set(pages)) == 1  # the same "check your email" page every time


def test_the_request_only_queues_the_email_and_the_queue_never_holds_the_link(
    client, alice_with_email, mailoutbox, settings
):
    """The form used to send the email itself: an SMTP round trip (up to EMAIL_TIMEOUT) on a
    web thread, and only for an address with an account, so the answer's time told whether one
    existed. It queues the address for the worker, which makes the token and sends the link."""
    from django_tasks import default_task_backend

    from assessment.account import tasks

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    response = request_reset(client, ADDRESS)
    unknown = request_reset(client, "nobody@example.com")

    assert main_text(response) == main_text(unknown) and mailoutbox == []
    queued = default_task_backend.results
    assert [(r.task.name, r.args, r.kwargs) for r in queued] == [
        ("send_password_reset", [ADDRESS], {"domain": "testserver", "use_https": False, "language": "en"}),
        ("send_password_reset", ["nobody@example.com"], {"domain": "testserver", "use_https": False, "language": "en"}),
    ]  # fmt: skip

    for result in queued:
        tasks.send_password_reset.call(*result.args, **result.kwargs)

    assert [m.to for m in mailoutbox] == [[ADDRESS]]
    assert set_password(client, emailed_link(mailoutbox[0]), NEW_PASSWORD).status_code == 200
    assert can_log_in(NEW_PASSWORD)
