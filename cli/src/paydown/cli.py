"""The `paydown` command line: `init` writes a paydown.yml, `check` validates and scores it offline,
`push` answers an assessment on a server through its API (and may submit it), `scan` suggests
answers from a checkout.

Exit codes: 0 passed, 1 a gate failed, 2 a usage or file error. Each subcommand is one function
taking the parsed arguments and returning the exit code, so another (`push`) adds one parser and
one function.
"""

import argparse
import hashlib
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import paydown
from paydown import answers, bankfile, client, gates, report, scan, scoring
from paydown.scan import formats as scan_formats

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
    _gate_arguments(check)
    check.add_argument(
        "--validate-only", action="store_true", help="validate without scoring or gates"
    )
    check.set_defaults(run=run_check)

    push = commands.add_parser(
        "push", help="answer a new assessment on a Paydown server (token in PAYDOWN_TOKEN)"
    )
    push.add_argument("file", nargs="?", type=Path, help=f"answers file (default: {DEFAULT_FILE})")
    push.add_argument("--server", default=os.environ.get("PAYDOWN_SERVER"), help="https://…")
    push.add_argument("--project", required=True, help="the project's slug")
    push.add_argument("--title", default="Answers from paydown push", help="the assessment's title")
    push.add_argument("--submit", action="store_true", help="submit the assessment after answering")
    push.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="fail when the score is below the project's last submitted result on the bank",
    )
    _gate_arguments(push)
    push.set_defaults(run=run_push)

    scan_ = commands.add_parser(
        "scan", help="suggest answers from a checkout, with file-and-line evidence (runs nothing)"
    )
    scan_.add_argument("path", nargs="?", type=Path, default=Path("."), help="the checkout")
    scan_.add_argument("--bank", help=f"a shipped bank's slug (default: {DEFAULT_BANK})")
    scan_.add_argument("--bank-version", type=int, help="the bank's version (default: newest)")
    scan_.add_argument("--bank-file", type=Path, help="a bank file instead of a shipped bank")
    scan_.add_argument("--format", choices=scan_formats.FORMATS, default="text")
    scan_.add_argument("--output", "-o", type=Path, help="write the report here, not to stdout")
    scan_.add_argument(
        "--write",
        type=Path,
        metavar="ANSWERS",
        help="add the suggestions to this paydown.yml as comments (answers are never changed)",
    )
    scan_.add_argument(
        "--push",
        type=int,
        metavar="ASSESSMENT_ID",
        help="attach the scan to this open assessment on --server (token in PAYDOWN_TOKEN)",
    )
    scan_.add_argument("--server", default=os.environ.get("PAYDOWN_SERVER"), help="https://…")
    scan_.set_defaults(run=run_scan)
    return parser


def _gate_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--fail-under", metavar="SCORE", help="fail below this overall score")
    command.add_argument("--fail-under-level", metavar="N", help="fail below this level")
    command.add_argument(
        "--fail-under-category",
        metavar="KEY=SCORE",
        action="append",
        help="fail when the category scores below SCORE (repeatable)",
    )
    command.add_argument("--format", choices=report.FORMATS, help="output format (default: text)")
    command.add_argument(
        "--config",
        type=Path,
        help="a pyproject.toml with [tool.paydown] (default: ./pyproject.toml)",
    )


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


# --- scan ---------------------------------------------------------------------------------------


def run_scan(args: argparse.Namespace) -> int:
    """Scan with the answers file's bank when writing into one, else the one asked for."""
    answers_text = None
    slug, version = args.bank or DEFAULT_BANK, args.bank_version
    if args.write is not None:
        try:
            answers_text = args.write.read_text(encoding="utf-8")
            slug, version = answers.header(answers.parse(answers_text))
        except OSError as error:
            raise UsageError(f"{args.write}: {error.strerror}") from None
        except (answers.AnswersError, UnicodeDecodeError) as error:
            raise UsageError(f"{args.write}: {error}") from None
        if args.bank not in (None, slug) or args.bank_version not in (None, version):
            raise UsageError(f"{args.write} answers {slug}; scan with that bank or leave --bank")
    bank = _bank(args.bank_file, slug, version)
    try:
        result = scan.scan(args.path, bank)
    except scan.CheckoutError as error:
        raise UsageError(str(error)) from None
    rendered = scan_formats.render(result, args.format)
    _write(args.output, rendered) if args.output else sys.stdout.write(rendered)
    if answers_text is not None:
        _write(args.write, scan_formats.write_suggestions(answers_text, result))
        print(f"{args.write}: {len(result.suggested)} suggestions as comments", file=sys.stderr)
    if args.push is not None:
        _push_scan(args, result)
    return PASSED


