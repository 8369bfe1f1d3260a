"""Reads from a streaming replica (issue #19, first part): the marked pages read from it, a person
who just wrote reads from the primary, and a replica that does not answer sends the reads to the
primary with a warning."""

import logging
import time

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from config import settings as settings_module
from projects import replica
from projects.models import Team
from tests.test_settings import run_manage

ROUTER = replica.ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """A replica configured and answering (no second server here: the choice is what is tested)."""
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "replica_ready", lambda: True)


@replica.reads_from_replica
def reading_view(request):
    return HttpResponse(ROUTER.db_for_read(Team))


def read_by(request) -> str:
    return reading_view(request).content.decode()


def test_a_marked_page_reads_from_the_replica_and_everything_else_from_the_primary(with_replica):
    assert read_by(RequestFactory().get("/dashboard/")) == "replica"
    assert ROUTER.db_for_read(Team) == "default"  # outside the marked view
    assert ROUTER.db_for_write(Team) == "default"
    assert ROUTER.allow_migrate("replica", "projects") is False


def test_without_a_replica_every_read_goes_to_the_primary():
    assert "replica" not in settings_module.DATABASES
    assert read_by(RequestFactory().get("/dashboard/")) == "default"


@pytest.mark.parametrize(
    ("cookie", "expected"),
    [
        (lambda now: f"{now + 5:.0f}", "default"),  # wrote 5 s ago: pinned to the primary
        (lambda now: f"{now - 1:.0f}", "replica"),  # the pin has run out
        (lambda now: "not-a-time", "default"),  # tampered: the primary, always safe
    ],
    ids=["pinned", "expired", "tampered"],
)
def test_whoever_wrote_recently_reads_from_the_primary(with_replica, cookie, expected):
    request = RequestFactory().get("/dashboard/")
    request.COOKIES[replica.PIN_COOKIE] = cookie(time.time())

    assert read_by(request) == expected


@pytest.mark.parametrize(("method", "pins"), [("post", True), ("get", False)])
def test_a_request_that_may_write_pins_its_sender(with_replica, settings, method, pins):
    settings.REPLICA_PIN_SECONDS = 10
    middleware = replica.pin_after_write(lambda request: HttpResponse("ok"))

    response = middleware(getattr(RequestFactory(), method)("/assessments/1/questions/data-a/"))

    cookie = response.cookies.get(replica.PIN_COOKIE)
    assert (cookie is not None) is pins
    if pins:
        assert abs(float(cookie.value) - (time.time() + 10)) < 2
        assert cookie["max-age"] == 10 and cookie["httponly"]


class _Silent:
    """A replica connection whose server does not answer."""

    def __init__(self):
        self.asked = 0

    def cursor(self):
        self.asked += 1
        raise OperationalError("connection timeout expired")

    def close(self):
        pass


def test_a_replica_that_does_not_answer_sends_reads_to_the_primary_with_a_warning(
    monkeypatch, caplog
):
    silent = _Silent()
    monkeypatch.setattr(replica, "connections", {replica.REPLICA: silent})
    monkeypatch.setattr(replica, "_health", {"checked": float("-inf"), "ready": True, "wait": 5.0})
    monkeypatch.setattr(replica, "configured", lambda: True)

    with caplog.at_level(logging.WARNING, logger="projects.replica"):
        first = read_by(RequestFactory().get("/dashboard/"))
        second = read_by(RequestFactory().get("/dashboard/"))

    assert (first, second) == ("default", "default")
    assert silent.asked == 1  # asked once, then the answer holds for a few seconds
    assert "The read replica did not answer" in caplog.text
    assert replica.replica_ready(now=time.monotonic() + replica.HEALTH_SECONDS + 1) is False
    assert silent.asked == 2


def test_the_replica_is_configured_from_the_environment():
    shown = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['replica'];"
        "print(d['HOST'], d['PORT'], d['OPTIONS']['connect_timeout'], d['TEST']['MIRROR'], sep='|')",
        env={"DEBUG": "1", "DATABASE_REPLICA_URL": "postgres://u:p@10.0.0.2:5433/paydown"},
    )

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == "10.0.0.2|5433|2|default"


def test_a_replica_lost_during_a_page_gives_the_page_from_the_primary(monkeypatch, caplog):
    """Found by make topology-test: the replica stopped while a dashboard read from it, and the
    dashboard answered 500. The page is read again from the primary, and the replica is left
    out until its next health check."""
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica, "connections", {replica.REPLICA: _Silent()})
    monkeypatch.setattr(
        replica, "_health", {"checked": time.monotonic(), "ready": True, "wait": 5.0}
    )
    read_from = []

    @replica.reads_from_replica
    def view_losing_its_replica(request):
        read_from.append(ROUTER.db_for_read(Team))
        if read_from[-1] == replica.REPLICA:
            raise OperationalError("server closed the connection unexpectedly")
        return HttpResponse("page")

    with caplog.at_level(logging.WARNING, logger="projects.replica"):
        response = view_losing_its_replica(RequestFactory().get("/dashboard/"))

    assert (response.content, read_from) == (b"page", ["replica", "default"])
    assert replica._health["ready"] is False
    assert "The read replica failed during /dashboard/" in caplog.text
    assert read_by(RequestFactory().get("/dashboard/")) == "default"  # left out meanwhile


def test_a_failure_on_the_primary_is_not_hidden(with_replica, monkeypatch):
    """The page is read again from the primary once, and what fails there is raised."""
    monkeypatch.setattr(replica, "connections", {replica.REPLICA: _Silent()})
    monkeypatch.setattr(
        replica, "_health", {"checked": time.monotonic(), "ready": True, "wait": 5.0}
    )
    read_from = []

    @replica.reads_from_replica
    def failing_view(request):
        read_from.append(ROUTER.db_for_read(Team))
        raise OperationalError(f"the {read_from[-1]} is down")

    with pytest.raises(OperationalError, match="the default is down"):
        failing_view(RequestFactory().get("/dashboard/"))
    assert read_from == ["replica", "default"]


def test_a_replica_that_stays_down_is_asked_less_and_less_often(monkeypatch):
    """Each ask of a stopped replica costs a page up to the 2 s connect timeout; make
    topology-test saw the dashboard's p95 at 2 s while it was down. Asked after 5, 10, 20, 40,
    then every 60 seconds; once it answers, every 5 again."""
    silent = _Silent()
    monkeypatch.setattr(replica, "connections", {replica.REPLICA: silent})
    monkeypatch.setattr(replica, "_health", {"checked": float("-inf"), "ready": True, "wait": 5.0})
    asked_at = []
    for second in range(0, 300):
        before = silent.asked
        replica.replica_ready(now=float(second))
        if silent.asked > before:
            asked_at.append(second)

    assert asked_at == [0, 5, 15, 35, 75, 135, 195, 255]


def test_a_streamed_download_reads_from_the_replica_while_it_streams(with_replica):
    """The portfolio exports stream: their rows are read after the view has returned, as the
    response is sent. They read from the replica then too, and nothing else does meanwhile."""
    from django.http import StreamingHttpResponse

    @replica.reads_from_replica
    def streaming_view(request):
        return StreamingHttpResponse(ROUTER.db_for_read(Team) for _ in range(3))

    response = streaming_view(RequestFactory().get("/dashboard/export.csv"))
    first = next(iter(response.streaming_content))
    between = ROUTER.db_for_read(Team)

    assert (first, between) == (b"replica", "default")
    assert b"".join(response.streaming_content) == b"replica" * 2
