"""A small client of the Paydown API (/api/v1/, docs/api.md) on the standard library: JSON in and
out, problem details turned into one readable error."""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

TIMEOUT_SECONDS = 30
# A push sends a request a question: past the token's budget the server answers 429 with
# Retry-After, and the client waits that long (at most a minute) and goes on, a few times.
RETRIES_AFTER_429 = 3
MAX_WAIT_SECONDS = 60


class ApiError(Exception):
    """The server refused or could not be reached; the message says why, with field paths."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Client:
    def __init__(self, server: str, token: str) -> None:
        self.base = server.rstrip("/") + "/api/v1"
        self.token = token

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        for _attempt in range(RETRIES_AFTER_429):
            try:
                return self._call(method, path, body, headers)
            except _RateLimited as limited:
                time.sleep(limited.wait)
        try:
            return self._call(method, path, body, headers)
        except _RateLimited:
            raise ApiError(f"{method} {path}: 429 Too many requests, after waiting", 429) from None

    def _call(self, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Accept": "application/json",
                **({"Content-Type": "application/json"} if body is not None else {}),
                **headers,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            if error.code == 429 and error.headers.get("Retry-After", "").isdigit():
                raise _RateLimited(
                    min(int(error.headers["Retry-After"]), MAX_WAIT_SECONDS)
                ) from None
            raise ApiError(_problem_text(method, path, error), error.code) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ApiError(f"{method} {self.base}{path}: {reason}") from None

    def pages(self, path: str) -> list[Any]:
        """Every item of a cursor-paged list."""
        items, cursor = [], None
        while True:
            query = "?limit=200" + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else "")
            page = self.call("GET", path + query)
            items += page["items"]
            cursor = page.get("next")
            if not cursor:
                return items


class _RateLimited(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(f"rate limited for {wait} s")
        self.wait = wait


def _problem_text(method: str, path: str, error: urllib.error.HTTPError) -> str:
    try:
        problem = json.loads(error.read() or b"{}")
    except ValueError:
        problem = {}
    text = f"{method} {path}: {error.code} {problem.get('title') or error.reason}"
    if problem.get("detail"):
        text += f": {problem['detail']}"
    for item in problem.get("errors", [])[:20]:
        text += f"\n  {item.get('path', '')}: {item.get('message', '')}"
    return text
