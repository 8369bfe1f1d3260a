"""Downloads of a submitted assessment's results and plan as CSV and JSON."""

import csv
import io
import json

import pytest
from django.urls import reverse

from assessment import services


def download(client, name: str, assessment, fmt: str):
    return client.get(reverse(f"assessment:{name}", args=[assessment.pk, fmt]))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


# session
# user
# the assessment ⋈ project, team, version, bank, where the user may see the project
# its result ⋈ version, bank
# the result's categories
# the result's questions
# the result's answer snapshots
# the audit log's entry for the download
RESULTS_QUERIES = 8
# the same seven but the answer snapshots (a plan does not show them), then:
# the bank version's questions ⋈ category
# their remediation steps
# the project's accepted risks ⋈ who accepted them
# the project's question results up to this assessment
# the audit log's entry for the download
PLAN_QUERIES = 11


def test_results_csv_has_the_overall_category_and_question_rows(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)

    with django_assert_num_queries(RESULTS_QUERIES):
        response = download(client, "results_export", submitted, "csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{submitted.project.slug}-assessment-{submitted.pk}-results.csv"'
    )
    rows = csv_rows(response)
    assert [row[:9] for row in rows[:4]] == [
        ["kind", "key", "name", "score", "points", "level", "level_name", "counted", "total"],
        ["overall", "", "Q3 review", "50", "", "2", "Defined", "3", "3"],
        ["category", "data", "Data", "75", "", "3", "Managed", "2", "2"],
        ["category", "code", "Code", "0", "", "0", "Ad hoc", "1", "1"],
    ]
    assert [(row[0], row[1], row[5]) for row in rows[4:]] == [
        ("question", "data-a", "2"),
        ("question", "data-b", "1"),
        ("question", "code-a", "0"),
    ]


def test_results_json_holds_what_recomputes_the_score(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)

    with django_assert_num_queries(RESULTS_QUERIES):
        response = download(client, "results_export", submitted, "json")

    data = json.loads(response.getvalue())
    assert response["Content-Type"] == "application/json"
    assert data["schema"] == "paydown.results/3"
    assert data["project"] == {
        "slug": submitted.project.slug,
        "name": "Query ranker",
        "team": "Search & Ranking",
    }
    assert data["bank"] == {
        "slug": "tiny",
        "name": "Tiny bank",
        "version": 1,
        "scoring": "maturity",
        "scale": [0, 1, 2],
    }
    assert data["overall"]["score"] == 50
    assert [(c["key"], c["weight"], c["score"]) for c in data["categories"]] == [
        ("data", 2, 75),
        ("code", 1, 0),
    ]
    assert [(q["key"], q["weight"], q["level"]) for q in data["questions"]] == [
        ("data-a", 1, 2),
        ("data-b", 1, 1),
        ("code-a", 1, 0),
    ]
    assert [(a["respondent"], a["notes"], a["links"]) for a in data["questions"][0]["answers"]] == [
        ("alice", "Schema checked in CI.", ["https://ci.example/schema"])
    ]


def test_plan_csv_lists_the_actions_in_rank_order(
    client_for, alice, submitted, django_assert_num_queries
):
    client = client_for(alice)

    with django_assert_num_queries(PLAN_QUERIES):
        response = download(client, "plan_export", submitted, "csv")

    rows = csv_rows(response)
    assert response["Content-Disposition"].endswith(f'-assessment-{submitted.pk}-plan.csv"')
    assert rows[0][:6] == ["rank", "bucket", "question", "category", "from_level", "to_level"]
    assert [row[:6] for row in rows[1:]] == [
        ["1", "now", "data-b", "data", "1", "2"],
        ["2", "now", "code-a", "code", "0", "1"],
    ]


def test_plan_json_matches_the_plan_page(client_for, alice, submitted, django_assert_num_queries):
    client = client_for(alice)

    with django_assert_num_queries(PLAN_QUERIES):
        response = download(client, "plan_export", submitted, "json")

    plan = json.loads(response.getvalue())
    assert plan["schema"] == "paydown.plan/1"
    assert (plan["project"], plan["assessment"]) == (submitted.project.slug, submitted.pk)
    assert [
        (a["question"], a["from_level"], a["to_level"], a["advice"]) for a in plan["actions"]
    ] == [
        ("data-b", 1, 2, "Reach 2."),
        ("code-a", 0, 1, "Reach 1."),
    ]


@pytest.mark.parametrize("name", ["results_export", "plan_export"])
def test_exports_are_404_for_another_team_and_before_submit(
    client_for, alice, carol, submitted, name
):
    in_progress = services.start_assessment(
        project=submitted.project, version=submitted.version, started_by=alice, title="Open"
    )

    assert download(client_for(carol), name, submitted, "json").status_code == 404
    assert download(client_for(alice), name, in_progress, "csv").status_code == 404


@pytest.mark.parametrize("name", ["results", "plan"])
def test_unknown_formats_are_404(client_for, alice, submitted, name):
    assert client_for(alice).get(f"/assessments/{submitted.pk}/{name}.xml").status_code == 404
