"""Errors as RFC 9457 problem details (application/problem+json), each with the field paths at
fault where there are some."""

from django.http import HttpRequest, JsonResponse

PROBLEM_TYPE = "application/problem+json"


class Problem(Exception):
    """Raised by an endpoint to answer with a problem document."""

    def __init__(self, status: int, title: str, detail: str = "", errors: list[dict] | None = None):
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors or []
        self.headers: dict[str, str] = {}


def problem_response(request: HttpRequest, problem: Problem) -> JsonResponse:
    body = {"type": "about:blank", "title": problem.title, "status": problem.status}
    if problem.detail:
        body["detail"] = problem.detail
    body["instance"] = request.path
    if problem.errors:
        body["errors"] = problem.errors
    response = JsonResponse(body, status=problem.status, content_type=PROBLEM_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response


def field_errors(errors: list[dict]) -> list[dict]:
    """Ninja's validation errors as {"path": "body.level", "message": …}."""
    return [
        {
            "path": ".".join(str(part) for part in error.get("loc", ())),
            "message": error.get("msg", "invalid"),
        }
        for error in errors
    ]
