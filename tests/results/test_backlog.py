"""The project's backlog of tracked actions and updating one of them."""

from datetime import date

import pytest
from django.urls import reverse

from assessment import services
from assessment.models import TrackedAction
from assessment.results import queries
from projects.models import AcceptedRisk
from tests import factories
from tests.pages import table_headed


def backlog_url(project) -> str:
    return reverse("assessment:backlog", args=[project.slug])


def update_url(action) -> str:
    return reverse("assessment:update_action", args=[action.project.slug, action.pk])


def track(assessment, key: str, **fields) -> TrackedAction:
    action, _created = services.track_action(
        assessment=assessment, action=queries.plan_action(assessment, key), **fields
    )
    return action


@pytest.fixture
def three_tracked(submitted, published, project1, alice, bob):
    """Three actions from two plans, each with another owner, source and status."""
    later = factories.make_result(project1, published, bob, {}, title="Later").assessment
    first = track(submitted, "data-b", owner=alice, due=date(2027, 1, 31))
    second = track(submitted, "code-a", owner=bob)
    third = track(later, "data-a", due=date(2027, 6, 30))
    TrackedAction.objects.filter(pk=second.pk).update(status="in_progress")
    return [first, second, third]


def test_backlog_lists_each_action_with_its_step_source_and_state(
    client_for, alice, three_tracked, project1
):
    response = client_for(alice).get(backlog_url(project1))

    # Ordered as work goes: the open ones, soonest first, then the one in progress.
    assert [row[:3] for row in table_headed(response.text, "Action", "Step", "From plan")] == [
        ["How is data-b handled? Reach 2.", "1 → 2", "Q3 review"],
        ["How is data-a handled? Reach 1.", "0 → 1", "Later"],
        ["How is code-a handled? Reach 1.", "0 → 1", "Q3 review"],
    ]
    selected = [
        part.split('"')[0]
        for part in response.text.split("<footer")[0].split('<option value="')[1:]
        if " selected>" in part
    ]
    # Per row: status, then owner (the second row has no owner: nothing selected).
    bob, alice = (str(user.pk) for user in (three_tracked[1].owner, three_tracked[0].owner))
    assert selected == ["open", alice, "open", "in_progress", bob]
    assert response.text.index('value="2027-01-31"') < response.text.index('value="2027-06-30"')


def test_undated_actions_come_after_dated_ones(client_for, alice, submitted):
    track(submitted, "code-a")
    track(submitted, "data-b", due=date(2027, 1, 31))

    response = client_for(alice).get(backlog_url(submitted.project))

    assert [row[1] for row in table_headed(response.text, "Action", "Step")] == ["1 → 2", "0 → 1"]


@pytest.mark.parametrize("tracked", [1, 3])
def test_backlog_reads_the_same_number_of_queries_for_any_number_of_actions(
    client_for, alice, three_tracked, project1, tracked, django_assert_num_queries
):
    TrackedAction.objects.exclude(pk__in=[a.pk for a in three_tracked[:tracked]]).delete()
    client = client_for(alice)

    # session
    # user
    # the project ⋈ team, where the user is a member
    # its tracked actions ⋈ owner, source assessment
    # the team's members (owners to choose from)
    with django_assert_num_queries(5):
        response = client.get(backlog_url(project1))

    assert len(table_headed(response.text, "Action")) == tracked


def test_empty_backlog_says_how_to_fill_it(client_for, alice, project1):
    response = client_for(alice).get(backlog_url(project1))

    assert "Nothing tracked yet" in response.text
    assert '<table class="data backlog">' not in response.text


