"""`paydown scan` as a user runs it (issue #15): the fixture repositories against their golden
scans, every format, --write into an answers file, and --push to a live server.

The golden files (tests/fixtures/scans/) were reviewed by hand, line by line. After changing a
rule or a fixture, write them anew and review the diff:

    for r in tests/fixtures/repos/*/; do n=$(basename $r)
      .venv/bin/paydown scan $r --bank ml-technical-debt --bank-version 2 --format json -o tests/fixtures/scans/$n.ml-technical-debt-v2.json
      .venv/bin/paydown scan $r --bank ml-test-score --format json -o tests/fixtures/scans/$n.ml-test-score-v1.json
    done
"""

import json
import os
from pathlib import Path

import jsonschema
import pytest
import yaml
from paydown.scan.document import SCHEMA_PATH

from tests.cli.command import paydown, write_answers

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REPOS = FIXTURES / "repos"
GOLDEN = sorted((FIXTURES / "scans").glob("*.json"))
BANKS = {
    "ml-technical-debt-v2": ("ml-technical-debt", "2"),
    "ml-test-score-v1": ("ml-test-score", "1"),
}


def scan(repo: str, *args: str, cwd: Path = REPOS):
    return paydown("scan", str(REPOS / repo), *args, cwd=cwd)


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda p: p.stem)
def test_each_fixture_repository_scans_as_its_reviewed_golden_file(golden):
    repo, bank = golden.stem.split(".")
    slug, version = BANKS[bank]
    result = scan(repo, "--bank", slug, "--bank-version", version, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(golden.read_text())


@pytest.mark.parametrize("golden", GOLDEN, ids=lambda p: p.stem)
def test_every_suggestion_has_a_file_and_line_that_say_what_the_excerpt_says(golden):
    data = json.loads(golden.read_text())
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text()))
    repo = REPOS / golden.stem.split(".")[0]
    for question in data["questions"]:
        if question["status"] != "suggested":
            assert question["suggested_level"] is None and question["evidence"] == []
            continue
        assert question["evidence"], question["key"]
        for item in question["evidence"]:
            lines = (repo / item["path"]).read_text().splitlines()
            assert 1 <= item["line"] <= len(lines)
            # the excerpt is the line (a notebook's: its source text), cut at 160 characters
            assert item["excerpt"].rstrip("…")[:40].strip('"') in lines[item["line"] - 1].replace(
                '\\"', '"'
            )


def test_the_empty_repository_gets_no_level_at_all():
    for golden in (FIXTURES / "scans").glob("empty.*.json"):
        data = json.loads(golden.read_text())
        assert data["summary"]["suggested"] == 0
        assert {q["suggested_level"] for q in data["questions"]} == {None}


def test_the_text_format_lists_suggestions_with_evidence_and_what_was_not_detected():
    result = scan("dvc-mlflow")
    assert result.returncode == 0
    assert "data-training-snapshots: suggested level 3 (high) — 2 files" in result.stdout
    assert "  dvc.lock:1  [data-training-snapshots-dvc-lock]  schema: '2.0'" in result.stdout
    assert "Not detected (not a pass; answer these yourself):" in result.stdout


def test_the_markdown_format_is_a_table_and_details():
    result = scan("dvc-mlflow", "--format", "markdown")
    assert "| `data-training-snapshots` | 3 | high | 2 |" in result.stdout
    assert "- `dvc.lock:1` (data-training-snapshots-dvc-lock): `schema: '2.0'`" in result.stdout


def test_the_sarif_format_has_one_note_per_piece_of_evidence():
    result = scan("dvc-mlflow", "--format", "sarif")
    sarif = json.loads(result.stdout)
    run = sarif["runs"][0]
    golden = json.loads((FIXTURES / "scans/dvc-mlflow.ml-technical-debt-v2.json").read_text())
    evidence = [e for q in golden["questions"] for e in q["evidence"]]
    assert sarif["version"] == "2.1.0"
    assert len(run["results"]) == len(evidence)
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    first = run["results"][0]
    assert first["level"] == "note"
    assert rule_ids[first["ruleIndex"]] == first["ruleId"]
    location = first["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == (
        evidence[0]["path"],
        evidence[0]["line"],
    )


def test_write_adds_comments_under_each_question_and_never_changes_an_answer(tmp_path):
    answers = write_answers(tmp_path, {"data-training-snapshots": 1, "data-schema": None})
    before = yaml.safe_load(answers.read_text())

    for _ in range(2):  # a second scan replaces the first one's comments
        result = paydown("scan", str(REPOS / "dvc-mlflow"), "--write", str(answers), cwd=tmp_path)
        assert result.returncode == 0, result.stderr

    text = answers.read_text()
    assert yaml.safe_load(text) == before  # levels, notes and links as they were
    lines = text.splitlines()
    at = lines.index("  data-training-snapshots:")
    assert lines[at + 1] == "    # paydown scan: suggests level 3 (high), 2 files"
    assert (
        lines[at + 2]
        == "    # paydown scan:   data/raw.csv.dvc:1 [data-training-snapshots-dvc-tracked-data]"
    )
    assert text.count("# paydown scan: suggests") == 15  # one a suggestion, not two
    # A suggested question missing from the file is appended as a comment, not as an answer.
    assert "  # paydown scan: code-pipeline-structure" in text
    check = paydown("check", str(answers), "--validate-only", cwd=tmp_path)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-folder"], "no-such-folder: not a folder"),
        (["dvc-mlflow", "--bank", "no-such-bank"], "no-such-bank"),
        (["dvc-mlflow", "--push", "1"], "give --server"),
    ],
)
def test_usage_errors_exit_2_with_a_message(tmp_path, args, message):
    result = paydown(
        "scan", *[str(REPOS / a) if i == 0 else a for i, a in enumerate(args)], cwd=tmp_path
    )
    assert result.returncode == 2
    assert message in result.stderr


def test_write_refuses_an_answers_file_of_another_bank(tmp_path):
    answers = write_answers(tmp_path, {}, bank="ml-test-score", version=1)
    before = answers.read_text()
    result = paydown(
        "scan", str(REPOS / "dvc-mlflow"), "--bank", "ml-technical-debt", "--write", str(answers),
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2
    assert "answers ml-test-score" in result.stderr
    assert answers.read_text() == before


@pytest.fixture
def server(live_server, shipped_banks, project1, bob, settings):
    from projects import services as project_services

    token = project_services.create_api_token(user=bob, name="ci", scopes=["read", "answer"])[1]
    return live_server.url, {**os.environ, "PAYDOWN_TOKEN": token}


def test_push_attaches_the_scan_to_the_assessment_and_answers_nothing(
    tmp_path, server, shipped_banks, project1, bob
):
    import subprocess
    import sys

    from assessment import services
    from assessment.models import Answer, ScanSuggestion

    url, env = server
    assessment = services.start_assessment(
        project=project1, version=shipped_banks["ml-technical-debt-v2"], started_by=bob, title="Q1"
    )
    result = subprocess.run(
        [sys.executable, "-m", "paydown", "scan", str(REPOS / "dvc-mlflow"), "--format", "json",
         "--push", str(assessment.pk), "--server", url],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "15 suggestions wait on their questions" in result.stderr
    suggestions = ScanSuggestion.objects.filter(assessment=assessment)
    assert suggestions.count() == 15
    assert suggestions.get(question__key="data-training-snapshots").level_value == 3
    assert not Answer.objects.filter(assessment=assessment).exists()
