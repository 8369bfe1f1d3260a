import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "url",
    ["/", "/projects/query-ranker/", "/teams/team-1/projects/new/", "/accounts/password/"],
)
def test_pages_require_login(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_public(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_pages_have_no_inline_scripts_or_styles(client_for, alice, project1):
    response = client_for(alice).get("/")

    html = response.content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html


def test_repeated_failed_logins_are_throttled(client, alice, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests"})

    assert response.status_code == 429
    assert b"Too many failed log-ins" in response.content
    assert "_auth_user_id" not in client.session


def test_correct_login_succeeds_and_lands_on_home(client, alice):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "pw-for-tests"}, follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("projects:home")


def test_logout_is_a_post_and_ends_the_session(client_for, alice):
    client = client_for(alice)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_works(client_for, alice):
    client = client_for(alice)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests",
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a-new-long-passphrase-42")


def test_csrf_is_enforced(alice, db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    response = client.post(reverse("logout"))

    assert response.status_code == 403


def test_base_template_renders_no_template_syntax(client, db):
    html = client.get(reverse("login")).text

    assert "{#" not in html and "{%" not in html
