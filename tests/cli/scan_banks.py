"""Small banks and checkouts for the scan's tests: one question a rule, written into tmp_path."""

from pathlib import Path
from typing import Any

import yaml
from paydown import bankfile


def bank_with(*signals: dict[str, Any], levels=(0, 1, 2, 3)) -> dict[str, Any]:
    """A valid maturity bank whose question `q` has these signals (each given its defaults)."""
    data = {
        "slug": "scan-test",
        "name": "Scan test",
        "description": "",
        "version": 1,
        "scoring": "maturity",
        "scale": list(levels),
        "categories": [
            {
                "key": "data",
                "name": "Data",
                "weight": 1,
                "questions": [
                    _question("q", levels, [_signal(i, s) for i, s in enumerate(signals)]),
                    _question("unwatched", levels, []),
                ],
            }
        ],
    }
    return bankfile.load(yaml.safe_dump(data))


def _question(key: str, levels, signals: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "key": key,
        "text": f"{key}?",
        "why": "Because.",
        "weight": 1,
        "covers": [],
        "references": [],
        "levels": [{"value": v, "label": f"L{v}", "description": f"Level {v}."} for v in levels],
        "remediation": _steps(levels),
        **({"signals": signals} if signals else {}),
    }


def _steps(levels) -> list[dict[str, Any]]:
    return [{"to": v, "advice": "Do it.", "effort": "S", "impact": 1} for v in levels[1:]]


def _signal(i: int, signal: dict[str, Any]) -> dict[str, Any]:
    return {"rule": f"rule-{i}", "says": f"rule {i}", "supports": 1, "confidence": "medium"} | (
        signal
    )


def checkout(root: Path, files: dict[str, str]) -> Path:
    for path, content in files.items():
        file = root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(content)
    return root
