"""Site-wide views that belong to no app."""

import functools

from axes import utils as axes_utils
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from assessment.account import tasks as account_tasks
from projects import services
from projects.models import Profile


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise: the container's HEALTHCHECK reads this."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; setting a new password also lifts a failed-login lock-out on the account:
    whoever proved they own its address may log in at once, not after the hour."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_utils.reset(username=form.user.get_username())
        return response


class LoginView(auth_views.LoginView):
    """Django's view; with PAYDOWN_PASSWORD_LOGIN off the page offers no password form and a
    posted password is refused before any check (so nothing can be guessed through it)."""

    def post(self, request, *args, **kwargs):
        if not settings.PAYDOWN_PASSWORD_LOGIN:
            return self.render_to_response(self.get_context_data(), status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(password_login=settings.PAYDOWN_PASSWORD_LOGIN, **kwargs)


def password_login_only(view):
    """Password resets exist only while passwords sign in: 404 otherwise."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not settings.PAYDOWN_PASSWORD_LOGIN:
            raise Http404(_("Password sign-in is switched off here."))
        return view(request, *args, **kwargs)

    return wrapper


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view, with the email queued for the worker (assessment/account/tasks.py) and at
    most PAYDOWN_RESET_EMAILS_PER_HOUR emails to one address an hour (counted in the cache), so
    the form cannot flood a mailbox. Past the limit the same page follows and nothing is queued:
    the page never tells whether an email went."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        key = "paydown:password-reset:" + email.strip().lower()
        cache.add(key, 0, timeout=3600)
        sent = cache.incr(key)  # None while a shared cache is down: the email goes, uncounted
        if sent is None or sent <= settings.PAYDOWN_RESET_EMAILS_PER_HOUR:
            account_tasks.send_password_reset.enqueue(
                email,
                domain=self.request.get_host(),
                use_https=self.request.is_secure(),
                language=translation.get_language(),
            )
        return HttpResponseRedirect(self.get_success_url())


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: Django's view sets the cookie (LANGUAGE_COOKIE_* settings) and
    follows `next` on this site only; a signed-in person's profile and session take the choice
    too (config.middleware), so it follows them to other browsers. An unknown language is a 400
    rather than Django's silent redirect."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponse(
            _("“%(language)s” is not a language of this site.") % {"language": language},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if request.user.is_authenticated:
        services.set_language(user=request.user, language=language)
        request.session[Profile.LANGUAGE_SESSION_KEY] = language
    return i18n.set_language(request)
