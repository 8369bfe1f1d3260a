"""Reports and exports read what was stored at submit, never the live answer rows; results stored
before the snapshots keep their exports byte for byte."""

import hashlib
import json

from django.db import connection
from django.urls import reverse

from assessment.models import AnswerSnapshot, AssessmentResult
from assessment.reports import pdf as reports
from tests.pages import pdf_text


def downloads(client, pk: int) -> dict[str, bytes]:
    return {
        "json": client.get(reverse("assessment:results_export", args=[pk, "json"])).getvalue(),
        "csv": client.get(reverse("assessment:results_export", args=[pk, "csv"])).getvalue(),
        "pdf": client.get(reverse("assessment:assessment_report", args=[pk])).getvalue(),
    }


def test_submit_stores_every_answer_as_it_stood(submitted):
    snapshot = AnswerSnapshot.objects.get(result__assessment=submitted, question_key="data-a")

    assert (snapshot.respondent, snapshot.value, snapshot.notes) == (
        "alice",
        2,
        "Schema checked in CI.",
    )
    assert snapshot.link_list == ["https://ci.example/schema"]
    assert AnswerSnapshot.objects.filter(result__assessment=submitted).count() == 3


def test_an_answer_row_altered_behind_the_models_back_changes_no_output(
    client_for, alice, submitted
):
    client = client_for(alice)
    before = downloads(client, submitted.pk)

    with connection.cursor() as cursor:  # what no code path may do, done directly in SQL
        cursor.execute(
            "UPDATE assessment_answer SET level_value = 0, notes = %s WHERE assessment_id = %s",
            ["Tampered after submit", submitted.pk],
        )
    after = downloads(client, submitted.pk)

    assert after["json"] == before["json"] and after["csv"] == before["csv"]
    assert "Schema checked in CI." in pdf_text(after["pdf"])
    assert "Tampered after submit" not in pdf_text(after["pdf"])
    assert hashlib.sha256(after["json"]).hexdigest() in pdf_text(after["pdf"]).replace(" ", "")


def test_a_rename_after_submit_changes_no_export(client_for, alice, submitted):
    client = client_for(alice)
    before = downloads(client, submitted.pk)["json"]

    submitted.project.name = "Renamed ranker"
    submitted.project.save(update_fields=["name"])

    after = downloads(client, submitted.pk)
    assert after["json"] == before
    assert "Query ranker" in pdf_text(after["pdf"]) and "Renamed" not in pdf_text(after["pdf"])


def test_a_result_of_the_first_schema_exports_exactly_the_first_shape(client_for, alice, submitted):
    AssessmentResult.objects.filter(assessment=submitted).update(export_schema=1)

    exported = json.loads(
        client_for(alice)
        .get(reverse("assessment:results_export", args=[submitted.pk, "json"]))
        .getvalue()
    )
    csv_header = (
        client_for(alice)
        .get(reverse("assessment:results_export", args=[submitted.pk, "csv"]))
        .getvalue()
        .decode()
        .splitlines()[0]
    )

    assert exported["schema"] == "paydown.results/1"
    assert set(exported["questions"][0]) == {
        "key",
        "category",
        "text",
        "weight",
        "level",
        "not_applicable",
        "unanswered",
        "settled",
    }
    assert csv_header == "kind,key,name,score,points,level,level_name,counted,total"
    assert (
        reports.integrity_hash(submitted)
        == hashlib.sha256(
            client_for(alice)
            .get(reverse("assessment:results_export", args=[submitted.pk, "json"]))
            .getvalue()
        ).hexdigest()
    )


def test_the_second_schema_carries_every_answer_with_its_evidence(client_for, alice, submitted):
    AssessmentResult.objects.filter(assessment=submitted).update(export_schema=2)
    exported = json.loads(
        client_for(alice)
        .get(reverse("assessment:results_export", args=[submitted.pk, "json"]))
        .getvalue()
    )

    data_a = next(q for q in exported["questions"] if q["key"] == "data-a")
    assert exported["schema"] == "paydown.results/2"
    assert data_a["answers"] == [
        {
            "respondent": "alice",
            "level": 2,
            "not_applicable": False,
            "na_reason": "",
            "na_detail": "",
            "notes": "Schema checked in CI.",
            "links": ["https://ci.example/schema"],
            "carried_over_unconfirmed": False,
            "confirmed": None,
            "confirmed_by": "",
        }
    ]
    assert (data_a["carried_over_unconfirmed"], data_a["unsettled"]) == (False, False)
