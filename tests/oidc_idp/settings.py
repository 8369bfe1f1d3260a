"""Settings of the test OpenID Connect provider: a standalone Django site, never Paydown's.

The environment gives the database file (OIDC_IDP_DB) and the site URL (OIDC_IDP_SITE_URL, e.g.
http://127.0.0.1:8123) from which django-oidc-provider builds the issuer, SITE_URL + "/openid".
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

HERE = Path(__file__).resolve().parent

SECRET_KEY = "oidc-idp-tests-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oidc_provider",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tests.oidc_idp.urls"
WSGI_APPLICATION = "tests.oidc_idp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Ours first: they replace oidc_provider's consent page.
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

if not os.environ.get("OIDC_IDP_DB"):
    raise ImproperlyConfigured("Set OIDC_IDP_DB to the path of the test provider's SQLite file.")
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["OIDC_IDP_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# Test users only: a fast hasher keeps the setup quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The provider and Paydown's live server both run on 127.0.0.1, and cookies ignore the port: with
# names of its own the provider's session and CSRF cookies never replace Paydown's.
SESSION_COOKIE_NAME = "oidc_idp_sessionid"
CSRF_COOKIE_NAME = "oidc_idp_csrftoken"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
USE_I18N = False

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/login/"

SITE_URL = os.environ.get("OIDC_IDP_SITE_URL") or None
OIDC_USERINFO = "tests.oidc_idp.claims.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.oidc_idp.claims.GroupsScopeClaims"
# The ID token carries the claims of the granted scopes too (email, name, groups), not only sub.
OIDC_IDTOKEN_INCLUDE_CLAIMS = True

# DEBUG is off, so without this a failing request would leave no traceback in the server log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "oidc_provider": {"handlers": ["console"], "level": "WARNING"},
    },
}
