"""The figures of `make bench` timed over HTTP: each repetition measures A and B back to back
and keeps B ÷ A. Plain values (sessions, ids, user names) come from bench/run.py; the figures
measured inside one process (PDF render, export memory) are in bench/inprocess.py.
"""

import math
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bench.web import Reply, Session, expect

if TYPE_CHECKING:  # bench.seed imports the models: only once Django is set up
    from bench.seed import Cast

HTMX = {"HX-Request": "true"}


def p50(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """Nearest rank: the smallest value at or above 95 % of the samples."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Figure:
    """One target: per repetition the measured A and B (seconds or bytes), B ÷ A against a limit."""

    name: str
    a_label: str
    b_label: str
    unit: str  # "s", "B" or "MB": how A and B print (bench.output.show)
    limit: float  # the ratio's target, B ÷ A at most this
    a: list[float] = field(default_factory=list)
    b: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Extra conditions (e.g. "same query count"): name → held in every repetition so far.
    conditions: dict[str, bool] = field(default_factory=dict)
    error: str = ""
    # Limits on A and B themselves (page bytes), instead of the ratio: None to use the ratio.
    absolute_limit: float | None = None

    def add(self, a: float, b: float) -> None:
        self.a.append(a)
        self.b.append(b)

    def check(self, name: str, held: bool) -> None:
        self.conditions[name] = self.conditions.get(name, True) and held

    @property
    def ratios(self) -> list[float]:
        return [b / a for a, b in zip(self.a, self.b, strict=True) if a]

    @property
    def passed(self) -> bool | None:
        if self.error or not self.ratios:
            return None
        if self.absolute_limit is not None:
            ok = max(self.a + self.b) <= self.absolute_limit
        else:
            ok = statistics.median(self.ratios) <= self.limit
        return ok and all(self.conditions.values())


def _ab(first: Callable[[], float], second: Callable[[], float], rep: int) -> tuple[float, float]:
    """Run A and B back to back, B first on odd repetitions so neither always runs warm."""
    if rep % 2:
        b = second()
        return first(), b
    a = first()
    return a, second()


# --- questionnaire page -------------------------------------------------------------------------


def questionnaire(
    time_fig: Figure, size_fig: Figure, sessions: dict[int, Session], cast: "Cast", rep: int, n: int
) -> None:
    """GET /assessments/<id>/ as a respondent of the 5- and the 100-respondent team: p50 of n."""
    sizes: dict[int, int] = {}

    def page(team: int) -> Callable[[], float]:
        def run() -> float:
            path = f"/assessments/{cast.open_assessments[team]}/"
            replies = [expect(sessions[team].get(path), 200, path) for _ in range(n)]
            sizes[team] = len(replies[-1].body)
            return p50([r.seconds for r in replies])

        return run

    time_fig.add(*_ab(page(5), page(100), rep))
    size_fig.add(sizes[5], sizes[100])


# --- autosave and the floor ---------------------------------------------------------------------


class Answering:
    """A respondent's autosaves: each changes the level or the notes of the next question, so
    every save is a real change, and sends the whole form as the page does."""

    def __init__(self, session: Session, cast: "Cast", team: int, user: str, offset: int = 0):
        self.session = session
        self.cast = cast
        self.assessment = cast.open_assessments[team]
        self.user = user
        self.count = offset

    def save(self, *, level: bool | None = None) -> Reply:
        key = self.cast.question_keys[self.count % len(self.cast.question_keys)]
        state = (self.assessment, self.user, key)
        current_level, notes = self.cast.answers[state]
        if self.count % 2 == 0 if level is None else level:
            current_level = (current_level + 1) % 5
        else:
            notes = f"Bench note {self.count}: checked against the runbook."
        self.count += 1
        reply = self.session.post(
            f"/assessments/{self.assessment}/questions/{key}/",
            {
                "choice": str(current_level),
                "notes": notes,
                "links": "",
                "na_reason": "",
                "na_detail": "",
            },
            headers={**HTMX, "HX-Target": f"status-{key}"},
        )
        if reply.status == 200:
            self.cast.answers[state] = (current_level, notes)
        return reply


class Floor:
    """The floor view: one authenticated, CSRF-checked, one-row insert."""

    def __init__(self, session: Session):
        self.session = session
        self.count = 0

    def save(self, *, level: bool | None = None) -> Reply:
        self.count += 1
        return self.session.post("/bench/floor/", {"value": str(self.count)}, headers=HTMX)


def _sequential(writer: Answering | Floor, n: int, **kwargs) -> list[float]:
    return [expect(writer.save(**kwargs), 200, "save").seconds for _ in range(n)]


def autosave(
    scale_fig: Figure,
    floor_fig: Figure,
    writers: dict[str, Answering | Floor],
    rep: int,
    n: int,
) -> None:
    """p50 of n sequential saves: at 5 and 100 respondents, and the floor beside the one at 100."""
    at5, at100, floor = {}, {}, {}

    def measure(writer: Answering | Floor, into: dict) -> Callable[[], float]:
        def run() -> float:
            into["p50"] = p50(_sequential(writer, n))
            return into["p50"]

        return run

    # Three in a row, rotated each repetition: 5, 100, floor / 100, floor, 5 / floor, 5, 100 …
    steps = [
        measure(writers["at5"], at5),
        measure(writers["at100"], at100),
        measure(writers["floor"], floor),
    ]
    for step in steps[rep % 3 :] + steps[: rep % 3]:
        step()
    scale_fig.add(at5["p50"], at100["p50"])
    floor_fig.add(floor["p50"], at100["p50"])


def concurrent(
    fig: Figure, floors: list[Floor], answering: list[Answering], rep: int, per_client: int
) -> None:
    """p95 of one client per writer saving at once, per_client times each: floors, then autosaves
    (B first on odd repetitions)."""

    def run(writers: list) -> Callable[[], float]:
        def go() -> float:
            seconds: list[float] = []
            failures: list[str] = []
            start = threading.Barrier(len(writers))

            def client(writer) -> None:
                start.wait()
                for _ in range(per_client):
                    try:
                        reply = writer.save()
                    except OSError as error:
                        failures.append(type(error).__name__)
                        continue
                    if reply.status == 200:
                        seconds.append(reply.seconds)
                    else:
                        failures.append(str(reply.status))

            threads = [threading.Thread(target=client, args=(w,)) for w in writers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            fig.check("every save answered 200", not failures)
            if failures:
                fig.notes.append(f"repetition {rep + 1}: failures {sorted(set(failures))}")
            if not seconds:
                raise RuntimeError(f"no save answered 200: {sorted(set(failures))}")
            return p95(seconds)

        return go

    fig.add(*_ab(run(floors), run(answering), rep))


def fill(fig: Figure, floor: Floor, answering: Answering, rep: int) -> None:
    """48 sequential saves by one user, each setting a question's level, against 48 floor writes."""
    questions = len(answering.cast.question_keys)

    def total(writer) -> Callable[[], float]:
        def run() -> float:
            start = time.perf_counter()
            _sequential(writer, questions, level=True)
            return time.perf_counter() - start

        return run

    fig.add(*_ab(total(floor), total(answering), rep))


# --- dashboard ----------------------------------------------------------------------------------


def dashboard(
    fig: Figure, sessions: dict[int, Session], sizes: tuple[int, int], rep: int, n: int
) -> dict[int, set[int | None]]:
    """GET /dashboard/ as the manager of the small and of the large portfolio: p50 of n, and the
    query count of every request (bench.middleware)."""
    counts: dict[int, set[int | None]] = {}

    def page(size: int) -> Callable[[], float]:
        def run() -> float:
            replies = [
                expect(sessions[size].get("/dashboard/"), 200, "dashboard") for _ in range(n)
            ]
            counts[size] = {r.queries for r in replies}
            return p50([r.seconds for r in replies])

        return run

    fig.add(*_ab(page(sizes[0]), page(sizes[1]), rep))
    small, large = counts[sizes[0]], counts[sizes[1]]
    fig.check("same query count", len(small) == 1 and small == large)
    return counts


# --- results page while PDFs render -------------------------------------------------------------


@dataclass
class PdfRun:
    mode: str  # "synchronous" (200 at once) or "queued" (202, then polled until 200)
    windows: list[tuple[float, float]]  # wall-clock (time.time) spans of the renders
    first_status: list[int]


def _fetch_pdf(
    session: Session, path: str, poll: float, into: list, index: int, timeout: float = 300
) -> None:
    """GET the report as a person would: the PDF at once (200), or the progress page (202), whose
    status panel polls with htmx (reads only) until it stops asking, then the PDF."""
    sent = time.time()
    reply = session.get(path)
    first = reply.status
    if reply.status == 202:
        deadline = time.monotonic() + timeout
        while True:
            time.sleep(poll)
            panel = session.get(path, headers=HTMX)
            if panel.status != 200:
                into[index] = RuntimeError(f"{path} (htmx poll): HTTP {panel.status}")
                return
            if b'hx-trigger="every' not in panel.body:  # finished: the panel stops polling
                break
            if time.monotonic() > deadline:
                into[index] = RuntimeError(f"{path}: no PDF after {timeout:.0f} s")
                return
        reply = session.get(path)
    if reply.status != 200 or not reply.headers.get("content-type", "").startswith(
        "application/pdf"
    ):
        into[index] = RuntimeError(f"{path}: HTTP {reply.status}, {reply.body[:200]!r}")
        return
    into[index] = (first, sent, time.time())


def _open_loop(
    session: Session, path: str, interval: float, more: Callable[[int], bool]
) -> list[tuple[float, float]]:
    """GET path every `interval` seconds, each request on a thread of its own, while more(sent):
    (wall-clock start, seconds) per request. Readers arrive whatever earlier ones wait for; one
    client waiting for each answer would sample a stall once, however long it lasts."""
    samples: list[tuple[float, float]] = []
    failures: list[str] = []

    def one() -> None:
        started = time.time()
        try:
            reply = session.get(path)
        except OSError as error:
            failures.append(type(error).__name__)
            return
        if reply.status == 200:
            samples.append((started, reply.seconds))
        else:
            failures.append(f"HTTP {reply.status}")

    threads: list[threading.Thread] = []
    due = time.perf_counter()
    while more(len(threads)):
        threads.append(threading.Thread(target=one))
        threads[-1].start()
        due += interval
        time.sleep(max(0.0, due - time.perf_counter()))
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{path}: {len(failures)} failed requests, e.g. {failures[0]}")
    return samples


def results_during_pdfs(
    fig: Figure,
    session: Session,
    pdf_session: Session,
    cast: "Cast",
    report_ids: list[int],
    rep: int,
    n_alone: int,
    task_windows: Callable[[float, float], list[tuple[float, float]]],
    interval: float = 0.1,
    poll: float = 1.0,  # the progress page's hx-trigger
) -> PdfRun:
    """p50 of the results page requested every `interval` s: alone (n_alone requests), then while
    the report_ids' PDFs are produced. Only requests started inside a render count: the worker's
    task times (django_tasks_db rows), or the report requests themselves when they render
    synchronously."""
    path = f"/assessments/{cast.results_assessment}/results/"

    def alone() -> float:
        return p50(
            [s for _start, s in _open_loop(session, path, interval, lambda sent: sent < n_alone)]
        )

    run = PdfRun(mode="", windows=[], first_status=[])

    def during() -> float:
        outcomes: list = [None] * len(report_ids)
        began = time.time()
        threads = [
            threading.Thread(
                target=_fetch_pdf,
                args=(pdf_session, f"/assessments/{pk}/report.pdf", poll, outcomes, i),
            )
            for i, pk in enumerate(report_ids)
        ]
        for thread in threads:
            thread.start()
        samples = _open_loop(
            session, path, interval, lambda _sent: any(t.is_alive() for t in threads)
        )
        for thread in threads:
            thread.join()
        errors = [o for o in outcomes if isinstance(o, Exception)]
        if errors:
            raise errors[0]
        run.first_status = [first for first, _sent, _done in outcomes]
        if all(status == 200 for status in run.first_status):
            run.mode = "synchronous"
            run.windows = [(sent, done) for _first, sent, done in outcomes]
        else:
            run.mode = "queued"
            run.windows = task_windows(began, time.time())
            if not run.windows:  # no task rows found: from the first request to the last PDF
                run.windows = [(began, max(done for _f, _s, done in outcomes))]
        inside = [s for start, s in samples if any(a <= start <= b for a, b in run.windows)]
        fig.notes.append(
            f"repetition {rep + 1}: {run.mode}, {len(inside)} of {len(samples)} requests "
            f"during a render, renders {sum(b - a for a, b in run.windows):.1f} s in all"
        )
        fig.check("≥ 5 requests during the renders", len(inside) >= 5)
        return p50(inside) if inside else math.nan

    fig.add(*_ab(alone, during, rep))
    return run
