"""Other languages (issue #17): the switcher sets the cookie, and for a signed-in person the
profile and session, so their language follows them; a profile's language applies at sign-in;
the catalogs are current and complete."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment.management.commands import catalogs
from projects.models import Profile


def switch(client, language, next_url="/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_the_switcher_sets_the_cookie_and_the_page_speaks_german(client, db):
    response = switch(client, "de", "/accounts/login/")

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert response.cookies["django_language"].value == "de"
    page = client.get("/accounts/login/")
    assert '<html lang="de">' in page.text
    assert "Anmelden" in page.text


def test_a_signed_in_persons_choice_is_kept_on_their_profile(client_for, alice):
    client = client_for(alice)

    switch(client, "fr")

    assert Profile.objects.get(user=alice).language == "fr"
    assert '<html lang="fr">' in client.get(reverse("projects:home")).text


def test_the_profiles_language_applies_at_sign_in_over_the_browsers(client, alice):
    Profile.objects.update_or_create(user=alice, defaults={"language": "de"})

    client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests"})
    page = client.get(reverse("projects:home"), headers={"Accept-Language": "fr"})

    assert '<html lang="de">' in page.text


@pytest.mark.parametrize("language", ["xx", "", "de'><script>"])
def test_an_unknown_language_is_a_400_that_changes_nothing(client_for, alice, language):
    client = client_for(alice)

    response = switch(client, language)

    assert response.status_code == 400
    assert "is not a language of this site" in response.text
    assert not Profile.objects.filter(user=alice).exclude(language="en").exists()


def test_the_switcher_never_redirects_off_site(client, db):
    response = switch(client, "de", "https://evil.example/")

    assert response["Location"] == "/"


def test_the_profile_sets_role_emails_and_language(client_for, alice):
    client = client_for(alice)

    client.post(
        reverse("people:profile"),
        {"language": "de", "respondent_role": "ml-engineer", "stale_reminders": "on"},
    )

    profile = Profile.objects.get(user=alice)
    assert (profile.language, profile.respondent_role) == ("de", "ml-engineer")
    assert (profile.weekly_digest, profile.stale_reminders) == (False, True)
    assert '<html lang="de">' in client.get(reverse("people:profile")).text


def test_the_javascript_catalog_carries_the_questionnaires_messages_in_german(client, db):
    switch(client, "de")

    script = client.get(reverse("javascript_catalog")).text

    assert "Retry" in script and "Erneut versuchen" in script


def test_the_catalogs_are_current_and_complete(db):
    """Fails when a string was added or changed without `manage.py catalogs` and a translation,
    or when a translation is missing or fuzzy."""
    call_command("catalogs", "--check")


def test_the_check_finds_a_stale_catalog(tmp_path, settings):
    current = tmp_path / "locale"
    (current / "de" / "LC_MESSAGES").mkdir(parents=True)
    po = current / "de" / "LC_MESSAGES" / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n')
    fresh = tmp_path / "fresh" / "de" / "LC_MESSAGES"
    fresh.mkdir(parents=True)
    (fresh / "django.po").write_text(po.read_text() + '\nmsgid "New"\nmsgstr ""\n')

    found = catalogs.problems(tmp_path / "fresh", current)

    assert any("stale" in problem for problem in found)
