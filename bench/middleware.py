"""Counts each request's database queries into an X-Bench-Queries header, so the bench can compare
query counts over HTTP (gunicorn) without DEBUG's query log."""

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        # A streamed body runs its queries after this returns; the header counts those before.
        response.headers["X-Bench-Queries"] = str(count)
        return response
