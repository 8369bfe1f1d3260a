"""The simulated people of a topology run: respondents autosaving answers and managers reading the
dashboard, each a thread, over plain HTTP to the web nodes.

The client alternates between the nodes as a load balancer would, and does what one does when a
node dies: a request that could not be sent, or whose connection broke before an answer, goes to
the other node, and the dead node is left out for a few seconds. Autosaves may be sent again: the
same answer saved twice is the same answer. An answer counts as acknowledged when its autosave
answered 200; the run then checks that every acknowledged answer is in the database."""

import http.client
import itertools
import random
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.crypto import get_random_string

from deploy.topology.seed import Cast, Respondent

HTMX = {"HX-Request": "true"}
SKIP_DEAD_NODE_SECONDS = 5.0
TRIES = 4  # per request, across the nodes
BROKEN = (ConnectionError, http.client.HTTPException, TimeoutError, OSError)


class Nodes:
    """Round robin over the web nodes' ports, skipping a node that just failed."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.down_until = dict.fromkeys(ports, 0.0)
        self.turn = itertools.count()
        self.lock = threading.Lock()

    def pick(self) -> int:
        with self.lock:
            now = time.monotonic()
            alive = [p for p in self.ports if self.down_until[p] <= now] or self.ports
            return alive[next(self.turn) % len(alive)]

    def failed(self, port: int) -> None:
        with self.lock:
            self.down_until[port] = time.monotonic() + SKIP_DEAD_NODE_SECONDS


@dataclass
class Figures:
    """What the run measured, shared by the threads (lists and counters appended under a lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    seconds: dict[str, list[tuple[float, float]]] = field(  # kind → [(at, seconds)]
        default_factory=lambda: defaultdict(list)
    )
    statuses: dict[str, dict[int, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    failovers: int = 0  # requests sent again to another node after a broken connection
    gave_up: int = 0  # requests that no node answered in TRIES attempts
    # (username, assessment id, question key) → the last acknowledged choice, and the keys whose
    # last autosave got no answer at all (it may or may not have landed).
    acknowledged: dict[tuple[str, int, str], str] = field(default_factory=dict)
    unknown: set[tuple[str, int, str]] = field(default_factory=set)

    def record(self, kind: str, at: float, seconds: float, status: int) -> None:
        with self.lock:
            self.seconds[kind].append((at, seconds))
            self.statuses[kind][status] += 1


class Browser:
    """One person's cookies, sent to whichever node the balancer picks."""

    def __init__(self, nodes: Nodes, figures: Figures, session_key: str) -> None:
        self.nodes = nodes
        self.figures = figures
        self.csrf = get_random_string(32)  # a CSRF cookie Django accepts, sent back in a header
        self.cookies = {"sessionid": session_key, "csrftoken": self.csrf}

    def request(self, kind: str, method: str, path: str, form: dict | None = None) -> int | None:
        """The status of the first node that answers, or None when none did."""
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        for attempt in range(TRIES):
            port = self.nodes.pick()
            headers = {
                "Host": f"127.0.0.1:{port}",
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                **HTMX,
            }
            if body is not None:
                headers |= {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": self.csrf,
                    "Origin": f"http://127.0.0.1:{port}",
                }
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            start = time.monotonic()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
            except BROKEN:
                self.nodes.failed(port)
                with self.figures.lock:
                    self.figures.failovers += attempt < TRIES - 1
                continue
            finally:
                connection.close()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            self.figures.record(kind, start, time.monotonic() - start, response.status)
            return response.status
        with self.figures.lock:
            self.figures.gave_up += 1
        return None


def respondent(
    person: Respondent, cast: Cast, nodes: Nodes, figures: Figures, until: float, think: float
) -> None:
    """Answer questions of the person's assessment, now and then reading the questionnaire."""
    rng = random.Random(person.username)
    browser = Browser(nodes, figures, person.session)
    time.sleep(rng.uniform(0, think))  # people do not all start in the same second
    while time.monotonic() < until:
        if rng.random() < 0.1:
            browser.request("questionnaire", "GET", f"/assessments/{person.assessment_id}/")
        else:
            key = rng.choice(cast.question_keys)
            choice = rng.choice(cast.choices)
            form = {"choice": choice, "notes": "", "links": "", "na_reason": "", "na_detail": ""}
            path = f"/assessments/{person.assessment_id}/questions/{key}/"
            status = browser.request("autosave", "POST", path, form)
            answer = (person.username, person.assessment_id, key)
            with figures.lock:
                if status == 200:
                    figures.acknowledged[answer] = choice
                    figures.unknown.discard(answer)
                elif status is None:
                    figures.unknown.add(answer)
        pause(rng, think, until)


def pause(rng: random.Random, think: float, until: float) -> None:
    """A person's pause before the next action, cut short when the run ends."""
    time.sleep(max(0.0, min(rng.uniform(0.5 * think, 1.5 * think), until - time.monotonic())))


def manager(
    session: str, nodes: Nodes, figures: Figures, until: float, think: float, seed: int
) -> None:
    rng = random.Random(seed)
    browser = Browser(nodes, figures, session)
    while time.monotonic() < until:
        browser.request("dashboard", "GET", "/dashboard/")
        pause(rng, think, until)


def start(
    cast: Cast, ports: list[int], figures: Figures, *, seconds: float, think: float
) -> list[threading.Thread]:
    nodes = Nodes(ports)
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=respondent, args=(p, cast, nodes, figures, until, think))
        for p in cast.respondents
    ] + [
        threading.Thread(target=manager, args=(s, nodes, figures, until, think / 2, n))
        for n, (_name, s) in enumerate(cast.managers)
    ]
    for thread in threads:
        thread.start()
    return threads


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0
