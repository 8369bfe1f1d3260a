"""`paydown check` validates a paydown.yml against its bank (exit 2 with the path) and scores it."""

import pytest

from tests.cli.command import paydown, write_answers


def test_a_valid_file_prints_its_score_and_exits_0(tmp_path):
    write_answers(
        tmp_path, {"data-schema": 4, "data-input-validation": 2, "data-skew-detection": None}
    )

    result = paydown("check", "paydown.yml", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("paydown.yml: ml-technical-debt v2: overall ")
    assert "level 0 Ad hoc" in result.stdout
    assert "questions unanswered" in result.stdout


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ({"no-such-question": 2}, "answers.no-such-question: unknown question key"),
        ({"data-schema": 7}, "answers.data-schema.level: 7 is not on the bank's scale [0, 1, 2, 3, 4]"),
        ({"data-schema": "na"}, "answers.data-schema.level: this question cannot be answered not applicable"),
        ({"data-schema": "maybe"}, "answers.data-schema.level: 'maybe' is not a level"),
    ],
)  # fmt: skip
def test_an_invalid_answer_exits_2_with_its_path(tmp_path, levels, message):
    write_answers(tmp_path, levels)

    result = paydown("check", "paydown.yml", cwd=tmp_path)

    assert result.returncode == 2
    assert f"paydown.yml: {message}" in result.stderr
    assert result.stdout == ""


def test_not_applicable_needs_a_reason(tmp_path):
    (tmp_path / "paydown.yml").write_text(
        "bank: ml-technical-debt\nanswers:\n  data-signal-stability:\n    level: na\n"
    )

    result = paydown("check", cwd=tmp_path)

    assert result.returncode == 2
    assert "answers.data-signal-stability.reason: not applicable needs a reason" in result.stderr


def test_every_problem_is_listed(tmp_path):
    write_answers(tmp_path, {"data-schema": 9, "nope": 1})

    result = paydown("check", cwd=tmp_path)

    assert result.returncode == 2
    assert "answers.data-schema.level" in result.stderr
    assert "answers.nope" in result.stderr


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bank: ml-technical-debt\nanswers: [1, 2\n", "answers: invalid YAML at line 3"),
        ("bank: x\nbank: y\n", "bank: duplicate key (first on line 1)"),
        ("- just a list\n", "file: expected a mapping"),
        ("answers: {}\n", "bank: the bank's slug is required"),
        ("bank: ml-technical-debt\nversion: 9\n", "no shipped bank ml-technical-debt v9"),
    ],
)
def test_a_malformed_file_exits_2(tmp_path, text, message):
    (tmp_path / "paydown.yml").write_text(text)

    result = paydown("check", "paydown.yml", cwd=tmp_path)

    assert result.returncode == 2
    assert message in result.stderr


def test_a_missing_file_exits_2(tmp_path):
    result = paydown("check", "absent.yml", cwd=tmp_path)

    assert result.returncode == 2
    assert "absent.yml: No such file or directory" in result.stderr


def test_a_bank_file_can_be_given(tmp_path):
    from paydown import bankfile

    bank = tmp_path / "bank.yaml"
    bank.write_bytes((bankfile.FILES / "ml-technical-debt.yaml").read_bytes())
    write_answers(tmp_path, {"data-schema": 4}, version=None)

    result = paydown("check", "--bank-file", "bank.yaml", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "ml-technical-debt v1" in result.stdout


def test_a_broken_bank_file_exits_2_with_its_problem(tmp_path):
    (tmp_path / "bank.yaml").write_text("slug: x\n")
    write_answers(tmp_path, {"data-schema": 4})

    result = paydown("check", "--bank-file", "bank.yaml", cwd=tmp_path)

    assert result.returncode == 2
    assert "bank.yaml: file: 'name' is a required property" in result.stderr


def test_validate_only_prints_nothing_for_a_valid_file(tmp_path):
    write_answers(tmp_path, {"data-schema": 4})

    result = paydown("check", "--validate-only", "--fail-under", "100", cwd=tmp_path)

    assert (result.returncode, result.stdout) == (0, "")


def test_an_unknown_option_is_a_usage_error(tmp_path):
    assert paydown("check", "--fail-over", "3", cwd=tmp_path).returncode == 2


def test_version_2_refuses_handled_by_another_team_as_the_server_does(tmp_path):
    (tmp_path / "paydown.yml").write_text(
        "bank: ml-technical-debt\nanswers:\n  data-signal-stability:\n"
        "    level: na\n    reason: other_team\n"
    )

    result = paydown("check", cwd=tmp_path)

    assert result.returncode == 2
    assert (
        "answers.data-signal-stability.reason: not applicable needs a reason: out_of_scope, "
        "not_used" in result.stderr
    )
    assert "other_team" not in result.stderr
