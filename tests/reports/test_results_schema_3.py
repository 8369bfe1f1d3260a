"""Results schema 3 (issue #13): the exports carry each category's N/A share, whether its score
is of low confidence, and the maturity method's gate; results stored under schema 2 keep their
exports, and so their printed hashes, byte for byte."""

import csv
import hashlib
import io
import json
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from assessment import services
from assessment.models import Assessment, AssessmentResult
from assessment.reports import pdf as reports
from banks import files
from banks import services as bank_services
from tests import factories
from tests.banks.bank_data import gated_bank, small_bank
from tests.pages import pdf_text

# The schema-2 exports of the `submitted` fixture as they were before schema 3 existed, with its
# dates fixed by `fix_dates`; the assessment's id and project slug depend on the test order.
SCHEMA_2_JSON = (
    '{"assessment":{"id":<ID>,"respondents":1,"started":"2026-12-01T09:30:00+00:00",'
    '"submitted":"2026-12-01T09:30:00+00:00","title":"Q3 review"},'
    '"bank":{"name":"Tiny bank","scale":[0,1,2],"scoring":"maturity","slug":"tiny","version":1},'
    '"categories":[{"counted_questions":2,"key":"data","level":3,"level_name":"Managed",'
    '"name":"Data","points":null,"score":75,"total_questions":2,"weight":2},'
    '{"counted_questions":1,"key":"code","level":0,"level_name":"Ad hoc","name":"Code",'
    '"points":null,"score":0,"total_questions":1,"weight":1}],'
    '"overall":{"counted_questions":3,"level":2,"level_name":"Defined","score":50,'
    '"total_questions":3,"unanswered":0},'
    '"project":{"name":"Query ranker","slug":"<SLUG>","team":"Search & Ranking"},'
    '"questions":[{"answers":[{"carried_over_unconfirmed":false,"confirmed":null,'
    '"confirmed_by":"","level":2,"links":["https://ci.example/schema"],"na_detail":"",'
    '"na_reason":"","not_applicable":false,"notes":"Schema checked in CI.","respondent":"alice"}],'
    '"carried_over_unconfirmed":false,"category":"data","key":"data-a","level":2,'
    '"not_applicable":false,"settled":false,"settled_note":"","text":"How is data-a handled?",'
    '"unanswered":false,"unsettled":false,"weight":1},'
    '{"answers":[{"carried_over_unconfirmed":false,"confirmed":null,"confirmed_by":"","level":1,'
    '"links":[],"na_detail":"","na_reason":"","not_applicable":false,"notes":"",'
    '"respondent":"alice"}],"carried_over_unconfirmed":false,"category":"data","key":"data-b",'
    '"level":1,"not_applicable":false,"settled":false,"settled_note":"",'
    '"text":"How is data-b handled?","unanswered":false,"unsettled":false,"weight":1},'
    '{"answers":[{"carried_over_unconfirmed":false,"confirmed":null,"confirmed_by":"","level":0,'
    '"links":[],"na_detail":"","na_reason":"","not_applicable":false,"notes":"",'
    '"respondent":"alice"}],"carried_over_unconfirmed":false,"category":"code","key":"code-a",'
    '"level":0,"not_applicable":false,"settled":false,"settled_note":"",'
    '"text":"How is code-a handled?","unanswered":false,"unsettled":false,"weight":1}],'
    '"schema":"paydown.results/2"}'
)
SCHEMA_2_CSV = (
    "kind,key,name,score,points,level,level_name,counted,total,carried_over_unconfirmed,unsettled\r\n"
    "overall,,Q3 review,50,,2,Defined,3,3\r\n"
    "category,data,Data,75,,3,Managed,2,2\r\n"
    "category,code,Code,0,,0,Ad hoc,1,1\r\n"
    "question,data-a,How is data-a handled?,,,2,,,,False,False\r\n"
    "question,data-b,How is data-b handled?,,,1,,,,False,False\r\n"
    "question,code-a,How is code-a handled?,,,0,,,,False,False\r\n"
)


