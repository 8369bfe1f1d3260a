"""`paydown init` writes a paydown.yml with every question of the bank, levels as comments."""

import sys
from pathlib import Path

import yaml
from paydown import bankfile

from tests.cli.command import paydown


def keys_of(bank: dict) -> list[str]:
    return [q["key"] for c in bank["categories"] for q in c["questions"]]


def test_the_console_script_is_installed_beside_the_interpreter():
    assert (Path(sys.executable).parent / "paydown").is_file()


def test_init_writes_every_question_key_with_empty_answers(tmp_path):
    result = paydown("init", "--bank", "ml-technical-debt", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    written = yaml.safe_load((tmp_path / "paydown.yml").read_text())
    bank = bankfile.shipped("ml-technical-debt")
    assert (written["bank"], written["version"]) == ("ml-technical-debt", bank["version"])
    assert list(written["answers"]) == keys_of(bank)
    assert all(entry["level"] is None for entry in written["answers"].values())


def test_init_shows_each_question_and_its_levels_as_comments(tmp_path):
    paydown("init", "--bank", "ml-technical-debt", "--bank-version", "1", cwd=tmp_path)

    text = (tmp_path / "paydown.yml").read_text()
    assert "  data-schema:\n    # How are the expectations on each input feature" in text
    assert "    #   0: Absent\n    #   1: Tacit\n" in text


def test_init_can_write_the_ml_test_score(tmp_path):
    result = paydown("init", "--bank", "ml-test-score", "-o", "score.yml", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    written = yaml.safe_load((tmp_path / "score.yml").read_text())
    assert list(written["answers"]) == keys_of(bankfile.shipped("ml-test-score"))


def test_init_keeps_an_existing_file_unless_forced(tmp_path):
    (tmp_path / "paydown.yml").write_text("mine\n")

    kept = paydown("init", cwd=tmp_path)
    forced = paydown("init", "--force", cwd=tmp_path)

    assert kept.returncode == 2
    assert "paydown.yml exists" in kept.stderr
    assert forced.returncode == 0
    assert (tmp_path / "paydown.yml").read_text().startswith("# Paydown answers")


def test_an_unknown_bank_is_a_usage_error(tmp_path):
    result = paydown("init", "--bank", "no-such-bank", cwd=tmp_path)

    assert result.returncode == 2
    assert "no shipped bank no-such-bank" in result.stderr


def test_the_written_file_checks_clean(tmp_path):
    paydown("init", cwd=tmp_path)

    result = paydown("check", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "overall 0.0 / 100" in result.stdout
