import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import settings as settings_module

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "paydown.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://paydown.example.com",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "HTTPS", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_with_debug_off_refuses_to_start_with_one_line():
    result = run_manage("check", env={"DEBUG": "0"})

    assert result.returncode != 0
    assert "SECRET_KEY is not set: set SECRET_KEY" in result.stderr


def test_missing_secret_key_is_allowed_in_debug():
    result = run_manage("check", env={"DEBUG": "1"})

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("debug", ["0", ""])
def test_check_deploy_is_clean_with_production_values(debug):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, "DEBUG": debug}
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("Yes", True), (" on ", True), ("0", False), ("off", False), ("", None)],
)
def test_yes_no_settings_read_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("PAYDOWN_FLAG", raw)

    assert settings_module.env_bool("PAYDOWN_FLAG", default=None) is expected


@pytest.mark.parametrize("raw", ["ture", "2", "enabled"])
def test_a_yes_no_typo_stops_the_start_with_a_message(monkeypatch, raw):
    monkeypatch.setenv("PAYDOWN_FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match=f"PAYDOWN_FLAG='{raw}' is not a yes/no value"):
        settings_module.env_bool("PAYDOWN_FLAG")


def test_debug_ture_refuses_to_start():
    result = run_manage("check", env={"DEBUG": "ture"})

    assert result.returncode != 0
    assert "DEBUG='ture' is not a yes/no value" in result.stderr


def test_a_number_setting_that_is_not_a_number_refuses_to_start():
    result = run_manage("check", env={"DEBUG": "1", "STALE_AFTER_DAYS": "ninety"})

    assert result.returncode != 0
    assert "STALE_AFTER_DAYS='ninety' is not a whole number." in result.stderr
