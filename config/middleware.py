"""Our middleware: response headers Django 5.2 does not set (CSP), and form-only writes to pages."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _

from projects.models import Profile


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


API_PREFIX = "/api/"
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
UTF8 = {"utf-8", "utf8"}


class FormEncodingMiddleware:
    """Pages take writes as HTML forms only. Any other body (JSON, XML, text) would reach the views
    as an empty form, and an empty form must never read as "clear everything"; a charset other than
    UTF-8 makes Django fail on the first read of the form. Both are refused before any view, CSRF
    check or session runs, so nothing changes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API takes JSON and validates it against its own schema (assessment/api).
        if request.method in {"POST", "PUT", "PATCH"} and not request.path.startswith(API_PREFIX):
            refusal = self.refusal(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def refusal(request: HttpRequest) -> HttpResponse | None:
        content_type, params = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
        if content_type.lower() not in FORM_TYPES:
            return _refused(
                415,
                _("This page takes a web form (URL-encoded or multipart), not “%(type)s”.")
                % {"type": content_type or _("no content type")},
            )
        charset = params.get("charset", "utf-8").lower()
        if charset not in UTF8:
            return _refused(
                400, _("Forms are read as UTF-8, not “%(charset)s”.") % {"charset": charset}
            )
        return None


def _refused(status: int, message: str) -> HttpResponse:
    body = f'<p class="status-line" role="alert">{escape(message)} {escape(_("Nothing was saved."))}</p>'
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


class ProfileLanguageMiddleware:
    """LocaleMiddleware picked the cookie's or the browser's language; a signed-in person's own
    choice, kept in the session, wins over both."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.session.get(Profile.LANGUAGE_SESSION_KEY)
        if language and translation.check_for_language(language):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
