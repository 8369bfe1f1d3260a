"""gunicorn and the worker as children of bench/run.py: own process groups, ended with it."""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when bench/run.py dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Children:
    """gunicorn and the worker, each in a process group of its own, ended together on exit."""

    def __init__(self, log_prefix: str = "/tmp/paydown-bench-") -> None:
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.log_prefix = log_prefix

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = Path(f"{self.log_prefix}{name}.log")
        self.logs[name] = log
        with log.open("wb") as out:
            process = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,  # before any thread is started
            )
        self.processes[name] = process
        return process

    def check(self, name: str) -> None:
        process = self.processes[name]
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited ({process.returncode}):\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        text = self.logs[name].read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def kill(self, name: str) -> None:
        """SIGKILL the child and its process group: a machine or container that dies at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait()

    def stop(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nice_of(pid: int) -> int:
    # /proc/<pid>/stat: the 19th field is the nice value; the name (2nd) may hold spaces.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[16])
