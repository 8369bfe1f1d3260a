"""The audit log (issue #17): each audited action writes one entry naming who, what and when; the
entries can't be changed or deleted; managers read their project's log, staff the whole log, each
filtered and exported as CSV; nobody else reads it."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from assessment import services
from audit.log import Action, record
from audit.models import AppendOnlyError, Entry
from banks.models import BankVersion
from projects import services as project_services
from projects.models import ApiToken, Invitation, Membership
from tests import factories


def only_entry(action: str) -> Entry:
    (entry,) = Entry.objects.filter(action=action)
    return entry


# --- append-only ------------------------------------------------------------------------------


def test_an_entry_refuses_to_be_changed_or_deleted(db):
    entry = record(Action.SUBMIT, subject="Q1")

    entry.subject = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).update(subject="rewritten")
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).delete()
    assert Entry.objects.get(pk=entry.pk).subject == "Q1"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql", ["UPDATE audit_entry SET subject = 'rewritten'", "DELETE FROM audit_entry"]
)
def test_on_postgresql_a_trigger_refuses_raw_updates_and_deletes(db, sql):
    entry = record(Action.SUBMIT, subject="Q1")

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert Entry.objects.get(pk=entry.pk).subject == "Q1"


def test_entries_outlive_the_user_and_project_they_name(db, project1, bob):
    record(Action.TARGETS, by=bob, project=project1, details={"from": {}, "to": {"data": 2}})
    project1.assessments.all().delete()
    project1.delete()
    bob.delete()

    entry = only_entry(Action.TARGETS)
    assert (entry.actor, entry.project, entry.team_id) == ("bob", "Query ranker", project1.team_id)


# --- every audited action writes its entry ---------------------------------------------------


def test_submit_settle_reopen_and_confirm_are_recorded(
    client_for, submitted, carried_over, alice, bob
):
    submit = only_entry(Action.SUBMIT)
    assert (submit.actor, submit.project_id, submit.subject) == (
        "bob",
        submitted.project_id,
        submitted.title,
    )
    assert submit.details["sha256"] == submitted.result.integrity_sha256

    question = carried_over.version.questions.get(key="data-a")
    client_for(alice).post(
        reverse("assessment:confirm_carried", args=[carried_over.pk]),
        {"question": "data-a"},
    )
    confirm = only_entry(Action.CONFIRM_CARRIED)
    assert (confirm.actor, confirm.details["questions"]) == ("alice", ["data-a"])

    services.settle_question(
        assessment=carried_over,
        question_id=question.pk,
        by=bob,
        value=2,
        not_applicable=False,
        note="CI proves it",
    )
    client_for(bob).post(
        reverse("assessment:settle", args=[carried_over.pk, "data-a"]), {"reopen": "1"}
    )
    settle, reopen = only_entry(Action.SETTLE), only_entry(Action.REOPEN)
    assert (settle.actor, settle.subject, settle.details["level"]) == ("bob", "data-a", 2.0)
    assert settle.details["note"] == "CI proves it"
    assert (reopen.actor, reopen.subject) == ("bob", "data-a")


def test_a_project_edit_records_targets_tier_and_cadence_with_old_and_new(
    client_for, bob, project1, shipped_banks
):
    url = reverse("projects:project_edit", args=[project1.slug])
    form = {
        "name": project1.name,
        "risk_tier": "internal",
        "target_data": "3",
        "reassess_every_days": "30",
    }

    client_for(bob).post(url, form)

    assert only_entry(Action.RISK_TIER).details == {"from": "", "to": "internal"}
    assert only_entry(Action.TARGETS).details == {"from": {}, "to": {"data": 3.0}}
    assert only_entry(Action.CADENCE).details == {"from": None, "to": 30}
    # Saving again unchanged records nothing more.
    client_for(bob).post(url, form)
    assert Entry.objects.filter(project_id=project1.pk).exclude(action=Action.DOWNLOAD).count() == 3


def test_accepting_and_withdrawing_a_risk_are_recorded(project1, bob):
    today = timezone.localdate()
    project_services.accept_risk(
        project=project1,
        question_key="data-a",
        by=bob,
        reason="Batch only",
        until=today + timedelta(days=30),
        today=today,
    )
    project_services.withdraw_risk(project=project1, question_key="data-a", by=bob)

    accepted = only_entry(Action.RISK_ACCEPT)
    assert (accepted.subject, accepted.details["reason"]) == ("data-a", "Batch only")
    assert only_entry(Action.RISK_WITHDRAW).actor == "bob"


def test_bank_draft_publish_and_retire_in_the_admin_are_recorded(client, draft):
    client = factories.login_curator(client)

    client.post(reverse("admin:banks_bankversion_publish", args=[draft.pk]))
    client.post(reverse("admin:banks_bankversion_new_draft", args=[draft.pk]))
    client.post(reverse("admin:banks_bankversion_retire", args=[draft.pk]))

    assert BankVersion.objects.get(pk=draft.pk).status == "retired"
    assert only_entry(Action.BANK_PUBLISH).subject == "tiny v1"
    assert only_entry(Action.BANK_RETIRE).actor == "curator"
    assert only_entry(Action.BANK_DRAFT).details == {"from": 1}


def test_invitations_roles_and_removals_are_recorded(client_for, bob, alice, team1, mailoutbox):
    client = client_for(bob)
    members = reverse("people:team_members", args=[team1.slug])
    client.post(members, {"email": "dana@example.com", "role": "manager"})
    invitation = Invitation.objects.get()
    client.post(reverse("people:revoke_invitation", args=[team1.slug, invitation.pk]))
    membership = Membership.objects.get(user=alice)
    client.post(
        reverse("people:change_role", args=[team1.slug, membership.pk]), {"role": "manager"}
    )
    client.post(reverse("people:remove_member", args=[team1.slug, membership.pk]))

    invite = only_entry(Action.INVITE)
    assert (invite.subject, invite.details, invite.team_id) == (
        "dana@example.com",
        {"role": "manager"},
        team1.pk,
    )
    assert only_entry(Action.INVITE_REVOKE).subject == "dana@example.com"
    assert only_entry(Action.ROLE_CHANGE).details == {"from": "member", "to": "manager"}
    removed = only_entry(Action.MEMBER_REMOVE)
    assert (removed.actor, removed.subject) == ("bob", "alice")


def test_token_creation_and_revocation_are_recorded(client_for, alice, project1):
    client = client_for(alice)
    client.post(
        reverse("account:tokens"),
        {"name": "CI pipeline", "project": project1.pk, "scopes": ["read"], "expires_in": "90"},
    )
    row = ApiToken.objects.get()
    client.post(reverse("account:revoke_token", args=[row.pk]))
    client.post(reverse("account:revoke_token", args=[row.pk]))  # already revoked: no entry

    made = only_entry(Action.TOKEN_CREATE)
    assert (made.actor, made.project_id, made.details) == (
        "alice",
        project1.pk,
        {"scopes": ["read"]},
    )
    assert only_entry(Action.TOKEN_REVOKE).subject == f"CI pipeline ({row.prefix}…)"


def test_downloads_of_exports_and_the_pdf_are_recorded(client_for, alice, submitted):
    client = client_for(alice)
    client.get(reverse("assessment:results_export", args=[submitted.pk, "csv"]))
    client.get(reverse("assessment:assessment_report", args=[submitted.pk]))

    names = set(Entry.objects.filter(action=Action.DOWNLOAD).values_list("subject", flat=True))
    assert names == {
        f"{submitted.project.slug}-assessment-{submitted.pk}-results.csv",
        submitted.result.report_job.filename,
    }


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture
def logged(project1, project2, bob, carol):
    """Entries of project 1, of its team, and of team 2's project."""
    record(Action.SUBMIT, by=bob, project=project1, subject="Q3")
    record(Action.INVITE, by=bob, team_id=project1.team_id, subject="dana@example.com")
    record(Action.SUBMIT, by=carol, project=project2, subject="Other Q3")


