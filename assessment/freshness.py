"""How old evidence may be (issue #15): a question's own limit, else its bank version's, else 180
days, counted from the evidence's last confirmation. Plain functions, no queries."""

from datetime import datetime, timedelta
from typing import Any

DEFAULT_MAX_AGE_DAYS = 180


def max_age_days(question_days: int | None, version_days: int | None) -> int:
    return question_days or version_days or DEFAULT_MAX_AGE_DAYS


def stale_after(confirmed_at: datetime, days: int) -> datetime:
    return confirmed_at + timedelta(days=days)


def item_is_stale(item: dict[str, Any], now: datetime) -> bool:
    """A snapshot's evidence item (dates in ISO 8601) is stale at `now`."""
    return datetime.fromisoformat(item["stale_after"]) < now


def stale_share(stale: int, total: int) -> float | None:
    """The share of evidence that is stale, None when there is none to judge."""
    return stale / total if total else None
