"""Gates fail the check with exit 1: overall score, level, category; also from [tool.paydown]."""

import pytest

from tests.cli.command import paydown, write_answers

# Version 2 of ml-technical-debt: data questions at the top, the rest unanswered (lowest).
DATA_AT_TOP = {
    "data-schema": 4,
    "data-input-validation": 4,
    "data-skew-detection": 4,
    "data-signal-stability": 4,
}


@pytest.fixture
def folder(tmp_path):
    write_answers(tmp_path, DATA_AT_TOP)
    return tmp_path


def scores(folder) -> tuple[float, int, dict[str, float]]:
    import json

    data = json.loads(paydown("check", "--format", "json", cwd=folder).stdout)
    return data["overall"], data["level"], {c["key"]: c["score"] for c in data["categories"]}


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["--fail-under", "99"], 1),
        (["--fail-under", "1"], 0),
        (["--fail-under-level", "1"], 1),
        (["--fail-under-level", "0"], 0),
        (["--fail-under-category", "data=90"], 1),
        (["--fail-under-category", "data=20"], 0),
        (["--fail-under-category", "code=1"], 1),
        (["--fail-under-category", "data=20", "--fail-under-category", "code=1"], 1),
        (["--fail-under", "1", "--fail-under-level", "1"], 1),
    ],
)
def test_a_gate_fails_with_exit_1_and_passes_with_0(folder, args, exit_code):
    result = paydown("check", *args, cwd=folder)

    assert result.returncode == exit_code, result.stderr
    assert ("FAIL " in result.stdout) == (exit_code == 1)


def test_the_fixture_scores_as_the_gates_assume(folder):
    overall, level, categories = scores(folder)

    assert 1 <= overall < 99
    assert level == 0
    assert 20 <= categories["data"] < 90
    assert categories["code"] == 0


def test_the_failed_gate_is_named(folder):
    result = paydown("check", "--fail-under-category", "code=10", cwd=folder)

    assert "FAIL code 0.0 fails --fail-under-category 10" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-under", "lots"], "'lots' is not a number"),
        (["--fail-under-category", "data"], "expected CATEGORY=SCORE"),
        (["--fail-under-category", "nope=5"], "--fail-under-category nope: no such category"),
    ],
)
def test_a_malformed_gate_is_a_usage_error(folder, args, message):
    result = paydown("check", *args, cwd=folder)

    assert result.returncode == 2
    assert message in result.stderr


def test_pyproject_sets_a_gate(folder):
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "model"\n\n[tool.paydown]\nfail-under = 99\n'
    )

    assert paydown("check", cwd=folder).returncode == 1
    assert paydown("check", "--fail-under", "1", cwd=folder).returncode == 0  # the option wins


def test_pyproject_sets_category_gates_the_file_and_the_format(tmp_path):
    write_answers(tmp_path, DATA_AT_TOP, name="answers.yml")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.paydown]\nfile = "answers.yml"\nformat = "markdown"\n\n'
        "[tool.paydown.fail-under-category]\ndata = 20\ncode = 1\n"
    )

    result = paydown("check", cwd=tmp_path)

    assert result.returncode == 1
    assert "❌ code 0.0 fails --fail-under-category 1" in result.stdout
    assert "✅ data" in result.stdout


def test_an_unknown_pyproject_setting_is_a_usage_error(folder):
    (folder / "pyproject.toml").write_text("[tool.paydown]\nfail_under = 50\n")

    result = paydown("check", cwd=folder)

    assert result.returncode == 2
    assert "tool.paydown.fail_under: unknown setting" in result.stderr