def log_url(project) -> str:
    return reverse("audit_log:project_log", args=[project.slug])


def test_a_manager_reads_the_project_and_team_entries_and_nothing_of_other_teams(
    client_for, bob, project1, logged
):
    response = client_for(bob).get(log_url(project1))

    assert response.status_code == 200
    assert "Q3" in response.text and "dana@example.com" in response.text
    assert "Other Q3" not in response.text


def test_a_member_gets_403_a_stranger_404_and_only_staff_read_the_whole_log(
    client_for, alice, carol, admin_user, project1, logged
):
    assert client_for(alice).get(log_url(project1)).status_code == 403
    assert client_for(carol).get(log_url(project1)).status_code == 404
    assert client_for(alice).get(reverse("audit_log:staff_log")).status_code == 404
    everything = client_for(admin_user).get(reverse("audit_log:staff_log"))
    assert "Other Q3" in everything.text and "dana@example.com" in everything.text


def test_filters_narrow_the_staff_log(client_for, admin_user, logged):
    client = client_for(admin_user)
    url = reverse("audit_log:staff_log")

    by_carol = client.get(url, {"who": "carol"})
    invites = client.get(url, {"action": Action.INVITE})
    future = client.get(url, {"since": (timezone.localdate() + timedelta(days=1)).isoformat()})

    assert [e.subject for e in by_carol.context["page"]] == ["Other Q3"]
    assert [e.subject for e in invites.context["page"]] == ["dana@example.com"]
    assert list(future.context["page"]) == []


def test_a_malformed_filter_is_ignored_with_its_error(client_for, admin_user, logged):
    response = client_for(admin_user).get(
        reverse("audit_log:staff_log"), {"since": "yesterday", "action": "drop table"}
    )

    assert response.status_code == 200
    assert len(response.context["page"]) == 3
    assert response.context["form"].errors.keys() == {"since", "action"}


def test_the_csv_export_lists_the_filtered_entries_oldest_first_and_is_itself_recorded(
    client_for, bob, project1, logged
):
    response = client_for(bob).get(reverse("audit_log:project_log_export", args=[project1.slug]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [
        "at",
        "who",
        "action",
        "action_label",
        "team_id",
        "project",
        "subject",
        "details",
    ]
    # The download is recorded before the file is read, so the file ends with it.
    assert [(r[1], r[2], r[6]) for r in rows[1:]] == [
        ("bob", "assessment.submit", "Q3"),
        ("bob", "invitation.create", "dana@example.com"),
        ("bob", "download", f"{project1.slug}-audit-log.csv"),
    ]


def test_the_project_log_costs_the_same_for_a_long_history(
    client_for, bob, project1, assert_statements
):
    for n in range(120):
        record(Action.DOWNLOAD, by=bob, project=project1, subject=f"file-{n}.csv")
    client = client_for(bob)

    # session, user, project with its team, bob's role, the page's count, the page's rows
    with assert_statements(6):
        response = client.get(log_url(project1), {"page": "2"})
    assert len(response.context["page"]) == 50
