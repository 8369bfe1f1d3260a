"""Tracker exports (issue #14): the plan's steps and the backlog's open work as issues to import
into GitHub, GitLab or Jira, and the backlog as CSV and JSON (docs/exports.md)."""

import csv
import io
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from paydown import planning
from paydown.bankfile.validation import plain_number as _number

from assessment.exports import canonical_json, iso_date
from assessment.models import Assessment, TrackedAction
from projects.models import Project

BACKLOG_SCHEMA = "paydown.backlog/1"
GITHUB_TRACKER_SCHEMA = "paydown.tracker.github/1"
# GitHub refuses titles over 256 characters and Jira summaries over 255.
TITLE_LIMIT = 250
JIRA_PRIORITIES = {"now": "High", "next": "Medium", "later": "Low"}
# Only work still to do is worth an issue: done, won't-do and accepted-risk actions stay out.
OPEN_STATUSES = (TrackedAction.Status.OPEN, TrackedAction.Status.IN_PROGRESS)
HEREDOC_END = "PAYDOWN_EOF"
# A spreadsheet runs a cell starting with one of these as a formula; OWASP's advice is a leading '.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class TrackerItem:
    """One issue to create, in the terms the trackers share."""

    title: str
    body: str  # Markdown, ending in a newline
    labels: tuple[str, ...]
    priority: str  # Jira's: High, Medium or Low
    assignee: str = ""
    due: str = ""  # yyyy-MM-dd


def tracker_marker(project_slug: str, question_key: str) -> str:
    """The same for every plan and backlog of a project, so a re-import finds the open issue."""
    return f"[paydown:{project_slug}:{question_key}]"


def tracker_title(project_slug: str, question_key: str, text: str) -> str:
    """The marker, then the text on one line, cut with "…" to fit: never the marker."""
    marker = tracker_marker(project_slug, question_key)
    text = " ".join(_without_nul(text).split())
    room = TITLE_LIMIT - len(marker) - 1
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return f"{marker} {text}"


def _without_nul(text: str) -> str:
    # sh drops NUL bytes as it reads a script, so "PAYDOWN_EOF\0" would end a here-document
    # early; they go from every format alike, so all of them carry the same text.
    return text.replace("\x00", "")


def _markdown(paragraphs: list[str]) -> str:
    return _without_nul("\n\n".join(paragraphs)) + "\n"


def _step(from_value: Decimal | None, to_value: Decimal, advice: str) -> str:
    to = f"to level {_number(to_value)}"
    step = f"from level {_number(from_value)} {to}" if from_value is not None else to
    return f"**Step {step}:** {advice}"


def plan_tracker_items(
    assessment: Assessment, actions: list[planning.Action], *, plan_url: str
) -> list[TrackerItem]:
    """Every step of the plan, each linking back to its place on the plan page (`plan_url`)."""
    slug = assessment.project.slug
    return [
        TrackerItem(
            title=tracker_title(slug, a.question_key, a.text),
            body=_markdown(
                [
                    a.text,
                    _step(a.from_value, a.to_value, a.advice),
                    "\n".join(
                        [
                            f"- Bucket: {a.bucket} (rank {a.rank} of the plan)",
                            f"- Expected gain: +{_number(a.category_gain)} in its category"
                            f" ({a.category_key}), +{_number(a.overall_gain)} overall",
                            f"- Effort: {a.effort}, impact: {a.impact}",
                            f"- Prerequisites still in this plan: {', '.join(a.after) or 'none'}",
                            f"- Why: {a.why}",
                        ]
                    ),
                    f"From the remediation plan of {slug}, assessment {assessment.pk}:"
                    f" {plan_url}#action-{a.question_key}",
                ]
            ),
            labels=("paydown", f"paydown-{a.category_key}", f"paydown-{a.bucket}"),
            priority=JIRA_PRIORITIES[a.bucket],
        )
        for a in actions
    ]


def backlog_tracker_items(
    project: Project,
    actions: list[TrackedAction],
    *,
    backlog_url: str,
    plan_urls: dict[int, str],
) -> list[TrackerItem]:
    """The backlog's open and in-progress actions, with owner and due date; `plan_urls` holds the
    plan page of every source assessment by its id."""
    items = []
    for a in actions:
        if a.status not in OPEN_STATUSES:
            continue
        owner = a.owner.get_username() if a.owner else ""
        facts = [
            f"- Status: {a.status.replace('_', ' ')}",
            f"- Owner: {owner or 'nobody yet'}",
            f"- Due: {iso_date(a.due) or 'not set'}",
        ]
        items.append(
            TrackerItem(
                title=tracker_title(project.slug, a.question_key, a.title),
                body=_markdown(
                    [
                        a.title,
                        _step(a.from_value, a.to_value, a.advice),
                        "\n".join(facts),
                        f"From the remediation plan of {project.slug}, assessment {a.source_id}"
                        f" ({a.source.title}): {plan_urls[a.source_id]}#action-{a.question_key}",
                        f"Tracked in the project's backlog: {backlog_url}",
                    ]
                ),
                labels=("paydown", f"paydown-{a.category_key}", "paydown-backlog"),
                priority="Medium",
                assignee=owner,
                due=iso_date(a.due) or "",
            )
        )
    return items


