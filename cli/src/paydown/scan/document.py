"""Read a scan's JSON (schema paydown.scan/1) from untrusted bytes: what the server accepts from
an upload or `paydown scan --push`. Refusals list every problem, each starting with its path."""

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from paydown.bankfile.validation import format_path

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "bankfile" / "files" / "scan.schema.json"
MAX_BYTES = 2 * 1024 * 1024
MAX_ERRORS = 20


class ScanDocumentError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def read(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_BYTES:
        raise ScanDocumentError([f"file: {len(raw):,} bytes is over the 2 MB limit"])
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ScanDocumentError([f"file: not UTF-8 text (byte {error.start})"]) from None
    except (ValueError, RecursionError) as error:
        raise ScanDocumentError([f"file: not JSON ({str(error)[:200]})"]) from None
    if not isinstance(data, dict) or data.get("schema") != "paydown.scan/1":
        raise ScanDocumentError(
            ["schema: not a scan of schema paydown.scan/1 (paydown scan --format json writes one)"]
        )
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    problems = [f"{format_path(e.absolute_path)}: {e.message[:300]}" for e in errors]
    for i, question in enumerate(data.get("questions", []) if not problems else []):
        suggested = question["status"] == "suggested"
        if suggested != (question["suggested_level"] is not None):
            problems.append(
                f"questions[{i}].suggested_level: a level goes with status suggested, and only then"
            )
    if problems:
        raise ScanDocumentError(problems[:MAX_ERRORS])
    return data
