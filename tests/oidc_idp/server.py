"""Start the test OpenID Connect provider in a process of its own.

    provider = start_provider(tmp_path, redirect_uris=[...], users=[{...}])
    try:
        ...  # discovery at f"{provider.issuer}/.well-known/openid-configuration"
    finally:
        provider.stop()

Each call gets its own SQLite file and log under tmp_dir and a free port on 127.0.0.1. The setup
and the server run in subprocesses with DJANGO_SETTINGS_MODULE=tests.oidc_idp.settings, so the
calling process's Django settings are never touched. tests/idp_process.py starts and stops it.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests import idp_process

SETTINGS_MODULE = "tests.oidc_idp.settings"
CLIENT_ID = "paydown"
DISCOVERY_PATH = "/.well-known/openid-configuration"


@dataclass
class Provider(idp_process.ServedProcess):
    """A running test provider. `issuer` is the URL whose discovery document it serves, e.g.
    http://127.0.0.1:8123/openid; the client is confidential, response type "code", no consent."""

    issuer: str
    client_id: str
    client_secret: str
    base_url: str  # http://127.0.0.1:<port>, where /login/ is
    log_path: Path  # the server's stdout and stderr
    process: subprocess.Popen = field(repr=False)

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}{DISCOVERY_PATH}"


def start_provider(tmp_dir: Path, *, redirect_uris: list[str], users: list[dict]) -> Provider:
    """Set up a fresh provider database in tmp_dir and serve it on a free port of 127.0.0.1.

    users: dicts with username, password, email, name ("First Last") and groups (group names).
    Returns once the discovery document answers 200; raises RuntimeError (with the log) if it
    does not within 30 seconds.
    """
    tmp_dir = Path(tmp_dir)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    client_secret = secrets.token_urlsafe(32)
    env = _environment(tmp_dir / "oidc-idp.sqlite3")

    spec = {
        "client": {
            "client_id": CLIENT_ID,
            "client_secret": client_secret,
            "redirect_uris": list(redirect_uris),
        },
        "users": list(users),
    }
    setup = subprocess.run(
        [sys.executable, "-m", "tests.oidc_idp.setup_data"],
        input=json.dumps(spec),
        env=env,
        cwd=idp_process.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if setup.returncode != 0:
        raise RuntimeError(
            f"Setting up the test OIDC provider failed:\n{setup.stdout}\n{setup.stderr}"
        )

    def launch(attempt: int, port: int) -> idp_process.Launch:
        base_url = idp_process.local_url(port)
        return idp_process.Launch(
            command=_command(port),
            env={**env, "OIDC_IDP_SITE_URL": base_url},
            log_path=tmp_dir / f"oidc-idp-server-{attempt}.log",
            ready_url=f"{base_url}/openid{DISCOVERY_PATH}",
        )

    started = idp_process.serve_until_ready("The test OIDC provider", launch, probe_timeout=2)
    return Provider(
        issuer=f"{started.base_url}/openid",
        client_id=CLIENT_ID,
        client_secret=client_secret,
        base_url=started.base_url,
        log_path=started.log_path,
        process=started.process,
    )


def _environment(database: Path) -> dict[str, str]:
    env = idp_process.python_environment()
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    env["OIDC_IDP_DB"] = str(database)
    env.pop("OIDC_IDP_SITE_URL", None)
    return env


def _command(port: int) -> list[str]:
    return idp_process.gunicorn_command("tests.oidc_idp.wsgi:application", port) or [
        sys.executable,
        "-m",
        "django",
        "runserver",
        f"127.0.0.1:{port}",
        "--noreload",
    ]
