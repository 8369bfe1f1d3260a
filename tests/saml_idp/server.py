"""Start the test SAML 2.0 identity provider in a process of its own.

    with start_idp(tmp_path, users=[{...}]) as idp:
        ...  # the SP trusts idp.entity_id, idp.sso_url and idp.certificate_body

Each call generates a fresh self-signed signing key and certificate under tmp_dir, picks a free
port on 127.0.0.1 and runs `tests.saml_idp.app` there (gunicorn, or wsgiref when gunicorn is
missing). The server needs no Django. See app.py for the endpoints, the response it signs and how
service providers are accepted (any SP by default; only the one of sp_metadata_url if given).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests import idp_process
from tests.saml_idp import certs

CONFIG_ENV = "SAML_IDP_CONFIG"  # the path of the JSON configuration app.py reads


@dataclass
class Idp(idp_process.ServedProcess):
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

    def launch(attempt: int, port: int) -> idp_process.Launch:
        base_url = idp_process.local_url(port)
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
        return idp_process.Launch(
            command=_command(port),
            env=_environment(config_path),
            log_path=tmp_dir / f"saml-idp-server-{attempt}.log",
            ready_url=f"{base_url}/metadata",
        )

    started = idp_process.serve_until_ready("The test SAML IdP", launch, probe_timeout=5)
    base_url = started.base_url
    return Idp(
        entity_id=f"{base_url}/metadata",
        sso_url=f"{base_url}/sso/redirect",
        metadata_url=f"{base_url}/metadata",
        certificate_pem=keys.certificate_pem,
        base_url=base_url,
        log_path=started.log_path,
        key_path=keys.key_path,
        cert_path=keys.cert_path,
        process=started.process,
    )


def _environment(config_path: Path) -> dict[str, str]:
    env = idp_process.python_environment()
    env[CONFIG_ENV] = str(config_path)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the IdP is no Django project
    return env


def _command(port: int) -> list[str]:
    # One worker (gunicorn_command's): the AuthnRequests awaiting a login are kept in its memory.
    # No control socket, so that this server and the OIDC one never clash over its path.
    return idp_process.gunicorn_command(
        "tests.saml_idp.app:application", port, control_socket=False
    ) or [
        sys.executable,
        "-m",
        "tests.saml_idp.app",
        str(port),
    ]


def require_xmlsec1():
    """Skip a test that needs this IdP where the xmlsec1 program is missing (apt-get install
    xmlsec1); CI sets PAYDOWN_REQUIRE_BROWSER and must run it, so there it fails instead."""
    import pytest

    if shutil.which("xmlsec1") is None:
        reason = "no xmlsec1 program: apt-get install xmlsec1 to run the SAML identity provider"
        if os.environ.get("PAYDOWN_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)
