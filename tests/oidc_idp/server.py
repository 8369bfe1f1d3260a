"""Start the test OpenID Connect provider in a process of its own.

    provider = start_provider(tmp_path, redirect_uris=[...], users=[{...}])
    try:
        ...  # discovery at f"{provider.issuer}/.well-known/openid-configuration"
    finally:
        provider.stop()

Each call gets its own SQLite file and log under tmp_dir and a free port on 127.0.0.1. The setup
and the server run in subprocesses with DJANGO_SETTINGS_MODULE=tests.oidc_idp.settings, so the
calling process's Django settings are never touched.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "tests.oidc_idp.settings"
CLIENT_ID = "paydown"
START_TIMEOUT = 30.0
# The provider is local: never ask an HTTP(S)_PROXY of the environment for it.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Provider:
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
        return f"{self.issuer}/.well-known/openid-configuration"

    def stop(self) -> None:
        """Terminate the server (idempotent)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Provider:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


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
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if setup.returncode != 0:
        raise RuntimeError(
            f"Setting up the test OIDC provider failed:\n{setup.stdout}\n{setup.stderr}"
        )

    # The port is free when chosen but could be taken before the server binds it: a server that
    # exits at once is tried again on another port.
    exited = ""
    for attempt in range(3):
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        log_path = tmp_dir / f"oidc-idp-server-{attempt}.log"
        process = _serve(port, {**env, "OIDC_IDP_SITE_URL": base_url}, log_path)
        provider = Provider(
            issuer=f"{base_url}/openid",
            client_id=CLIENT_ID,
            client_secret=client_secret,
            base_url=base_url,
            log_path=log_path,
            process=process,
        )
        if _wait_until_ready(provider):
            return provider
        exited = log_path.read_text(errors="replace")
    raise RuntimeError(f"The test OIDC provider exited on start:\n{exited}")


def _environment(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    env["OIDC_IDP_DB"] = str(database)
    env.pop("OIDC_IDP_SITE_URL", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(port: int, env: dict[str, str], log_path: Path) -> subprocess.Popen:
    if importlib.util.find_spec("gunicorn"):
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.oidc_idp.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--access-logfile",
            "-",
        ]
    else:
        command = [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


def _wait_until_ready(provider: Provider) -> bool:
    """True once the discovery document answers 200, False if the server exits first."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            return False
        try:
            with _NO_PROXY.open(provider.discovery_url, timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    provider.stop()
    raise RuntimeError(
        f"The test OIDC provider did not answer {provider.discovery_url} within "
        f"{START_TIMEOUT:.0f} s:\n" + provider.log_path.read_text(errors="replace")
    )
