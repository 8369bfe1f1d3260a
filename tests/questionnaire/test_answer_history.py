"""The history of answer changes (who, when, from, to, notes edited): per question on the
questionnaire and discussion pages, and as CSV and JSON for the whole assessment."""

import csv
import io
import json
from datetime import timedelta

from django.urls import reverse

from assessment.models import AnswerChange
from tests.pages import HTMX


def save(client, assessment, key: str, choice: str, notes: str = "") -> None:
    response = client.post(
        reverse("assessment:save_answer", args=[assessment.pk, key]),
        {"choice": choice, "notes": notes, "links": ""},
        headers=HTMX,
    )
    assert response.status_code == 200


def test_level_changes_and_notes_edits_are_recorded_and_typing_makes_one_row(
    client_for, alice, assessment
):
    client = client_for(alice)

    save(client, assessment, "data-a", "1")
    save(client, assessment, "data-a", "1", notes="Versioned")
    save(client, assessment, "data-a", "1", notes="Versioned in DVC")  # same sitting
    save(client, assessment, "data-a", "2", notes="Versioned in DVC")

    rows = list(AnswerChange.objects.values_list("from_value", "to_value", "notes_changed"))
    assert rows == [("", "1", False), ("1", "1", True), ("1", "2", False)]


def test_a_notes_edit_in_a_later_sitting_is_a_new_row(client_for, alice, assessment):
    client = client_for(alice)
    save(client, assessment, "data-a", "1", notes="First")
    AnswerChange.objects.update(
        changed_at=AnswerChange.objects.get().changed_at - timedelta(hours=1)
    )

    save(client, assessment, "data-a", "1", notes="Second")
    save(client, assessment, "data-a", "1", notes="Third")

    assert list(AnswerChange.objects.values_list("to_value", "notes_changed")) == [
        ("1", True),
        ("1", True),
    ]


def test_the_question_panel_and_page_show_its_history(client_for, alice, bob, assessment):
    save(client_for(alice), assessment, "data-a", "1")
    save(client_for(bob), assessment, "data-a", "2", notes="We have DVC")
    save(client_for(alice), assessment, "data-b", "0")
    url = reverse("assessment:question_history", args=[assessment.pk, "data-a"])
    client = client_for(alice)

    panel = client.get(url, headers=HTMX).text
    page = client.get(url).text

    assert panel.strip().startswith('<div id="history-data-a">') and "<html" not in panel
    assert panel.count("<li>") == 2
    assert "alice:" in panel and "level — → 1" in panel
    assert "bob:" in panel and "level — → 2 · notes or links edited" in panel
    assert "How is data-a handled?" in page and page.count("<li>") >= 2
    team_panel = client.get(
        reverse("assessment:question_team", args=[assessment.pk, "data-a"]), headers=HTMX
    ).text
    assert f'<a href="{url}">Answer history</a>' in team_panel


def test_the_history_exports_list_every_change(client_for, alice, bob, assessment):
    save(client_for(alice), assessment, "data-a", "1")
    save(client_for(bob), assessment, "code-a", "2", notes="Tests in CI")
    client = client_for(alice)

    as_json = json.loads(
        client.get(reverse("assessment:history_export", args=[assessment.pk, "json"])).getvalue()
    )
    as_csv = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("assessment:history_export", args=[assessment.pk, "csv"]))
                .getvalue()
                .decode()
            )
        )
    )

    assert as_json["schema"] == "paydown.answer-history/1"
    assert [
        (c["question"], c["respondent"], c["from"], c["to"], c["notes_changed"])
        for c in as_json["changes"]
    ] == [("data-a", "alice", "", "1", False), ("code-a", "bob", "", "2", True)]
    assert as_csv[0] == ["question", "respondent", "at", "from", "to", "notes_changed"]
    assert [row[:2] + row[3:] for row in as_csv[1:]] == [
        ["data-a", "alice", "", "1", "False"],
        ["code-a", "bob", "", "2", "True"],
    ]


def test_another_teams_member_gets_no_history(client_for, carol, assessment):
    client = client_for(carol)

    assert (
        client.get(reverse("assessment:history_export", args=[assessment.pk, "csv"])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("assessment:question_history", args=[assessment.pk, "data-a"])
        ).status_code
        == 404
    )


def test_the_history_panel_and_export_run_a_fixed_number_of_queries(
    client_for, alice, bob, assessment, django_assert_num_queries
):
    for user, key in ((alice, "data-a"), (bob, "data-a"), (bob, "code-a")):
        save(client_for(user), assessment, key, "1")
    client = client_for(alice)

    # session
    # user
    # assessment with project, team, version, bank and submitter (access)
    # the question by key in the assessment's version
    # its changes with their respondents
    with django_assert_num_queries(5):
        client.get(
            reverse("assessment:question_history", args=[assessment.pk, "data-a"]), headers=HTMX
        )
    # session
    # user
    # assessment with project, team, version, bank and submitter (access)
    # every change with its respondent and question
    # the audit log's entry for the download
    with django_assert_num_queries(5):
        client.get(reverse("assessment:history_export", args=[assessment.pk, "json"]))