def export(client, assessment, fmt: str) -> bytes:
    return client.get(reverse("assessment:results_export", args=[assessment.pk, fmt])).getvalue()


def fix_dates(assessment) -> None:
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    Assessment.objects.filter(pk=assessment.pk).update(created=at, submitted_at=at)
    assessment.refresh_from_db(fields=["created", "submitted_at"])


def question(key: str) -> dict:
    return {**small_bank()["categories"][0]["questions"][0], "key": key}


@pytest.fixture
def mostly_na(db, project1, alice, bob):
    """Submitted on a bank whose data category has 2 of its 4 questions N/A, ops 1 of 3 and code
    none: data's score speaks for half its questions (low confidence above 40 %), ops' for two
    thirds."""
    version = bank_services.publish_version(
        version=files.import_data(
            small_bank(
                slug="mixed",
                categories=[
                    {
                        "key": "data",
                        "name": "Data",
                        "weight": 1,
                        "questions": [question(f"data-{n}") for n in "abcd"],
                    },
                    {
                        "key": "ops",
                        "name": "Operations",
                        "weight": 1,
                        "questions": [question(f"ops-{n}") for n in "abc"],
                    },
                    {
                        "key": "code",
                        "name": "Code",
                        "weight": 1,
                        "questions": [question(f"code-{n}") for n in "ab"],
                    },
                ],
            )
        )
    )
    assessment = services.start_assessment(
        project=project1, version=version, started_by=alice, title="Mostly N/A"
    )
    levels = {"data-a": 2, "data-b": "na", "data-c": "na", "data-d": 1}
    levels |= {"ops-a": "na", "ops-b": 2, "ops-c": 2, "code-a": 1, "code-b": 0}
    factories.answer(assessment, alice, levels)
    return services.submit_assessment(assessment=assessment, by=bob)


def test_a_new_submit_stores_schema_3_with_each_categorys_na_share(client_for, alice, mostly_na):
    exported = json.loads(export(client_for(alice), mostly_na, "json"))

    assert AssessmentResult.objects.get(assessment=mostly_na).export_schema == 3
    assert exported["schema"] == "paydown.results/3"
    assert [
        (c["key"], c["counted_questions"], c["not_applicable_share"], c["low_confidence"])
        for c in exported["categories"]
    ] == [
        ("data", 2, 0.5, True),
        ("ops", 2, 0.333, False),  # 1 of 3, three decimals; at or under 40 % is not low
        ("code", 2, 0, False),
    ]
    assert {
        k: exported["overall"][k] for k in ("method_version", "gate_share", "held_back_by")
    } == {
        "method_version": 1,
        "gate_share": None,
        "held_back_by": None,
    }
    assert set(exported["bank"]) == {"slug", "name", "version", "scoring", "scale"}


def test_a_category_with_every_question_na_has_no_score_so_no_low_confidence(
    client_for, alice, bob, assessment
):
    factories.answer(assessment, alice, {"data-a": "na", "data-b": "na", "code-a": 1})
    services.submit_assessment(assessment=assessment, by=bob)

    exported = json.loads(export(client_for(alice), assessment, "json"))

    data = exported["categories"][0]
    assert (data["score"], data["not_applicable_share"], data["low_confidence"]) == (None, 1, False)


def test_a_gated_result_exports_the_method_and_the_gate_that_held_it_back(
    client_for, alice, project1
):
    version = bank_services.publish_version(
        version=files.import_data(files.load(files.dump(gated_bank())))
    )
    # 7 of the 10 weights at level 1 or above, short of the 80 % a level needs: level 0.
    levels = {"data-a": 4, "data-b": 4, "data-c": 0, "ops-monitoring": 4}
    result = factories.make_result(project1, version, alice, levels)

    exported = json.loads(export(client_for(alice), result.assessment, "json"))

    assert exported["overall"]["method_version"] == 2
    assert exported["overall"]["gate_share"] == 0.8
    assert exported["overall"]["held_back_by"] == {
        "level": 1,
        "share": "0.700",
        "share_needed": "0.80",
        "critical": [],
    }


