"""Each output format parses: JSON, JUnit XML, SARIF 2.1.0, and Markdown with a table."""

import json
from xml.etree import ElementTree

import pytest

from tests.cli.command import paydown, write_answers

GATES = ["--fail-under", "99", "--fail-under-level", "0"]  # one fails, one passes


@pytest.fixture
def folder(tmp_path):
    write_answers(
        tmp_path, {"data-schema": 3, "data-signal-stability": "na", "code-feature-tests": "?"}
    )
    return tmp_path


def check(folder, fmt: str) -> str:
    result = paydown("check", "--format", fmt, *GATES, cwd=folder)
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_json_has_the_scores_and_the_gates(folder):
    data = json.loads(check(folder, "json"))

    assert (data["bank"], data["version"], data["method"]) == ("ml-technical-debt", 2, "maturity")
    assert [c["key"] for c in data["categories"]][:2] == ["data", "code"]
    assert [(g["gate"], g["passed"]) for g in data["gates"]] == [
        ("fail-under", False),
        ("fail-under-level", True),
    ]
    assert data["passed"] is False


def test_junit_has_a_case_per_gate_and_the_failure(folder):
    root = ElementTree.fromstring(check(folder, "junit"))

    suite = root.find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("3", "1")
    failures = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert [case.get("name") for case in failures] == ["fail-under overall"]


def test_sarif_has_one_error_per_failed_gate(folder):
    log = json.loads(check(folder, "sarif"))

    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "paydown"
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} >= {"fail-under"}
    [result] = run["results"]
    assert (result["ruleId"], result["level"]) == ("fail-under", "error")
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert location == "paydown.yml"


def test_markdown_has_a_table_of_categories(folder):
    lines = check(folder, "markdown").splitlines()

    assert lines[0] == "## Paydown: ML technical debt v2"
    header = lines.index("| Category | Score | Level | Applicable |")
    assert lines[header + 1] == "| --- | ---: | --- | ---: |"
    assert lines[header + 2].startswith("| Data | ")
    assert any(line.startswith("- ❌ overall score") for line in lines)


def test_text_is_the_default(folder):
    assert check(folder, "text") == paydown("check", *GATES, cwd=folder).stdout
