"""Start the test SAML 2.0 identity provider in a process of its own.

    with start_idp(tmp_path, users=[{...}]) as idp:
        ...  # the SP trusts idp.entity_id, idp.sso_url and idp.certificate_body

Each call generates a fresh self-signed signing key and certificate under tmp_dir, picks a free
port on 127.0.0.1 and runs `tests.saml_idp.app` there (gunicorn, or wsgiref when gunicorn is
missing). The server needs no Django. See app.py for the endpoints, the response it signs and how
service providers are accepted (any SP by default; only the one of sp_metadata_url if given).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tests.saml_idp import certs

REPO = Path(__file__).resolve().parents[2]
CONFIG_ENV = "SAML_IDP_CONFIG"  # the path of the JSON configuration app.py reads
START_TIMEOUT = 30.0
# The IdP is local: never ask an HTTP(S)_PROXY of the environment for it.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Idp:
    """A running test IdP. It signs its responses and their assertions with the key of
    `certificate_pem`; an SP configured with `entity_id`, `sso_url` (HTTP-Redirect binding) and
    `certificate_body` can verify them."""

    entity_id: str  # http://127.0.0.1:<port>/metadata
    sso_url: str  # http://127.0.0.1:<port>/sso/redirect
    metadata_url: str  # the same as entity_id
    certificate_pem: str  # "-----BEGIN CERTIFICATE-----\n...", the signing certificate
    base_url: str  # http://127.0.0.1:<port>
    log_path: Path  # the server's stdout and stderr
    key_path: Path
    cert_path: Path
    process: subprocess.Popen = field(repr=False)

    @property
    def certificate_body(self) -> str:
        """The certificate's base64 on one line, without header and footer (python3-saml's and
        allauth's `x509cert`)."""
        return certs.certificate_body(self.certificate_pem)

    def stop(self) -> None:
        """Terminate the server (idempotent)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Idp:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def start_idp(tmp_dir: Path, *, users: list[dict], sp_metadata_url: str | None = None) -> Idp:
    """Generate a signing key and certificate in tmp_dir and serve the IdP on a free port.

    users: dicts with username, password, email, name ("First Last") and groups (group names).
    sp_metadata_url: when given, only the SP of that metadata is answered, and only at its
    HTTP-POST AssertionConsumerServices; the metadata is fetched at the first AuthnRequest, so
    the SP may start after the IdP. When None, any SP is answered at the ACS URL of its request.
    Returns once /metadata answers 200; raises RuntimeError (with the log) if it does not within
    30 seconds.
    """
    tmp_dir = Path(tmp_dir)
    tmp_dir.mkdir(parents=True, exist_ok=True)
    for user in users:
        missing = {"username", "password", "email"} - set(user)
        if missing:
            raise ValueError(f"A user of the test SAML IdP lacks {sorted(missing)}: {user!r}")
    keys = certs.generate(tmp_dir)

    # The port is free when chosen but could be taken before the server binds it: a server that
    # exits at once is tried again on another port.
    exited = ""
    for attempt in range(3):
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        config_path = tmp_dir / f"saml-idp-{attempt}.json"
        config_path.write_text(
            json.dumps(
                {
                    "base_url": base_url,
                    "key_file": str(keys.key_path),
                    "cert_file": str(keys.cert_path),
                    "users": list(users),
                    "sp_metadata_url": sp_metadata_url,
                },
                indent=2,
            )
        )
        config_path.chmod(0o600)
        log_path = tmp_dir / f"saml-idp-server-{attempt}.log"
        process = _serve(port, _environment(config_path), log_path)
        idp = Idp(
            entity_id=f"{base_url}/metadata",
            sso_url=f"{base_url}/sso/redirect",
            metadata_url=f"{base_url}/metadata",
            certificate_pem=keys.certificate_pem,
            base_url=base_url,
            log_path=log_path,
            key_path=keys.key_path,
            cert_path=keys.cert_path,
            process=process,
        )
        if _wait_until_ready(idp):
            return idp
        exited = log_path.read_text(errors="replace")
    raise RuntimeError(f"The test SAML IdP exited on start:\n{exited}")


def _environment(config_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env[CONFIG_ENV] = str(config_path)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the IdP is no Django project
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
            "tests.saml_idp.app:application",
            "--bind",
            f"127.0.0.1:{port}",
            # One worker: the AuthnRequests awaiting a login are kept in its memory.
            "--workers",
            "1",
            "--threads",
            "4",
            "--access-logfile",
            "-",
            *_without_control_socket(),
        ]
    else:
        command = [sys.executable, "-m", "tests.saml_idp.app", str(port)]
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )


def _without_control_socket() -> list[str]:
    """Gunicorn 25.1+ opens a control socket, by default one path shared by every server of
    the user: ask for none, so that this server and others (the OIDC one) never clash."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


def _wait_until_ready(idp: Idp) -> bool:
    """True once /metadata answers 200, False if the server exits first."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if idp.process.poll() is not None:
            return False
        try:
            with _NO_PROXY.open(idp.metadata_url, timeout=5) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    idp.stop()
    raise RuntimeError(
        f"The test SAML IdP did not answer {idp.metadata_url} within {START_TIMEOUT:.0f} s:\n"
        + idp.log_path.read_text(errors="replace")
    )


def require_xmlsec1():
    """Skip a test that needs this IdP where the xmlsec1 program is missing (apt-get install
    xmlsec1); CI sets PAYDOWN_REQUIRE_BROWSER and must run it, so there it fails instead."""
    import pytest

    if shutil.which("xmlsec1") is None:
        reason = "no xmlsec1 program: apt-get install xmlsec1 to run the SAML identity provider"
        if os.environ.get("PAYDOWN_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
