"""A small HTTP client for the bench: one logged-in browser session (cookies and CSRF token) over
http.client, one connection per request, as gunicorn's sync workers close each one anyway."""

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float  # from sending the request to the last byte of the body
    queries: int | None  # the X-Bench-Queries header (bench.middleware)
    headers: dict[str, str]


class Session:
    """What a browser keeps for one user: cookies, and the CSRF token it sends with every POST."""

    def __init__(self, port: int, *, timeout: float = 300) -> None:
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            sent["Origin"] = f"http://127.0.0.1:{self.port}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            start = time.perf_counter()
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
            seconds = time.perf_counter() - start
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        queries = response.headers.get("X-Bench-Queries")
        return Reply(
            status=response.status,
            body=content,
            seconds=seconds,
            queries=int(queries) if queries is not None else None,
            headers={k.lower(): v for k, v in response.headers.items()},
        )

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict[str, str], **kwargs) -> Reply:
        return self.request("POST", path, form=form, **kwargs)

    def login(self, username: str, password: str) -> None:
        """Log in through the login form, as a person would (django-axes sees it too)."""
        page = self.get("/accounts/login/")
        match = CSRF_INPUT.search(page.body.decode())
        if page.status != 200 or not match:
            raise RuntimeError(f"login page: HTTP {page.status}, no CSRF token")
        reply = self.request(
            "POST",
            "/accounts/login/",
            form={"username": username, "password": password, "csrfmiddlewaretoken": match[1]},
        )
        if reply.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username}: HTTP {reply.status}, no session")


def expect(reply: Reply, status: int, what: str) -> Reply:
    if reply.status != status:
        raise RuntimeError(f"{what}: HTTP {reply.status}, expected {status}: {reply.body[:300]!r}")
    return reply
