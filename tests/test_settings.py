import os
import subprocess
import sys
from pathlib import Path

import pytest

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
