"""Reads from a PostgreSQL streaming replica (issue #19).

With `DATABASE_REPLICA_URL` set, the pages that only read a lot (the dashboard, the portfolio's
exports and PDF, a project's history) read from the replica; everything else, and every write,
uses the primary. Three exceptions keep the replica invisible to people:
- whoever wrote in the last `REPLICA_PIN_SECONDS` reads from the primary, so nobody misses their
  own change behind the replica's lag (a cookie set on every unsafe request);
- a replica that does not answer (a short connect timeout; asked every few seconds, and less
  often while it stays down) sends the reads to the primary, with a warning in the log;
- a replica that fails during a page gives the page from the primary.
Without a replica nothing changes: the router sends everything to the primary."""

import contextlib
import contextvars
import functools
import logging
import time

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "paydown_pinned_until"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
HEALTH_SECONDS = 5.0  # how long one answer about the replica's health holds
DOWN_SECONDS_MAX = 60.0  # a replica that stays down is asked twice as late each time, up to this

log = logging.getLogger(__name__)
_reads_from: contextvars.ContextVar[str] = contextvars.ContextVar("reads_from", default=PRIMARY)
_health = {"checked": float("-inf"), "ready": False, "wait": HEALTH_SECONDS}


class ReplicaRouter:
    """Reads go where the running view allows (the primary unless it reads from the replica);
    writes and migrations always go to the primary. The replica holds the same rows, so relations
    between objects read from either are fine."""

    def db_for_read(self, model, **hints) -> str:
        return _reads_from.get()

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db, app_label, **hints) -> bool:
        return db == PRIMARY


def configured() -> bool:
    return REPLICA in settings.DATABASES


def pinned(request) -> bool:
    """Whether this person wrote recently enough that the replica may not have their change."""
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:  # a tampered cookie reads from the primary: always safe
        return True


def replica_ready(*, now: float | None = None) -> bool:
    """Whether the replica answers; asked at most every HEALTH_SECONDS per process, and while it
    does not answer, twice as late each time (each ask may cost a page the connect timeout)."""
    now = time.monotonic() if now is None else now
    if now - _health["checked"] < _health["wait"]:
        return _health["ready"]
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        log.warning("The read replica did not answer (%s): reading from the primary.", error)
        connections[REPLICA].close()
        mark_down(now)
        return False
    _health.update(checked=now, ready=True, wait=HEALTH_SECONDS)
    return True


def mark_down(now: float) -> None:
    """Leave the replica out until the next ask: HEALTH_SECONDS after it was up, twice the last
    wait after it was already down (up to DOWN_SECONDS_MAX)."""
    wait = min(DOWN_SECONDS_MAX, 2 * _health["wait"]) if not _health["ready"] else HEALTH_SECONDS
    _health.update(checked=now, ready=False, wait=wait)


def reads_from_replica(view):
    """Mark a view whose reads may come from the replica (see the module's docstring)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (configured() and not pinned(request) and replica_ready()):
            return _reading_from(PRIMARY, view, request, *args, **kwargs)
        try:
            return _reading_from(REPLICA, view, request, *args, **kwargs)
        except DatabaseError as error:
            # The replica went away mid-page (make topology-test stops it under load). These
            # views only read, so the page is read again from the primary, and the replica is
            # left out until the next health check.
            log.warning(
                "The read replica failed during %s (%s): reading from the primary.",
                request.path,
                error,
            )
            with contextlib.suppress(DatabaseError):
                connections[REPLICA].close()
            mark_down(time.monotonic())
            return _reading_from(PRIMARY, view, request, *args, **kwargs)

    return wrapper


def _reading_from(alias: str, view, request, *args, **kwargs):
    token = _reads_from.set(alias)
    try:
        response = view(request, *args, **kwargs)
    finally:
        _reads_from.reset(token)
    if response.streaming:  # its rows are read as it is sent, after the view has returned
        response.streaming_content = _streamed_from(alias, response.streaming_content)
    return response


def _streamed_from(alias: str, chunks):
    """The chunks, each made reading from `alias`. A replica that fails mid-stream breaks that
    download: what was sent cannot be taken back, so it is not read again from the primary."""
    iterator = iter(chunks)
    while True:
        token = _reads_from.set(alias)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _reads_from.reset(token)
        yield chunk


def pin_after_write(get_response):
    """Middleware: a request that may write pins its sender to the primary for a few seconds."""

    def middleware(request):
        response = get_response(request)
        if configured() and request.method not in SAFE_METHODS:
            until = time.time() + settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{until:.0f}",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    return middleware
