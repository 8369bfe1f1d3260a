"""The remediation plan, its what-if projection and taking an action into the backlog."""

from datetime import date

import pytest
from django.urls import reverse

from assessment.models import TrackedAction
from tests import factories
from tests.pages import HTMX, squeeze, table_headed


def plan_url(assessment) -> str:
    return reverse("assessment:plan", args=[assessment.pk])


def track_url(assessment) -> str:
    return reverse("assessment:track_action", args=[assessment.pk])


def labels(html: str) -> list[str]:
    """The plan's steps as their checkbox labels, in the order shown."""
    return [
        squeeze(part.split(">", 1)[1].split("</label>")[0])
        for part in html.split('<label for="take-')[1:]
    ]


def test_plan_lists_every_gap_in_priority_order(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)

    # session
    # user
    # the assessment ⋈ project, team, version, bank, where the user may see the project
    # its result ⋈ version, bank
    # the result's categories
    # the result's questions
    # the bank version's questions ⋈ category
    # their remediation steps
    # the project's question results up to this assessment (how long each gap is open)
    # the project's accepted risks ⋈ who accepted them
    # the plan's actions already tracked
    # the team's members (owners to choose from)
    with django_assert_num_queries(12):
        response = client.get(plan_url(submitted))

    text = squeeze(response.text)
    # data-a is at the top level already; data-b 1 → 2 weighs more than code-a 0 → 1.
    assert labels(response.text) == [
        '<span class="rank">1.</span> How is data-b handled?',
        '<span class="rank">2.</span> How is code-a handled?',
    ]
    assert "<strong>From level 1 to 2:</strong> Reach 2." in text
    assert "<strong>From level 0 to 1:</strong> Reach 1." in text
    assert table_headed(response.text, "Category", "Now", "Then") == [
        ["Data", "75.0", "75.0"],
        ["Code", "0.0", "0.0"],
        ["Overall", "50.0", "50.0"],
    ]
    assert text.count('<option value="">nobody yet</option>') == 2
    assert text.count(">alice</option>") == text.count(">bob</option>") == 2
    assert "In the backlog" not in text


def test_what_if_partial_projects_the_ticked_steps(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)

    # session
    # user
    # the assessment ⋈ project, team, version, bank, where the user may see the project
    # its result ⋈ version, bank
    # the result's categories
    # the result's questions
    # the bank version's questions ⋈ category
    # their remediation steps
    # the project's accepted risks ⋈ who accepted them
    # the project's question results up to this assessment
    # the plan's actions already tracked
    # (the team's members are not read: the partial has no owner menus)
    with django_assert_num_queries(11):
        response = client.get(
            plan_url(submitted),
            {"take": ["code-a", "data-b"]},
            headers={**HTMX, "HX-Target": "whatif"},
        )

    assert response.text.lstrip().startswith('<section class="panel whatif" id="whatif"')
    assert "<html" not in response.text
    assert "2 steps taken" in response.text
    # data: 100; code: 50; overall (2×100 + 50) ÷ 3 = 83.3
    assert table_headed(response.text, "Category", "Now", "Then") == [
        ["Data", "75.0", "100.0"],
        ["Code", "0.0", "50.0"],
        ["Overall", "50.0", "83.3"],
    ]


def test_what_if_without_javascript_renders_the_page_with_the_ticks(client_for, alice, submitted):
    response = client_for(alice).get(plan_url(submitted), {"take": "code-a"})

    text = squeeze(response.text)
    assert 'value="code-a" id="take-code-a" checked>' in text
    assert 'value="data-b" id="take-data-b">' in text
    # code 0 → 50: (2×75 + 50) ÷ 3 = 66.7
    assert table_headed(response.text, "Category", "Now", "Then")[-1] == ["Overall", "50.0", "66.7"]


def test_tracking_an_action_adds_it_to_the_backlog_once(
    client_for, alice, bob, submitted, django_assert_num_queries
):
    client = client_for(bob)
    data = {"question": "code-a", "owner": alice.pk, "due": "2027-01-31"}

    # session
    # user
    # the assessment ⋈ project, team, version, bank, where the user may see the project
    # the owner, among the team's members
    # the result ⋈ version, bank
    # the result's categories
    # the result's questions
    # the bank version's questions ⋈ category
    # their remediation steps
    # the project's accepted risks ⋈ who accepted them
    # the project's question results up to this assessment
    # an item of this question still open in the project's backlog, if any
    # the tracked action of this question, if any (get_or_create)
    # savepoint, insert, release (get_or_create's atomic block inside the test's transaction)
    with django_assert_num_queries(16):
        response = client.post(track_url(submitted), data)
    again = client.post(track_url(submitted), {"question": "code-a"}, follow=True)
    plan = squeeze(client.get(plan_url(submitted)).text)

    assert response.status_code == 302
    assert response["Location"] == plan_url(submitted) + "#action-code-a"
    tracked = TrackedAction.objects.get()
    assert (tracked.project, tracked.source, tracked.question_key) == (
        submitted.project,
        submitted,
        "code-a",
    )
    assert (tracked.owner, tracked.due, tracked.status) == (alice, date(2027, 1, 31), "open")
    assert (tracked.from_value, tracked.to_value, tracked.advice) == (0, 1, "Reach 1.")
    assert "This action was already in the backlog." in again.text
    assert plan.count("In the backlog") == 1
    assert 'id="track-code-a"' not in plan and 'id="track-data-b"' in plan


