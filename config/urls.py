"""Top-level URL map."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from assessment.api import views as api
from config import views

admin.site.site_header = _("Paydown administration")
admin.site.site_title = _("Paydown administration")
admin.site.index_title = _("Question banks, teams and projects")

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=f"{settings.STATIC_URL}img/favicon.svg")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
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
    path("accounts/tokens/", include("assessment.account.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls()),
    path("", include("assessment.urls")),
    path("", include("assessment.project_pages.urls")),
]
