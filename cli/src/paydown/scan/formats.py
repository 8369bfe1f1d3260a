"""A scan as text, JSON (schema paydown.scan/1, docs/exports.md), Markdown or SARIF 2.1.0, and
its suggestions written into a paydown.yml as comments."""

import json
import re
from typing import Any

import paydown
from paydown.bankfile.validation import plain_number
from paydown.scan import NO_SIGNALS, NOT_DETECTED, SCHEMA, SUGGESTED, Finding, Scan

FORMATS = ("text", "json", "markdown", "sarif")
COMMENT = "# paydown scan:"


def render(result: Scan, fmt: str) -> str:
    return {"text": text, "json": as_json, "markdown": markdown, "sarif": sarif}[fmt](result)


def data(result: Scan) -> dict[str, Any]:
    """The scan as the versioned JSON document that the server also reads."""
    return {
        "schema": SCHEMA,
        "bank": {"slug": result.bank["slug"], "version": result.bank["version"]},
        "root": result.root,
        "revision": result.revision,
        "files_scanned": result.files_scanned,
        "summary": summary(result),
        "questions": [
            {
                "key": f.key,
                "category": f.category,
                "status": f.status,
                "suggested_level": plain_number(f.level),
                "confidence": f.confidence,
                "files": f.files,
                "rules": list(f.rules),
                "evidence": [
                    {"path": e.path, "line": e.line, "rule": e.rule, "excerpt": e.excerpt}
                    for e in f.evidence
                ],
            }
            for f in result.findings
        ],
    }


def summary(result: Scan) -> dict[str, int]:
    counts = dict.fromkeys((SUGGESTED, NOT_DETECTED, NO_SIGNALS), 0)
    for finding in result.findings:
        counts[finding.status] += 1
    return {"questions": len(result.findings), **counts}


def as_json(result: Scan) -> str:
    return json.dumps(data(result), indent=2, ensure_ascii=False) + "\n"


def headline(finding: Finding) -> str:
    files = f"{finding.files} file{'s' if finding.files != 1 else ''}"
    return f"level {plain_number(finding.level)} ({finding.confidence}) — {files}"


def _summary(result: Scan) -> str:
    counts = summary(result)
    return (
        f"{counts['suggested']} of {counts['questions']} questions with a suggestion, "
        f"{counts['not_detected']} not detected, {counts['no_signals']} without signals"
    )


def _title(result: Scan) -> str:
    bank = result.bank
    return (
        f"{result.root} ({result.files_scanned:,} files) against {bank['slug']} v{bank['version']}"
    )


def text(result: Scan) -> str:
    lines = [f"paydown scan: {_title(result)}", _summary(result), ""]
    for finding in result.suggested:
        lines.append(f"{finding.key}: suggested {headline(finding)}")
        lines += [f"  {e.path}:{e.line}  [{e.rule}]  {e.excerpt}" for e in finding.evidence]
    missing = [f.key for f in result.findings if f.status == NOT_DETECTED]
    if missing:
        lines += ["", "Not detected (not a pass; answer these yourself):", *_wrap(missing)]
    return "\n".join(lines) + "\n"


def _wrap(keys: list[str], width: int = 96) -> list[str]:
    lines, line = [], " "
    for key in keys:
        if len(line) + len(key) + 2 > width:
            lines.append(line.rstrip(","))
            line = " "
        line += f" {key},"
    return [*lines, line.rstrip(",")]


def markdown(result: Scan) -> str:
    lines = [
        f"## paydown scan: {_title(result)}",
        "",
        _summary(result) + ". A suggestion is not an answer: the team decides.",
        "",
        "| Question | Suggested level | Confidence | Files |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{f.key}` | {plain_number(f.level)} | {f.confidence} | {f.files} |"
        for f in result.suggested
    ]
    for finding in result.suggested:
        lines += ["", f"### `{finding.key}`: {headline(finding)}", ""]
        lines += [
            f"- `{e.path}:{e.line}` ({e.rule}): `{_code(e.excerpt)}`" for e in finding.evidence
        ]
    missing = [f"`{f.key}`" for f in result.findings if f.status == NOT_DETECTED]
    if missing:
        lines += ["", "**Not detected** (not a pass; answer these yourself): " + ", ".join(missing)]
    return "\n".join(lines) + "\n"


def _code(text: str) -> str:
    return text.replace("`", "'").replace("|", "\\|")


def sarif(result: Scan) -> str:
    """SARIF 2.1.0: one result per piece of evidence, as a note (a suggestion, not a defect)."""
    fired = {rule for finding in result.suggested for rule in finding.rules}
    rules = [rule for rule in result.rules if rule.id in fired]
    index = {rule.id: i for i, rule in enumerate(rules)}
    by_id = {rule.id: rule for rule in rules}
    results = [
        {
            "ruleId": e.rule,
            "ruleIndex": index[e.rule],
            "level": "note",
            "message": {
                "text": f"{by_id[e.rule].says}: suggests level "
                f"{plain_number(by_id[e.rule].supports)} for {finding.key}"
            },
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": e.path, "uriBaseId": "SRCROOT"},
                        "region": {"startLine": e.line},
                    }
                }
            ],
            "properties": {"question": finding.key, "confidence": by_id[e.rule].confidence},
        }
        for finding in result.suggested
        for e in finding.evidence
    ]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "paydown scan",
                        "version": paydown.__version__,
                        "rules": [
                            {
                                "id": rule.id,
                                "shortDescription": {"text": rule.says},
                                "properties": {
                                    "question": rule.question,
                                    "supports": plain_number(rule.supports),
                                },
                            }
                            for rule in rules
                        ],
                    }
                },
                "results": results,
                **(
                    {"versionControlProvenance": [{"revisionId": result.revision}]}
                    if result.revision
                    else {}
                ),
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_suggestions(answers_text: str, result: Scan) -> str:
    """The answers file with each suggestion as comments under its question, replacing the
    comments of an earlier scan; levels and everything else the team wrote stay as they are."""
    lines = [line for line in answers_text.splitlines() if not line.lstrip().startswith(COMMENT)]
    appended = []
    for finding in result.suggested:
        comments = [
            f"{COMMENT} suggests level {plain_number(finding.level)} ({finding.confidence}), "
            f"{finding.files} file{'s' if finding.files != 1 else ''}",
            *(f"{COMMENT}   {e.path}:{e.line} [{e.rule}]" for e in finding.evidence[:5]),
        ]
        at = next(
            (
                i
                for i, line in enumerate(lines)
                if re.match(rf"^  {re.escape(finding.key)}\s*:", line)
            ),
            None,
        )
        if at is None:
            appended += [f"  {COMMENT} {finding.key}", *(f"  {c}" for c in comments)]
        else:
            lines[at + 1 : at + 1] = [f"    {c}" for c in comments]
    return "\n".join(lines + appended) + "\n"
