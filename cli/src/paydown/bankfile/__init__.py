"""Bank files as plain data: parse and validate one bank version, and find the shipped ones."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from paydown.bankfile import translations, validation, yaml_reader

# Limits of a bank file (docs/bank-format.md, "Limits"); the YAML inside is bounded by yaml_reader.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ERRORS = 100  # problems listed in full; the rest are counted
MAX_ERROR_CHARS = 500

FILES = Path(__file__).resolve().parent / "files"
SHIPPED = [
    FILES / "ml-technical-debt.yaml",
    FILES / "ml-test-score.yaml",
    FILES / "ml-technical-debt-v2.yaml",  # after version 1, whose keys it maps
    FILES / "ml-technical-debt-v3.yaml",  # version 2 with its German texts (issue #17)
]


class BankFileError(Exception):
    """A bank file or draft that cannot be imported or published; `errors` lists the problems."""

    def __init__(self, errors: list[str]) -> None:
        # Messages quote the file (jsonschema quotes whole values), so a hostile file must not
        # turn them into megabytes on the admin page.
        shown = [
            error if len(error) <= MAX_ERROR_CHARS else error[: MAX_ERROR_CHARS - 1] + "…"
            for error in errors[:MAX_ERRORS]
        ]
        if len(errors) > MAX_ERRORS:
            shown.append(f"file: {len(errors) - MAX_ERRORS:,} more problems not shown")
        super().__init__("; ".join(shown))
        self.errors = shown


def read_mapping(
    raw: bytes | str, *, refused: Callable[[list[str]], Exception], expected: str
) -> dict[str, Any]:
    """File content as a YAML mapping, refusing oversized, non-UTF-8, malformed and hostile YAML
    with `refused(problems)`: bank files and answers files are read alike."""
    if isinstance(raw, str):
        raw = raw.encode()
    if len(raw) > MAX_FILE_BYTES:
        raise refused([f"file: {len(raw):,} bytes is over the 2 MB limit"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise refused([f"file: not UTF-8 text (byte {error.start})"]) from None
    try:
        data = yaml_reader.read(text)
    except yaml_reader.YAMLRefused as problems:
        raise refused(problems.problems) from None
    if not isinstance(data, dict):
        raise refused([f"file: expected a mapping with {expected}"])
    return data


def parse(raw: bytes | str) -> dict[str, Any]:
    """Turn file content into data, refusing oversized, non-UTF-8, malformed and hostile YAML."""
    return read_mapping(raw, refused=BankFileError, expected="slug, name, version, categories …")


def load(raw: bytes | str) -> dict[str, Any]:
    """Parse and validate; raises BankFileError listing every problem. Translated texts come
    back as their English, the other languages under `translations` (bankfile.translations)."""
    data = parse(raw)
    errors = validation.validate(data)
    if errors:
        raise BankFileError(errors)
    data, table, _problems = translations.split(data)
    if table:
        data["translations"] = table
    return data


def shipped(slug: str, version: int | None = None) -> dict[str, Any]:
    """A shipped bank's data: the given version, else the newest; LookupError when none fits."""
    found = [load(path.read_bytes()) for path in SHIPPED]
    fits = [d for d in found if d["slug"] == slug and version in (None, d["version"])]
    if not fits:
        offered = ", ".join(sorted({f"{d['slug']} v{d['version']}" for d in found}))
        wanted = slug if version is None else f"{slug} v{version}"
        raise LookupError(f"no shipped bank {wanted} (shipped: {offered})")
    return max(fits, key=lambda d: d["version"])