def test_results_csv_of_schema_3_adds_the_share_and_confidence_to_category_rows(
    client_for, alice, mostly_na
):
    rows = list(csv.reader(io.StringIO(export(client_for(alice), mostly_na, "csv").decode())))

    assert rows[0][9:] == [
        "carried_over_unconfirmed",
        "unsettled",
        "not_applicable_share",
        "low_confidence",
    ]
    assert [row[:2] + row[9:] for row in rows if row[0] == "category"] == [
        ["category", "data", "", "", "0.5", "True"],
        ["category", "ops", "", "", "0.333", "False"],
        ["category", "code", "", "", "0", "False"],
    ]
    assert [row[:2] + row[9:] for row in rows if row[0] == "question"][1] == [
        "question",
        "data-b",
        "False",
        "False",
    ]


def test_a_schema_2_result_exports_the_same_bytes_as_before_schema_3(client_for, alice, submitted):
    AssessmentResult.objects.filter(assessment=submitted).update(export_schema=2)
    fix_dates(submitted)
    client = client_for(alice)

    exported = export(client, submitted, "json")

    expected = SCHEMA_2_JSON.replace("<ID>", str(submitted.pk))
    expected = expected.replace("<SLUG>", submitted.project.slug)
    assert exported.decode() == expected
    assert export(client, submitted, "csv").decode() == SCHEMA_2_CSV
    assert reports.integrity_hash(submitted) == hashlib.sha256(exported).hexdigest()


def test_a_schema_2_result_has_no_schema_3_fields(client_for, alice, mostly_na):
    AssessmentResult.objects.filter(assessment=mostly_na).update(export_schema=2)

    exported = json.loads(export(client_for(alice), mostly_na, "json"))

    assert exported["schema"] == "paydown.results/2"
    assert all("not_applicable_share" not in c for c in exported["categories"])
    assert all("low_confidence" not in c for c in exported["categories"])
    assert not {"method_version", "gate_share", "held_back_by"} & set(exported["overall"])


def test_the_pdf_prints_the_hash_of_the_schema_3_export(client_for, alice, mostly_na):
    client = client_for(alice)
    exported = export(client, mostly_na, "json")
    # On the tests' immediate queue the first request renders and stores the report.
    client.get(reverse("assessment:assessment_report", args=[mostly_na.pk]))

    pdf = client.get(reverse("assessment:assessment_report", args=[mostly_na.pk])).getvalue()

    digest = hashlib.sha256(exported).hexdigest()
    assert json.loads(exported)["schema"] == "paydown.results/3"
    assert AssessmentResult.objects.get(assessment=mostly_na).integrity_sha256 == digest
    assert reports.integrity_hash(mostly_na) == digest
    assert digest in pdf_text(pdf).replace(" ", "").replace("\n", "")


BEFORE_SCHEMA_3 = [("assessment", "0014_low_confidence_categories")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_leaves_every_stored_result_on_its_schema(submitted):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE_SCHEMA_3)
    AssessmentResult.objects.filter(assessment=submitted).update(export_schema=2)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    assert AssessmentResult.objects.get(assessment=submitted).export_schema == 2


def test_schema_3_says_who_did_not_know(client_for, alice, unsure):
    exported = json.loads(export(client_for(alice), unsure, "json"))

    data_a = next(q for q in exported["questions"] if q["key"] == "data-a")
    assert (data_a["level"], data_a["dont_know"]) == (2, 1)
    assert {a["respondent"]: a["dont_know"] for a in data_a["answers"]} == {
        "alice": True,
        "bob": False,
    }
