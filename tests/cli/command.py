"""Run the installed `paydown` command as a user would, and write answers files for it."""

import subprocess
import sys
from pathlib import Path

import yaml


def paydown(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m paydown ARGS` with the test's interpreter (the venv, where `make` installs it)."""
    return subprocess.run(
        [sys.executable, "-m", "paydown", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write_answers(
    folder: Path,
    levels: dict[str, int | float | str | None],
    *,
    bank: str = "ml-technical-debt",
    version: int | None = 2,
    name: str = "paydown.yml",
) -> Path:
    """A paydown.yml answering the given keys: a level, "na" (not used), "?" or None."""
    entries = {
        key: {"level": level, **({"reason": "not_used"} if level == "na" else {})}
        for key, level in levels.items()
    }
    head = {"bank": bank, **({"version": version} if version is not None else {})}
    path = folder / name
    path.write_text(yaml.safe_dump({**head, "answers": entries}, sort_keys=False))
    return path
