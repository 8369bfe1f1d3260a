"""Weekly digests and stale-project reminders (issue #17): what a digest lists, that each notice
goes out once however often or by how many workers the job runs, that a project's own cadence
wins over the site's, and that each kind can be switched off on the profile."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection

from assessment import services
from assessment.models import Evidence, SentNotice
from assessment.notifications import send
from projects.models import Membership, Profile
from tests import factories

NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


@pytest.fixture
def addresses(alice, bob, carol):
    for user in (alice, bob, carol):
        user.email = f"{user.username}@example.com"
        user.save(update_fields=["email"])


def digests(mailoutbox) -> dict[str, str]:
    return {mail.to[0]: mail.body for mail in mailoutbox}


# --- the weekly digest ---------------------------------------------------------------------------


@pytest.fixture
def alices_week(addresses, alice, bob, submitted, published, project1):
    """alice owns an overdue, a due and a far action; an open assessment waits for her answers
    and has a disagreement; evidence of hers turns stale next week."""
    today = NOW.date()
    for key, days in (("data-a", -3), ("data-b", 5), ("code-a", 40)):
        factories.make_tracked_action(
            project1, submitted, key, owner=alice, due=today + timedelta(days=days)
        )
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        open_one = services.start_assessment(
            project=project1, version=published, started_by=bob, title="Q4"
        )
        factories.answer(open_one, alice, {"data-a": 0})
        factories.answer(open_one, bob, {"data-a": 2})
    (answer,) = open_one.answers.filter(respondent=alice)
    Evidence.objects.create(
        answer=answer,
        kind=Evidence.Kind.LINK,
        text="https://ci.example/schema",
        added_at=NOW - timedelta(days=170),
        confirmed_at=NOW - timedelta(days=170),
        stale_after=NOW + timedelta(days=10),
    )
    return open_one


def test_a_digest_lists_due_actions_waiting_questions_disagreements_and_aging_evidence(
    alices_week, mailoutbox
):
    with time_machine.travel(NOW, tick=False):
        send.send_weekly_digests(NOW)

    body = digests(mailoutbox)["alice@example.com"]
    assert "Improve data-a (overdue since Dec. 4, 2026)" in body
    assert "Improve data-b (due Dec. 12, 2026)" in body
    assert "code-a" not in body.split("Assessments waiting")[0]  # due in 40 days: not yet
    assert "Q4: 2 questions wait for your answer; 1 open disagreement" in body
    assert f"http://127.0.0.1:8000/assessments/{alices_week.pk}/discuss/" in body
    assert "data-a: https://ci.example/schema (stale on Dec. 17, 2026)" in body
    assert "http://127.0.0.1:8000/accounts/profile/" in body


def test_a_digest_goes_once_a_week_and_only_when_it_has_something_to_say(alices_week, mailoutbox):
    send.send_weekly_digests(NOW)
    send.send_weekly_digests(NOW + timedelta(hours=3))
    once = sorted(mail.to[0] for mail in mailoutbox)

    send.send_weekly_digests(NOW + timedelta(days=7))

    # bob has the open assessment's disagreement and a question left; carol (team 2) nothing.
    assert once == ["alice@example.com", "bob@example.com"]
    assert len(mailoutbox) == 4
    assert set(SentNotice.objects.values_list("key", flat=True)) == {"2026-W50", "2026-W51"}


def test_a_person_who_switched_the_digest_off_gets_none(alices_week, alice, mailoutbox):
    Profile.objects.update_or_create(user=alice, defaults={"weekly_digest": False})

    send.send_weekly_digests(NOW)

    assert "alice@example.com" not in digests(mailoutbox)


def test_the_digest_is_written_in_the_persons_language(alices_week, alice, mailoutbox):
    Profile.objects.update_or_create(user=alice, defaults={"language": "de"})

    send.send_weekly_digests(NOW)

    body = digests(mailoutbox)["alice@example.com"]
    assert "Improve data-a (überfällig seit 4. Dezember 2026)" in body
    assert "Hallo alice," in body


# --- reminders when a project is due for reassessment -------------------------------------------


@pytest.fixture
def assessed_100_days_ago(addresses, published, project1, alice, bob):
    with time_machine.travel(NOW - timedelta(days=100), tick=False):
        factories.make_result(project1, published, bob, {"data-a": 2})
    return project1


def test_a_stale_project_reminds_its_managers_once(assessed_100_days_ago, mailoutbox):
    send.send_stale_reminders(NOW)
    send.send_stale_reminders(NOW + timedelta(days=1))

    (mail,) = mailoutbox
    assert mail.to == ["bob@example.com"]  # the manager; alice is a member
    assert mail.subject == "Query ranker is due for reassessment"
    assert "was last assessed on Aug. 29, 2026; it is reassessed every 90 days" in mail.body


def test_a_new_submit_that_turns_stale_again_reminds_again(
    assessed_100_days_ago, published, bob, mailoutbox
):
    send.send_stale_reminders(NOW)
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        factories.make_result(assessed_100_days_ago, published, bob, {"data-a": 3})

    send.send_stale_reminders(NOW + timedelta(days=60))
    send.send_stale_reminders(NOW + timedelta(days=95))

    assert len(mailoutbox) == 2


@pytest.mark.parametrize(("cadence", "reminded"), [(None, True), (120, False), (30, True)])
def test_the_projects_own_cadence_wins_over_the_sites(
    assessed_100_days_ago, settings, mailoutbox, cadence, reminded
):
    settings.STALE_AFTER_DAYS = 90
    assessed_100_days_ago.reassess_every_days = cadence
    assessed_100_days_ago.save(update_fields=["reassess_every_days"])

    send.send_stale_reminders(NOW)

    assert bool(mailoutbox) is reminded


def test_a_project_never_assessed_is_stale_a_cadence_after_its_creation(
    addresses, team1, bob, mailoutbox
):
    with time_machine.travel(NOW - timedelta(days=91), tick=False):
        project = factories.make_project(team1, "Fresh idea")
    factories.add_member(team1, factories.make_user("zoe"), Membership.Role.MEMBER)

    send.send_stale_reminders(NOW)

    (mail,) = mailoutbox
    assert "Fresh idea has not been assessed in the 90 days since it was created." in mail.body
    assert SentNotice.objects.get().key == f"{project.pk}:never"


def test_a_manager_who_switched_reminders_off_gets_none(assessed_100_days_ago, bob, mailoutbox):
    Profile.objects.update_or_create(user=bob, defaults={"stale_reminders": False})

    send.send_stale_reminders(NOW)

    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_reminders_at_once_send_one_email(mailoutbox):
    team = factories.make_team()
    manager = factories.make_user("mona")
    manager.email = "mona@example.com"
    manager.save(update_fields=["email"])
    factories.add_member(team, manager, Membership.Role.MANAGER)
    with time_machine.travel(NOW - timedelta(days=200), tick=False):
        factories.make_project(team, "Old model")
    barrier = threading.Barrier(2)

    def work() -> None:
        try:
            barrier.wait()
            send.send_stale_reminders(NOW)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [mail.to for mail in mailoutbox] == [["mona@example.com"]]
    assert SentNotice.objects.count() == 1


def test_a_mail_server_that_fails_leaves_the_notice_to_the_next_run(
    assessed_100_days_ago, mailoutbox, monkeypatch
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(send, "send_mail", refuse)
    assert send.send_stale_reminders(NOW) == 0
    assert not SentNotice.objects.exists()

    monkeypatch.undo()
    assert send.send_stale_reminders(NOW) == 1
    assert [mail.to for mail in mailoutbox] == [["bob@example.com"]]