def test_updating_an_action_saves_status_owner_and_due(
    client_for, alice, bob, submitted, django_assert_num_queries
):
    action = track(submitted, "code-a")
    client = client_for(bob)
    url, data = (
        update_url(action),
        {"status": "in_progress", "owner": alice.pk, "due": "2027-03-01"},
    )

    # session
    # user
    # the project ⋈ team, where the user is a member
    # the tracked action ⋈ project, team
    # the owner, among the team's members (the form's choice)
    # the owner exists (the model's foreign key check)
    # savepoint, the status check constraint, release (validated inside the test's transaction)
    # savepoint (the update's transaction: acceptance and status together)
    # the tracked action again, locked (its stored status: accepted risk or not)
    # update of the action
    # release savepoint
    with django_assert_num_queries(13):
        response = client.post(url, data)
    page = client.get(response["Location"])

    assert response["Location"] == backlog_url(submitted.project)
    action.refresh_from_db()
    assert (action.status, action.owner, action.due) == ("in_progress", alice, date(2027, 3, 1))
    assert "Action updated." in page.text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"status": "finished"}, "Select a valid choice. finished is not one of the available"),
        ({"status": "done", "owner": "carol"}, "Select a valid choice."),
        ({"status": "done", "due": "soon"}, "Enter a valid date."),
    ],
)
def test_an_invalid_update_changes_nothing_and_says_why(
    client_for, bob, carol, submitted, data, error
):
    action = track(submitted, "code-a")
    if data.get("owner") == "carol":
        data["owner"] = carol.pk  # not a member of the project's team

    response = client_for(bob).post(update_url(action), data, follow=True)

    action.refresh_from_db()
    assert (action.status, action.owner, action.due) == ("open", None, None)
    assert f"Not saved: {error}" in response.text


def test_another_team_gets_404_and_changes_nothing(client_for, carol, submitted):
    action = track(submitted, "code-a")
    client = client_for(carol)

    refused = client.post(update_url(action), {"status": "done"})

    assert refused.status_code == 404
    assert client.get(backlog_url(submitted.project)).status_code == 404
    action.refresh_from_db()
    assert action.status == "open"


def test_an_action_of_another_project_is_404_under_this_ones_address(
    client_for, bob, submitted, team1
):
    action = track(submitted, "code-a")
    sibling = factories.make_project(team1, "Sibling")

    response = client_for(bob).post(
        reverse("assessment:update_action", args=[sibling.slug, action.pk]), {"status": "done"}
    )

    assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == "open"


def test_updating_takes_a_post_only(client_for, bob, submitted):
    action = track(submitted, "code-a")

    assert client_for(bob).get(update_url(action)).status_code == 405


def test_closing_an_action_as_accepted_risk_records_the_acceptance_and_reopening_withdraws_it(
    client_for, alice, submitted
):
    action = track(submitted, "data-b")
    client = client_for(alice)
    until = date.today().replace(year=date.today().year + 1)

    refused = client.post(update_url(action), {"status": "accepted_risk"}, follow=True)
    action.refresh_from_db()
    assert "Say why the risk is accepted, and until when." in refused.text
    assert action.status == "open" and not AcceptedRisk.objects.exists()

    client.post(
        update_url(action),
        {"status": "accepted_risk", "risk_reason": "Vendor owns it", "risk_until": until},
    )
    action.refresh_from_db()
    risk = AcceptedRisk.objects.get()
    assert action.status == "accepted_risk"
    assert (risk.project, risk.question_key, risk.accepted_by, risk.reason, risk.until) == (
        submitted.project, "data-b", alice, "Vendor owns it", until,
    )  # fmt: skip
    assert "data-b" not in {a.question_key for a in queries.plan_page(submitted).actions}

    client.post(update_url(action), {"status": "open"})
    action.refresh_from_db()
    assert action.status == "open" and not AcceptedRisk.objects.exists()


def test_an_acceptance_dated_in_the_past_leaves_the_action_as_it_was(client_for, alice, submitted):
    action = track(submitted, "data-b")

    response = client_for(alice).post(
        update_url(action),
        {"status": "accepted_risk", "risk_reason": "Why", "risk_until": "2020-01-01"},
        follow=True,
    )

    action.refresh_from_db()
    assert "in the next two years" in response.text
    assert action.status == "open" and not AcceptedRisk.objects.exists()


def test_an_accepted_item_s_owner_changes_without_asking_why_again(client_for, alice, submitted):
    action = track(submitted, "data-b")
    client = client_for(alice)
    until = date.today().replace(year=date.today().year + 1)
    client.post(
        update_url(action),
        {"status": "accepted_risk", "risk_reason": "Vendor owns it", "risk_until": until},
    )

    client.post(update_url(action), {"status": "accepted_risk", "owner": alice.pk})

    action.refresh_from_db()
    assert (action.status, action.owner) == ("accepted_risk", alice)
    assert AcceptedRisk.objects.get().reason == "Vendor owns it"
