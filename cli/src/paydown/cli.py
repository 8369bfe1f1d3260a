"""The `paydown` command line: `init` writes a paydown.yml, `check` validates and scores it offline.

Exit codes: 0 passed, 1 a gate failed, 2 a usage or file error. Each subcommand is one function
taking the parsed arguments and returning the exit code, so another (`push`) adds one parser and
one function.
"""

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

import paydown
from paydown import answers, bankfile, gates, report, scoring

PASSED, GATE_FAILED, USAGE_ERROR = 0, 1, 2
DEFAULT_FILE = "paydown.yml"
DEFAULT_BANK = "ml-technical-debt"


class UsageError(Exception):
    """A problem with the command, its settings or its files: exit 2 with the message."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on a usage error, 0 after --help
        return int(exit_.code or 0)
    try:
        return args.run(args)
    except UsageError as error:
        print(f"paydown: {error}", file=sys.stderr)
        return USAGE_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paydown", description="Paydown answers as code: write, validate and score offline."
    )
    parser.add_argument("--version", action="version", version=f"paydown {paydown.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help=f"write a {DEFAULT_FILE} with every question")
    init.add_argument("--bank", default=DEFAULT_BANK, help="a shipped bank's slug")
    init.add_argument("--bank-version", type=int, help="the bank's version (default: newest)")
    init.add_argument("--bank-file", type=Path, help="a bank file instead of a shipped bank")
    init.add_argument("--output", "-o", type=Path, default=Path(DEFAULT_FILE))
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.set_defaults(run=run_init)

    check = commands.add_parser(
        "check", help="validate a paydown.yml against its bank and score it offline"
    )
    check.add_argument(
        "files", nargs="*", type=Path, help=f"answers files (default: {DEFAULT_FILE})"
    )
    check.add_argument("--bank-file", type=Path, help="score against this bank file")
    check.add_argument("--fail-under", metavar="SCORE", help="fail below this overall score")
    check.add_argument("--fail-under-level", metavar="N", help="fail below this level")
    check.add_argument(
        "--fail-under-category",
        metavar="KEY=SCORE",
        action="append",
        help="fail when the category scores below SCORE (repeatable)",
    )
    check.add_argument("--format", choices=report.FORMATS, help="output format (default: text)")
    check.add_argument(
        "--validate-only", action="store_true", help="validate without scoring or gates"
    )
    check.add_argument(
        "--config",
        type=Path,
        help="a pyproject.toml with [tool.paydown] (default: ./pyproject.toml)",
    )
    check.set_defaults(run=run_check)
    return parser


# --- init -----------------------------------------------------------------------------------------


def run_init(args: argparse.Namespace) -> int:
    bank = _bank(args.bank_file, args.bank, args.bank_version)
    if args.output.exists() and not args.force:
        raise UsageError(f"{args.output} exists; use --force to overwrite it")
    try:
        args.output.write_text(answers.template(bank), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{args.output}: {error.strerror}") from None
    questions = sum(len(c["questions"]) for c in bank["categories"])
    print(f"wrote {args.output}: {questions} questions of {bank['slug']} v{bank['version']}")
    return PASSED


# --- check ----------------------------------------------------------------------------------------


def run_check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    files = args.files or [Path(settings.get("file", DEFAULT_FILE))]
    bank_file = args.bank_file or (Path(settings["bank-file"]) if "bank-file" in settings else None)
    fmt = args.format or settings.get("format", "text")
    if fmt not in report.FORMATS:
        raise UsageError(f"format {fmt!r}: choose from {', '.join(report.FORMATS)}")
    wanted = _gates(args, settings)
    outcomes = []
    for path in files:
        bank, card = _score(path, bank_file)
        if args.validate_only:
            continue
        unknown = gates.unknown_categories(wanted, card)
        if unknown:
            keys = ", ".join(c.key for c in card.categories)
            raise UsageError(f"--fail-under-category {unknown[0]}: no such category ({keys})")
        outcomes.append(report.Outcome(str(path), bank, card, gates.check(wanted, card)))
    if args.validate_only:
        return PASSED
    for outcome in outcomes:
        sys.stdout.write(report.render(outcome, fmt))
    return PASSED if all(o.passed for o in outcomes) else GATE_FAILED


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    """[tool.paydown] of the given pyproject.toml, or of ./pyproject.toml when there is one."""
    path = args.config or Path("pyproject.toml")
    if args.config is None and not path.is_file():
        return {}
    try:
        with path.open("rb") as file:
            settings = tomllib.load(file).get("tool", {}).get("paydown", {})
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{path}: {error}") from None
    if not isinstance(settings, dict):
        raise UsageError(f"{path}: [tool.paydown] must be a table")
    known = {"file", "bank-file", "fail-under", "fail-under-level", "fail-under-category", "format"}
    unknown = sorted(set(settings) - known)
    if unknown:
        raise UsageError(f"{path}: tool.paydown.{unknown[0]}: unknown setting")
    return settings


def _gates(args: argparse.Namespace, settings: dict[str, Any]) -> list[gates.Gate]:
    """The command line's gates, else the settings'; a malformed threshold is a usage error."""
    found = []
    try:
        under = args.fail_under if args.fail_under is not None else settings.get("fail-under")
        if under is not None:
            found.append(gates.Gate("fail-under", "overall", gates.number(under)))
        level = args.fail_under_level
        level = level if level is not None else settings.get("fail-under-level")
        if level is not None:
            found.append(gates.Gate("fail-under-level", "level", gates.number(level)))
        by_category = args.fail_under_category
        if by_category is None:
            table = settings.get("fail-under-category", {})
            if not isinstance(table, dict):
                raise ValueError("tool.paydown.fail-under-category must be a table: data = 50")
            by_category = [f"{key}={value}" for key, value in table.items()]
        found += [gates.category_gate(spec) for spec in by_category]
    except ValueError as error:
        raise UsageError(str(error)) from None
    return found


def _score(path: Path, bank_file: Path | None) -> tuple[dict[str, Any], scoring.ScoreCard]:
    """The answers file read, validated against its bank and scored as the server would."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None
    try:
        data = answers.parse(raw)
        slug, version = answers.header(data)
        bank = _bank(bank_file, slug, version)
        checked = answers.validate(data, bank)
    except answers.AnswersError as error:
        raise UsageError("\n".join(f"{path}: {problem}" for problem in error.errors)) from None
    return bank, scoring.score(answers.bank_input(bank, checked.answers))


def _bank(bank_file: Path | None, slug: str, version: int | None) -> dict[str, Any]:
    if bank_file is None:
        try:
            return bankfile.shipped(slug, version)
        except LookupError as error:
            raise UsageError(str(error)) from None
    try:
        return bankfile.load(bank_file.read_bytes())
    except OSError as error:
        raise UsageError(f"{bank_file}: {error.strerror}") from None
    except bankfile.BankFileError as error:
        raise UsageError("\n".join(f"{bank_file}: {p}" for p in error.errors)) from None
