"""Reads of the audit log: a page of entries under the filters, and the rows of its CSV."""

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from audit.models import Entry

PAGE_SIZE = 50
CSV_HEADER = ["at", "who", "action", "action_label", "team_id", "project", "subject", "details"]


def filtered(entries: QuerySet[Entry], filters: dict) -> QuerySet[Entry]:
    if filters.get("action"):
        entries = entries.filter(action=filters["action"])
    if filters.get("who"):
        entries = entries.filter(actor__iexact=filters["who"])
    if filters.get("project"):
        entries = entries.filter(project__icontains=filters["project"])
    if filters.get("since"):
        entries = entries.filter(at__gte=_day_start(filters["since"]))
    if filters.get("until"):
        entries = entries.filter(at__lt=_day_start(filters["until"], after=True))
    return entries


def page_of(entries: QuerySet[Entry], filters: dict, number: str | None) -> Page:
    """One page of the newest entries first: a count and the page's rows, two queries however
    long the log."""
    return Paginator(filtered(entries, filters), PAGE_SIZE).get_page(number)


def csv_rows(entries: QuerySet[Entry], filters: dict) -> Iterator[list]:
    """The filtered log, oldest first (as an auditor reads it), read in chunks."""
    yield CSV_HEADER
    for entry in filtered(entries, filters).order_by("at", "pk").iterator(chunk_size=2000):
        yield [
            entry.at.isoformat(),
            entry.actor,
            entry.action,
            entry.get_action_display(),
            entry.team_id or "",
            entry.project,
            entry.subject,
            json.dumps(entry.details, sort_keys=True, ensure_ascii=False),
        ]


def _day_start(day: date, after: bool = False) -> datetime:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start + timedelta(days=1) if after else start
