"""`paydown push` against a live server: the file is answered through the API as the token's user,
submitted on request, scored the same as offline, and gated (issue #14)."""

import json
import os
import subprocess
import sys

import pytest

from assessment.models import Answer, Assessment
from projects import services as project_services
from tests.cli.command import write_answers

SCOPES = ["read", "answer", "submit", "manage"]


@pytest.fixture
def server(live_server, shipped_banks, project1, bob, settings):
    """The live server's URL, and bob's token in the environment the command gets."""
    settings.PAYDOWN_API_RATE = 10_000  # a push is a request a question; the budget is tested apart
    token = project_services.create_api_token(user=bob, name="ci", scopes=SCOPES)[1]
    return live_server.url, {**os.environ, "PAYDOWN_TOKEN": token}


def push(tmp_path, env, *args):
    return subprocess.run(
        [sys.executable, "-m", "paydown", "push", *args],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def every_question(shipped_banks, level) -> dict:
    version = shipped_banks["ml-technical-debt-v2"]
    return {q.key: level for q in version.questions.all()}


def test_push_submit_answers_and_submits_with_the_offline_score(
    tmp_path, server, shipped_banks, project1, bob
):
    url, env = server
    levels = every_question(shipped_banks, 2) | {"data-schema": 4, "ops-input-drift": 0}
    write_answers(tmp_path, levels)
    offline = subprocess.run(
        [sys.executable, "-m", "paydown", "check", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip

    result = push(tmp_path, env, "--server", url, "--project", project1.slug, "--submit")

    assert result.returncode == 0, result.stderr
    assessment = Assessment.objects.get(project=project1)
    assert assessment.status == Assessment.Status.SUBMITTED and assessment.submitted_by == bob
    assert Answer.objects.filter(assessment=assessment, respondent=bob).count() == len(levels)
    expected = json.loads(offline.stdout)
    assert float(assessment.result.overall) == expected["overall"]
    assert assessment.result.level == expected["level"]
    assert f"/assessments/{assessment.pk}/ (submitted)" in result.stderr


def test_push_without_submit_leaves_the_assessment_open_and_gates_still_apply(
    tmp_path, server, shipped_banks, project1
):
    url, env = server
    write_answers(tmp_path, every_question(shipped_banks, 1))

    result = push(tmp_path, env, "--server", url, "--project", project1.slug, "--fail-under", "90")

    assert result.returncode == 1
    assert Assessment.objects.get().status == Assessment.Status.IN_PROGRESS
    assert "fails --fail-under 90" in result.stdout


def test_fail_on_regression_compares_with_the_last_submitted_result(
    tmp_path, server, shipped_banks, project1
):
    url, env = server
    args = ["--server", url, "--project", project1.slug, "--submit", "--fail-on-regression"]
    write_answers(tmp_path, every_question(shipped_banks, 3))
    first = push(tmp_path, env, *args)
    write_answers(tmp_path, every_question(shipped_banks, 2))

    second = push(tmp_path, env, *args)

    assert (first.returncode, second.returncode) == (0, 1)
    assert "fails --fail-on-regression" in second.stdout


@pytest.mark.parametrize("case", ["no token", "other team", "bad file"])
def test_push_refusals_exit_2_and_change_nothing(
    tmp_path, server, shipped_banks, project1, project2, case
):
    url, env = server
    write_answers(tmp_path, every_question(shipped_banks, 2))
    project = project1.slug
    if case == "no token":
        env = {k: v for k, v in env.items() if k != "PAYDOWN_TOKEN"}
    elif case == "other team":
        project = project2.slug
    else:
        write_answers(tmp_path, {"data-schema": 9})

    result = push(tmp_path, env, "--server", url, "--project", project, "--submit")

    assert result.returncode == 2
    assert result.stderr.startswith("paydown: ")
    assert not Assessment.objects.exists()
    if case == "other team":
        assert "404 Not found" in result.stderr
