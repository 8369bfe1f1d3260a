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


SHOW_CONNECTIONS = (
    "from django.conf import settings; d = settings.DATABASES;"
    "print([(a, d[a]['CONN_MAX_AGE'], d[a].get('OPTIONS', {}).get('pool'),"
    " d[a].get('DISABLE_SERVER_SIDE_CURSORS', False)) for a in sorted(d)])"
)
POSTGRES_URLS = {
    "DEBUG": "1",
    "DATABASE_URL": "postgres://u:p@10.0.0.1:5432/paydown",
    "DATABASE_REPLICA_URL": "postgres://u:p@10.0.0.2:5432/paydown",
}


def shown_connections(env: dict[str, str]) -> str:
    shown = run_manage("shell", "-c", SHOW_CONNECTIONS, env=env)
    assert shown.returncode == 0, shown.stderr
    return shown.stdout.strip().splitlines()[-1]


def test_a_pool_size_gives_both_postgres_databases_a_pool_without_persistent_connections():
    """The replica's pool gives up on a connection after 2 s, like its connect timeout: make
    topology-test found dashboards waiting the pool's 10 s for a replica that had stopped."""
    primary = "{'min_size': 2, 'max_size': 8, 'timeout': 10}"
    replica = "{'min_size': 2, 'max_size': 8, 'timeout': 2}"
    assert shown_connections({**POSTGRES_URLS, "DATABASE_POOL_SIZE": "8"}) == (
        f"[('default', 0, {primary}, False), ('replica', 0, {replica}, False)]"
    )


def test_without_a_pool_size_connections_persist_as_before():
    assert shown_connections({**POSTGRES_URLS, "CONN_MAX_AGE": "60"}) == (
        "[('default', 60, None, False), ('replica', 60, None, False)]"
    )


def test_behind_pgbouncer_server_side_cursors_are_off():
    assert shown_connections({**POSTGRES_URLS, "DATABASE_PGBOUNCER": "1"}).count(", True)") == 2


def test_sqlite_ignores_the_pool_size():
    env = {"DEBUG": "1", "DATABASE_URL": "sqlite:////tmp/paydown-pool.sqlite3"}
    assert shown_connections({**env, "DATABASE_POOL_SIZE": "8"}) == "[('default', 0, None, False)]"