def tracker_file(items: list[TrackerItem], name: str, *, filename: str, about: str) -> str:
    """The items as github.json, github.sh, gitlab.csv or jira.csv; `filename` and `about` head
    the shell script."""
    if name == "github.json":
        issues = [{"title": i.title, "body": i.body, "labels": list(i.labels)} for i in items]
        return canonical_json({"schema": GITHUB_TRACKER_SCHEMA, "items": issues})
    if name == "github.sh":
        return github_script(items, filename=filename, about=about)
    if name == "gitlab.csv":
        return _safe_csv([["title", "description"], *([i.title, i.body] for i in items)])
    if name == "jira.csv":
        header = ["Summary", "Issue Type", "Description", "Priority", "Labels", "Assignee",
                  "Due Date"]  # fmt: skip
        # Jira's CSV importer splits one Labels cell on spaces (labels hold none).
        rows = ([i.title, "Task", i.body, i.priority, " ".join(i.labels), i.assignee, i.due]
                for i in items)  # fmt: skip
        return _safe_csv([header, *rows])
    raise ValueError(f"unknown tracker file {name!r}")


def github_script(items: list[TrackerItem], *, filename: str, about: str) -> str:
    """A POSIX sh script of `gh issue create` commands. Titles and labels are shell-quoted and
    every body goes through a quoted here-document, so no text of the plan is ever run."""
    about, filename = " ".join(about.split()), " ".join(filename.split())
    lines = [
        "#!/bin/sh",
        f"# Paydown: {len(items)} GitHub issues from {about}.",
        "# Needs the GitHub CLI, logged in (gh auth login). Run it as",
        f"#   REPO=owner/name sh {filename}",
        "# Every title starts with [paydown:<project>:<question>]: search the repository for the",
        "# markers before running it again, or the issues are created twice.",
        "set -eu",
        ': "${REPO:?Set REPO=owner/name, the repository to create the issues in}"',
    ]
    labels = list(dict.fromkeys(label for item in items for label in item.labels))
    if labels:
        lines += ["", "# gh refuses a label the repository lacks; one it has is left as it is."]
        lines += [
            f'gh label create --repo "$REPO" {shlex.quote(x)} 2>/dev/null || :' for x in labels
        ]
    for item in items:
        end = _heredoc_end(item.body)
        flags = " ".join(f"--label {shlex.quote(label)}" for label in item.labels)
        lines += [
            "",
            f'gh issue create --repo "$REPO" --title {shlex.quote(item.title)} --body-file -'
            f" {flags} <<'{end}'",
            item.body + end,
        ]
    return "\n".join(lines) + "\n"


def _heredoc_end(body: str) -> str:
    """PAYDOWN_EOF, lengthened until no line of the body equals it: whatever the body holds, it
    cannot end its own here-document early."""
    lines = set(_without_nul(body).split("\n"))
    end = HEREDOC_END
    while end in lines:
        end += "_"
    return end


def _safe_csv(rows: Iterable[Sequence]) -> str:
    """CSV whose text cells cannot start a spreadsheet formula: these files are opened in
    spreadsheets as often as they are imported."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(
            "'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
            for cell in row
        )
    return out.getvalue()


def backlog_data(project: Project, actions: list[TrackedAction]) -> dict[str, Any]:
    """Every tracked action of the project, whatever its status, in the backlog page's order."""
    return {
        "schema": BACKLOG_SCHEMA,
        "project": project.slug,
        "actions": [
            {
                "question": a.question_key,
                "category": a.category_key,
                "title": a.title,
                "advice": a.advice,
                "from_level": _number(a.from_value),
                "to_level": _number(a.to_value),
                "status": a.status,
                "owner": a.owner.get_username() if a.owner else None,
                "due": iso_date(a.due),
                "source": {"assessment": a.source_id, "title": a.source.title},
                "created": iso_date(a.created),
                "updated": iso_date(a.updated),
            }
            for a in actions
        ],
    }


BACKLOG_COLUMNS = ["question", "category", "title", "advice", "from_level", "to_level", "status",
                   "owner", "due", "source_assessment", "source_title", "created", "updated"]  # fmt: skip


def backlog_csv(data: dict[str, Any]) -> str:
    rows = []
    for action in data["actions"]:
        source = action["source"]
        flat = {
            **action,
            "source_assessment": source["assessment"],
            "source_title": source["title"],
        }
        rows.append([flat[column] for column in BACKLOG_COLUMNS])
    return _safe_csv([BACKLOG_COLUMNS, *rows])
