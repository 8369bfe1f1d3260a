"""Moving the bank models from the assessment app to the banks app keeps every row and permission."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_THE_MOVE = [
    ("banks", None),  # the app did not exist yet
    ("assessment", "0005_assessment_latest_index"),
    ("projects", "0002_targets"),
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest_targets():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_bank_rows_content_types_and_staff_permissions_survive_the_move():
    old = migrate(BEFORE_THE_MOVE)
    content_types = old.get_model("contenttypes", "ContentType")
    permissions = old.get_model("auth", "Permission")
    users = old.get_model("auth", "User")
    # Before the move the content type and a staff grant live under the old app label.
    question_type, _ = content_types.objects.get_or_create(app_label="assessment", model="question")
    change_question, _ = permissions.objects.get_or_create(
        content_type=question_type, codename="change_question", defaults={"name": "Can change"}
    )
    curator = users.objects.create(username="curator", is_staff=True)
    curator.user_permissions.add(change_question)
    bank = old.get_model("assessment", "QuestionBank").objects.create(name="Old", slug="old")
    version = old.get_model("assessment", "BankVersion").objects.create(
        bank=bank, number=1, status="draft", scale=[0, 1, 2]
    )
    category = old.get_model("assessment", "Category").objects.create(
        version=version, key="data", name="Data", weight=1, order=0
    )
    question = old.get_model("assessment", "Question").objects.create(
        version=version, category=category, key="data-a", text="Is the data versioned?", order=0
    )
    old.get_model("assessment", "Level").objects.create(question=question, value=0, label="No")
    team = old.get_model("projects", "Team").objects.create(name="T", slug="t")
    project = old.get_model("projects", "Project").objects.create(team=team, name="P", slug="p")
    assessment = old.get_model("assessment", "Assessment").objects.create(
        project=project, version=version, title="Before the move"
    )

    new = migrate(latest_targets())

    moved_question = new.get_model("banks", "Question").objects.get(key="data-a")
    assert moved_question.text == "Is the data versioned?"
    assert moved_question.version.bank.slug == "old"
    assert moved_question.levels.get().label == "No"
    moved_assessment = new.get_model("assessment", "Assessment").objects.get(pk=assessment.pk)
    assert moved_assessment.version_id == version.pk
    content_types = new.get_model("contenttypes", "ContentType")
    assert content_types.objects.get(pk=question_type.pk).app_label == "banks"
    assert not content_types.objects.filter(app_label="assessment", model="question").exists()
    granted = new.get_model("auth", "User").objects.get(username="curator").user_permissions
    assert list(granted.values_list("content_type__app_label", "codename")) == [
        ("banks", "change_question")
    ]


@pytest.mark.django_db(transaction=True)
def test_results_submitted_before_the_snapshots_get_one_and_keep_their_export():
    old = migrate(
        [
            ("assessment", "0006_bank_models_moved_to_banks"),
            ("banks", "0001_initial"),
            ("projects", "0002_targets"),
        ]
    )
    user = old.get_model("auth", "User").objects.create(username="ann")
    bank = old.get_model("banks", "QuestionBank").objects.create(name="B", slug="b")
    version = old.get_model("banks", "BankVersion").objects.create(
        bank=bank, number=1, status="draft", scale=[0, 1, 2]
    )
    category = old.get_model("banks", "Category").objects.create(
        version=version, key="data", name="Data", weight=1, order=0
    )
    question = old.get_model("banks", "Question").objects.create(
        version=version, category=category, key="data-a", text="Versioned?", order=0
    )
    team = old.get_model("projects", "Team").objects.create(name="T", slug="t")
    project = old.get_model("projects", "Project").objects.create(team=team, name="P", slug="p")
    assessment = old.get_model("assessment", "Assessment").objects.create(
        project=project,
        version=version,
        title="Before",
        status="submitted",
        submitted_at=datetime(2026, 6, 1, tzinfo=UTC),
    )
    old.get_model("assessment", "Answer").objects.create(
        assessment=assessment,
        question=question,
        respondent=user,
        level_value=2,
        notes="In DVC.",
        links="https://dvc.example",
    )
    result = old.get_model("assessment", "AssessmentResult").objects.create(
        assessment=assessment, version=version, method="maturity", counted=1, total=1, respondents=1
    )

    new = migrate(latest_targets())

    stored = new.get_model("assessment", "AssessmentResult").objects.get(pk=result.pk)
    assert (stored.export_schema, stored.project_name, stored.team_name, stored.title) == (
        1,
        "P",
        "T",
        "Before",
    )
    snapshot = new.get_model("assessment", "AnswerSnapshot").objects.get(result_id=result.pk)
    assert (snapshot.respondent, snapshot.value, snapshot.notes, snapshot.links) == (
        "ann",
        2,
        "In DVC.",
        "https://dvc.example",
    )
    # The link became a dated evidence row (issue #15): never confirmed, so dated by its last
    # change; the snapshot's copy is dated by the submit.
    answer = new.get_model("assessment", "Answer").objects.get()
    row = new.get_model("assessment", "Evidence").objects.get()
    assert (row.answer_id, row.kind, row.text, row.added_by_id) == (
        answer.pk,
        "link",
        "https://dvc.example",
        user.pk,
    )
    assert row.confirmed_at == answer.updated_at
    assert row.stale_after == answer.updated_at + timedelta(days=180)
    assert snapshot.evidence == [
        {
            "kind": "link",
            "text": "https://dvc.example",
            "source": "typed",
            "confirmed_at": "2026-06-01T00:00:00+00:00",
            "stale_after": "2026-11-28T00:00:00+00:00",
        }
    ]


@pytest.mark.django_db(transaction=True)
def test_the_portfolio_rows_start_from_each_projects_newest_result():
    old = migrate(
        [
            ("assessment", "0010_team_answers"),
            ("banks", "0001_initial"),
            ("projects", "0002_targets"),
        ]
    )
    bank = old.get_model("banks", "QuestionBank").objects.create(name="B", slug="b")
    version = old.get_model("banks", "BankVersion").objects.create(
        bank=bank, number=1, status="draft", scale=[0, 1, 2]
    )
    team = old.get_model("projects", "Team").objects.create(name="T", slug="t")
    project = old.get_model("projects", "Project").objects.create(team=team, name="P", slug="p")
    results = []
    for month, (score, value) in enumerate([(90, 2), (40, 1)], start=5):
        assessment = old.get_model("assessment", "Assessment").objects.create(
            project=project,
            version=version,
            title=f"Month {month}",
            status="submitted",
            submitted_at=datetime(2026, month, 1, tzinfo=UTC),
        )
        result = old.get_model("assessment", "AssessmentResult").objects.create(
            assessment=assessment,
            version=version,
            method="maturity",
            overall=score,
            counted=2,
            total=2,
            respondents=1,
        )
        old.get_model("assessment", "CategoryResult").objects.create(
            result=result,
            key="data",
            name="Data",
            order=0,
            weight=1,
            score=score,
            counted=1,  # data-b is N/A
            total=2,
        )
        for order, (key, na) in enumerate([("data-a", False), ("data-b", True)]):
            old.get_model("assessment", "QuestionResult").objects.create(
                result=result,
                question_key=key,
                category_key="data",
                order=order,
                text=key,
                weight=1,
                value=None if na else value,
                not_applicable=na,
            )
        results.append(result)

    new = migrate(latest_targets())

    latest = new.get_model("assessment", "LatestResult").objects.get()
    assert (latest.project_id, latest.bank_id, latest.team_id, latest.result_id) == (
        project.pk,
        bank.pk,
        team.pk,
        results[1].pk,
    )
    assert latest.submitted_at == datetime(2026, 6, 1, tzinfo=UTC) and latest.overall == 40
    # data-a at 1 is a gap; data-b is N/A, which is none.
    assert (latest.scores, latest.gaps) == ({"data": "40.0"}, ["data-a"])
    # Half of data's questions are N/A (0014): its score is low confidence.
    assert latest.low_confidence == ["data"]
    counts = new.get_model("assessment", "TeamScoreCount").objects.values_list(
        "team_id", "column", "score", "projects"
    )
    assert sorted(counts) == [(team.pk, "", 40, 1), (team.pk, "data", 40, 1)]
    gaps = new.get_model("assessment", "TeamGapCount").objects.values_list(
        "question_key", "projects"
    )
    assert list(gaps) == [("data-a", 1)]