def _push_scan(args: argparse.Namespace, result: scan.Scan) -> None:
    """Attach the scan to an open assessment; its suggestions wait there for a person."""
    api = _api(args.server)
    try:
        attached = api.call("POST", f"/assessments/{args.push}/scans", scan_formats.data(result))
    except client.ApiError as error:
        raise UsageError(str(error)) from None
    print(
        f"{args.server.rstrip('/')}/assessments/{args.push}/: {attached['suggestions']} "
        "suggestions wait on their questions",
        file=sys.stderr,
    )
    for ignored in attached["ignored"]:
        print(f"  left out: {ignored}", file=sys.stderr)


def _api(server: str | None) -> client.Client:
    token = os.environ.get("PAYDOWN_TOKEN", "").strip()
    if not server:
        raise UsageError("give --server (or PAYDOWN_SERVER)")
    if not token:
        raise UsageError("set PAYDOWN_TOKEN to an API token with the answer scope")
    return client.Client(server, token)


def _write(path: Path, content: str) -> None:
    try:
        path.write_text(content, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"{path}: {error.strerror}") from None


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
        bank, _checked, card = _score(path, bank_file)
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


def _score(
    path: Path, bank_file: Path | None
) -> tuple[dict[str, Any], answers.AnswersFile, scoring.ScoreCard]:
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
    return bank, checked, scoring.score(answers.bank_input(bank, checked.answers))


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


# --- push -----------------------------------------------------------------------------------------


def run_push(args: argparse.Namespace) -> int:
    """Validate and score offline first (nothing is sent for a file with errors), then start an
    assessment on the server on the bank version the file answers, answer it as the token's user, and
    with --submit submit it. Gates read the offline score, which is the server's (tests/cli)."""
    settings = _settings(args)
    path = args.file or Path(settings.get("file", DEFAULT_FILE))
    fmt = args.format or settings.get("format", "text")
    api = _api(args.server)
    wanted = _gates(args, settings)
    bank, checked, card = _score(path, None)
    try:
        previous = (
            _last_result(api, args.project, bank["slug"]) if args.fail_on_regression else None
        )
        # The version the file answers: a newer one may have come (a translation, say).
        assessment = api.call(
            "POST",
            f"/projects/{args.project}/assessments",
            {"bank": bank["slug"], "version": bank["version"], "title": args.title},
        )
        if assessment["bank_version"] != bank["version"]:
            raise UsageError(
                f"{path}: answers version {bank['version']} of {bank['slug']}, but the server "
                f"asks version {assessment['bank_version']}; run paydown init again"
            )
        for answer in checked.answers.values():
            body = _answer_body(answer)
            if body is not None:
                api.call("PUT", f"/assessments/{assessment['id']}/answers/{answer.key}", body)
        if args.submit:
            key = hashlib.sha256(f"{assessment['id']}:{path.read_bytes()!r}".encode()).hexdigest()
            api.call(
                "POST", f"/assessments/{assessment['id']}/submit", {}, **{"Idempotency-Key": key}
            )
    except client.ApiError as error:
        raise UsageError(str(error)) from None
    checked_gates = gates.check(wanted, card)
    if previous is not None:
        checked_gates.append(gates.regression(previous, card.overall))
    outcome = report.Outcome(str(path), bank, card, checked_gates)
    sys.stdout.write(report.render(outcome, fmt))
    state = "submitted" if args.submit else "answered, not submitted"
    print(f"{args.server.rstrip('/')}/assessments/{assessment['id']}/ ({state})", file=sys.stderr)
    return PASSED if outcome.passed else GATE_FAILED


def _answer_body(answer: answers.Answer) -> dict[str, Any] | None:
    extra = {"notes": answer.notes, "links": list(answer.links)}
    if answer.not_applicable:
        return {"not_applicable": True, "na_reason": answer.reason, "na_detail": answer.detail}
    if answer.dont_know:
        return {"dont_know": True, **extra}
    if answer.value is not None:
        return {"level": float(answer.value), **extra}
    if answer.notes or answer.links:
        return extra
    return None


def _last_result(api: client.Client, project: str, bank: str):
    """The overall score of the project's last submitted assessment on the bank, or None."""
    done = [
        a
        for a in api.pages(f"/projects/{project}/assessments")
        if a["status"] == "submitted" and a["bank"] == bank
    ]
    if not done:
        return None
    latest = max(done, key=lambda a: a["submitted"])
    score = api.call("GET", f"/assessments/{latest['id']}/results")["overall"]["score"]
    return None if score is None else gates.number(score)
