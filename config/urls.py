"""Top-level URL map."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import last_modified
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from assessment.api import views as api
from config import views

STARTED = timezone.now()

admin.site.site_header = _("Paydown administration")
admin.site.site_title = _("Paydown administration")
admin.site.index_title = _("Question banks, teams and projects")

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg")),
    path("healthz", views.healthz, name="healthz"),
    # The questionnaire's script messages in the page's language; cacheable until a deploy.
    path(
        "jsi18n/",
        login_not_required(last_modified(lambda request: STARTED)(JavaScriptCatalog.as_view())),
        name="javascript_catalog",
    ),
    path("language/", views.set_language, name="set_language"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by email (issue #16). Django's views are login_not_required already.
    path(
        "accounts/password/reset/",
        views.password_login_only(
            # The email's templates are the worker's (assessment/account/tasks.py).
            views.PasswordResetView.as_view(template_name="registration/password_reset_form.html")
        ),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        views.password_login_only(
            auth_views.PasswordResetDoneView.as_view(
                template_name="registration/password_reset_done.html"
            )
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.password_login_only(
            views.PasswordResetConfirmView.as_view(
                template_name="registration/password_reset_confirm.html"
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        views.password_login_only(
            auth_views.PasswordResetCompleteView.as_view(
                template_name="registration/password_reset_complete.html"
            )
        ),
        name="password_reset_complete",
    ),
    path("accounts/tokens/", include("assessment.account.urls")),
    path("", include("assessment.people.urls")),
    # Company sign-in: allauth's OpenID Connect views, and its few account views under
    # SOCIALACCOUNT_ONLY (local accounts are Django's, above).
    path("accounts/sso/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls()),
    path("", include("assessment.urls")),
    path("", include("assessment.project_pages.urls")),
    path("", include("assessment.audit_log.urls")),
]