@pytest.mark.parametrize(
    "data",
    [
        {"question": "data-a"},  # at the top level already: not in the plan
        {"question": "no-such-question"},
        {"question": "code-a", "due": "someday"},
    ],
)
def test_an_action_outside_the_plan_or_an_incomplete_form_is_refused(
    client_for, bob, submitted, data
):
    response = client_for(bob).post(track_url(submitted), data, follow=True)

    assert TrackedAction.objects.count() == 0
    assert "That action is not part of this plan, or the form was incomplete." in response.text


def test_an_owner_from_another_team_is_refused(client_for, bob, carol, submitted):
    response = client_for(bob).post(
        track_url(submitted), {"question": "code-a", "owner": carol.pk}, follow=True
    )

    assert TrackedAction.objects.count() == 0
    assert "the form was incomplete" in response.text


def test_another_team_cannot_track_or_read_the_plan(client_for, carol, submitted):
    client = client_for(carol)

    assert client.post(track_url(submitted), {"question": "code-a"}).status_code == 404
    assert client.get(plan_url(submitted)).status_code == 404
    assert TrackedAction.objects.count() == 0


def test_tracking_takes_a_post_only(client_for, bob, submitted):
    assert client_for(bob).get(track_url(submitted), {"question": "code-a"}).status_code == 405
    assert TrackedAction.objects.count() == 0


@pytest.fixture
def long_plan(alice, bob, shipped_banks, project1):
    """An assessment of the 54-question default bank, every question at level 0: a long plan."""
    version = shipped_banks["ml-technical-debt"]
    return factories.make_result(project1, version, bob, {}, title="Long").assessment


def test_the_later_steps_load_when_opened_and_the_page_stays_small(client_for, alice, long_plan):
    client = client_for(alice)
    url = plan_url(long_plan)

    page = client.get(url).text
    later = client.get(url, {"bucket": "later"}, headers=HTMX).text
    everything = client.get(url, {"later": "1"}).text

    shown = page.count('<article class="action"')
    loaded = later.count('<article class="action"')
    assert shown == 15 and loaded == 54 - 15  # now 5 and next 10; the rest on demand
    assert f'hx-get="{url}?bucket=later" hx-trigger="toggle once"' in page
    assert "<html" not in later
    assert everything.count('<article class="action"') == 54
    assert len(page.encode()) < 100_000


def test_a_ticked_later_step_keeps_the_later_bucket_open(client_for, alice, long_plan):
    client = client_for(alice)
    url = plan_url(long_plan)
    later = client.get(url, {"bucket": "later"}, headers=HTMX).text
    key = later.split('name="take" value="')[1].split('"')[0]

    page = client.get(url, {"take": key}).text

    assert page.count('<article class="action"') == 54
    assert f'value="{key}" id="take-{key}" checked' in page


def test_adding_to_the_backlog_keeps_the_what_if_ticks_and_the_action_in_view(
    client_for, bob, submitted
):
    plan = plan_url(submitted)

    response = client_for(bob).post(
        track_url(submitted),
        {"question": "code-a"},
        headers={"Referer": f"http://testserver{plan}?take=code-a&take=data-b"},
    )
    elsewhere = client_for(bob).post(
        track_url(submitted),
        {"question": "data-b"},
        headers={"Referer": "https://evil.example/x?a=1"},
    )

    assert response["Location"] == f"{plan}?take=code-a&take=data-b#action-code-a"
    assert elsewhere["Location"] == f"{plan}#action-data-b"


def test_a_step_still_open_in_the_backlog_from_an_earlier_plan_is_not_offered_again(
    client_for, bob, submitted, published, project1
):
    later = factories.make_result(project1, published, bob, {"data-a": 0}, title="Q4").assessment
    factories.make_tracked_action(project1, submitted, "code-a")  # open, from the Q3 plan
    client = client_for(bob)

    page = squeeze(client.get(plan_url(later)).text)
    client.post(track_url(later), {"question": "code-a"})

    card = page.split('id="action-code-a"')[1].split("</article>")[0]
    assert "In the backlog" in card and "Add to backlog" not in card
    assert TrackedAction.objects.filter(question_key="code-a").count() == 1
