"""Run a test identity provider (tests/oidc_idp, tests/saml_idp) in a process of its own.

    started = serve_until_ready("The test SAML IdP", launch, probe_timeout=5)

`launch(attempt, port)` says how to serve on a free port of 127.0.0.1: the command, its
environment, where its stdout and stderr go and the URL that must answer 200 once it is up.
A server that exits at once is tried again on another port, up to 3 times; one that does not
answer within 30 seconds is stopped. Either way RuntimeError carries the server's log.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Self

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT = 30.0
ATTEMPTS = 3
# The servers are local: never ask an HTTP(S)_PROXY of the environment for them.
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Launch:
    """How to start one try of a server on its port."""

    command: list[str]
    env: dict[str, str]
    log_path: Path  # the server's stdout and stderr
    ready_url: str  # answers 200 once the server is up


@dataclass(frozen=True)
class Started:
    """A server that answers its ready_url."""

    process: subprocess.Popen
    port: int
    base_url: str  # http://127.0.0.1:<port>
    log_path: Path


class ServedProcess:
    """For the dataclass of a running server (a field `process`): stop() and `with`."""

    process: subprocess.Popen

    def stop(self) -> None:
        """Terminate the server (idempotent)."""
        stop(self.process)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def local_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """Terminate the process, kill it if it has not ended within 10 seconds (idempotent)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def python_environment() -> dict[str, str]:
    """This process's environment, with the repository importable and the output unbuffered."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return env


def gunicorn_command(app: str, port: int, *, control_socket: bool = True) -> list[str] | None:
    """`python -m gunicorn app` on 127.0.0.1:port, one worker of 4 threads with the access log
    on stdout; None where gunicorn is not installed. control_socket=False asks gunicorn 25.1+
    for no control socket."""
    if not importlib.util.find_spec("gunicorn"):
        return None
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--threads",
        "4",
        "--access-logfile",
        "-",
    ]
    if not control_socket:
        command += _without_control_socket()
    return command


def _without_control_socket() -> list[str]:
    """Gunicorn 25.1+ opens a control socket, by default one path shared by every server of
    the user: ask for none, so that this server and others never clash."""
    from gunicorn.config import KNOWN_SETTINGS

    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        return ["--no-control-socket"]
    return []


def serve_until_ready(
    what: str, launch: Callable[[int, int], Launch], *, probe_timeout: float
) -> Started:
    """Start `launch(attempt, port)` on a free port until it answers its ready_url.

    what names the server in the errors ("The test OIDC provider"). probe_timeout: seconds one
    request to ready_url may take.
    """
    # The port is free when chosen but could be taken before the server binds it: a server that
    # exits at once is tried again on another port.
    exited = ""
    for attempt in range(ATTEMPTS):
        port = free_port()
        plan = launch(attempt, port)
        with open(plan.log_path, "wb") as log:
            process = subprocess.Popen(
                plan.command,
                cwd=REPO,
                env=plan.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        if _wait_until_ready(what, process, plan, probe_timeout):
            return Started(process, port, local_url(port), plan.log_path)
        exited = plan.log_path.read_text(errors="replace")
    raise RuntimeError(f"{what} exited on start:\n{exited}")


def _wait_until_ready(
    what: str, process: subprocess.Popen, plan: Launch, probe_timeout: float
) -> bool:
    """True once plan.ready_url answers 200, False if the server exits first."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with NO_PROXY.open(plan.ready_url, timeout=probe_timeout) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    stop(process)
    raise RuntimeError(
        f"{what} did not answer {plan.ready_url} within {START_TIMEOUT:.0f} s:\n"
        + plan.log_path.read_text(errors="replace")
    )
