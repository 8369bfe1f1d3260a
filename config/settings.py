"""Paydown settings, read from the environment so one module serves demo, tests and production."""

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting; a typo such as DEBUG=ture stops the start instead of reading as off."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS | FALSE_WORDS:
        return value in TRUE_WORDS
    raise ImproperlyConfigured(
        f"{name}={os.environ[name]!r} is not a yes/no value: use 1, true, yes, on "
        "or 0, false, no, off."
    )


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # Fail fast with one line: a guessable key in production would forge sessions.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: set SECRET_KEY to a long random string, or DEBUG=1 for development."
        )
    SECRET_KEY = "django-insecure-paydown-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its templates and static files: the API docs page, served locally
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "audit",
    "scheduler",
    "projects",
    "banks",
    "assessment",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.FormEncodingMiddleware",
    "projects.replica.pin_after_write",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the session: a signed-in person's profile language wins over the browser's.
    "config.middleware.ProfileLanguageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'paydown.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent autosaves from several respondents: wait for the write lock instead of failing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}

# PostgreSQL connections (docs/scaling.md). DATABASE_POOL_SIZE > 0: psycopg's pool in each process,
# up to that many connections, which needs CONN_MAX_AGE=0 (the pool keeps them instead); worth it
# with gunicorn's threaded workers. DATABASE_PGBOUNCER=1: behind PgBouncer in transaction mode,
# where a server-side cursor (the streamed exports' .iterator()) cannot outlive its transaction.
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0)
DATABASE_PGBOUNCER = env_bool("DATABASE_PGBOUNCER")


def postgres_connections(database: dict, *, wait_seconds: int = 10) -> dict:
    """The pool and PgBouncer settings applied to one PostgreSQL database's settings; a request
    waits at most `wait_seconds` for a free connection, then fails."""
    if "postgresql" not in database["ENGINE"]:
        return database
    if DATABASE_POOL_SIZE > 0:
        database["CONN_MAX_AGE"] = 0
        database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(2, DATABASE_POOL_SIZE),
            "max_size": DATABASE_POOL_SIZE,
            "timeout": wait_seconds,
        }
    if DATABASE_PGBOUNCER:
        database["DISABLE_SERVER_SIDE_CURSORS"] = True
    return database


postgres_connections(DATABASES["default"])

# A streaming replica for the pages that read a lot (projects/replica.py, issue #19): optional.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS = ["projects.replica.ReplicaRouter"]
# Longer than the replica's usual lag: whoever wrote reads from the primary meanwhile.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if "postgresql" in DATABASES["replica"]["ENGINE"]:
        # A replica that does not answer must cost a page little: the reads go to the primary.
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    # A replica that stopped must cost a page 2 s at most, as its connect timeout does.
    postgres_connections(DATABASES["replica"], wait_seconds=2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins: five tries per user name and address, then a one-hour lock-out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0) or None

LANGUAGE_CODE = "en"
# The interface's languages (locale/, issue #17); a bank's texts may carry any of them too.
LANGUAGES = [("en", "English"), ("de", "Deutsch"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
if DEBUG:
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Rendered PDF reports are kept through the default storage: files under MEDIA_ROOT here; another
# backend (S3 and the like) is a change of STORAGES["default"]. Never served from MEDIA_URL: the
# download views check who may have each file.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Beyond one machine (issue #19), all optional. With AWS_STORAGE_BUCKET_NAME the reports go to an
# S3-compatible bucket (django-storages; boto3 takes AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
# or an instance role, from the environment itself, so no secret is copied into settings). The
# bucket stays private: no ACL is sent, so objects keep the bucket's own (private) ACL, and a
# download is a redirect to a URL signed for AWS_QUERYSTRING_EXPIRE seconds (assessment/downloads.py).
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
# Another S3-compatible server (MinIO, moto…); browsers follow the download links to it too.
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True
AWS_QUERYSTRING_EXPIRE = env_int("AWS_QUERYSTRING_EXPIRE", 60)  # long enough to start a download
# Report names are unique (a result's hash, a job's id): overwriting an equal file is harmless and
# saves the existence check a fresh name would cost.
AWS_S3_FILE_OVERWRITE = True
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}


# REDIS_URL: one cache shared by every web node and worker (django-redis); unset, each process has
# Django's local memory cache. A Redis that fails is a cache miss (logged), never an error page,
# and costs a request at most a connect timeout; sessions are then kept in the database too
# (cached_db), so nobody is signed out by a Redis restart or outage.
def redis_caches(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "paydown",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }


REDIS_URL = os.environ.get("REDIS_URL", "")
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Uploads (bank files) are refused above this size before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024 + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE

# Security headers; HTTPS settings default on in production, off in development.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
HTTPS = env_bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
# The language switcher's choice (config.views.set_language) is kept a year, like the session's.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


# Scripts, styles and connections from the app itself only; page code reads JSON via json_script.
def content_security_policy(sign_in_origins: list[str]) -> str:
    """The pages' policy. A company sign-in form posts here and is redirected to the identity
    provider, which browsers check against form-action too: its origin is allowed there."""
    form_action = " ".join(["'self'", *sign_in_origins])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        f"frame-ancestors 'none'; form-action {form_action}"
    )


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "filters": {"once_a_minute": {"()": "config.logging.OncePerInterval", "seconds": 60}},
    # WeasyPrint narrates every layout step and every SVG style it passes over; keep real errors.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # The cache calls django-redis ignores while Redis is down: one line a minute.
        "django_redis.cache": {"filters": ["once_a_minute"]},
    },
}

# Background jobs (large PDF reports) run on a queue stored in the database, so any number of
# `manage.py db_worker` processes on any machine can take them; never on a web thread.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# A latest assessment older than this is flagged stale on dashboards, and a project reminds its
# managers to reassess after this many days unless it sets its own cadence.
STALE_AFTER_DAYS = env_int("STALE_AFTER_DAYS", 90)

# What `manage.py worker` enqueues on a clock (scheduler/): each job every `every_hours` from its
# anchor, once per occurrence however many workers run.
PAYDOWN_SCHEDULE = {
    "weekly-digest": {
        "task": "assessment.notifications.tasks.send_weekly_digests",
        "every_hours": 7 * 24,
        "anchor": datetime(2026, 1, 5, 7, tzinfo=UTC),  # Mondays, 07:00 UTC
    },
    "stale-reminders": {
        "task": "assessment.notifications.tasks.send_stale_reminders",
        "every_hours": 24,
        "anchor": datetime(2026, 1, 1, 6, tzinfo=UTC),  # daily, 06:00 UTC
    },
    # Finished jobs, old claims and lost workers' heartbeats (scheduler/workers.py).
    "prune-finished-work": {
        "task": "scheduler.tasks.prune_finished_work",
        "every_hours": 24,
        "anchor": datetime(2026, 1, 1, 3, tzinfo=UTC),  # daily, 03:00 UTC
    },
}

# Many workers (issue #19, scheduler/workers.py): each records a heartbeat every
# WORKER_HEARTBEAT_SECONDS and as often puts the running jobs of a worker silent for
# WORKER_LOST_AFTER_SECONDS back on the queue; a job whose worker was lost TASK_MAX_ATTEMPTS times
# is failed. Finished jobs older than TASK_RESULTS_KEEP_DAYS are pruned daily.
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_LOST_AFTER_SECONDS = env_int("WORKER_LOST_AFTER_SECONDS", 60)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 14)
if not 1 <= WORKER_HEARTBEAT_SECONDS <= WORKER_LOST_AFTER_SECONDS // 3:
    # A worker stops itself one beat before the others would count it lost, and must be able to
    # miss a beat before that; closer, a live worker's job could run twice.
    raise ImproperlyConfigured(
        "WORKER_LOST_AFTER_SECONDS must be at least three times WORKER_HEARTBEAT_SECONDS "
        "(at least 1)."
    )
if TASK_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("TASK_MAX_ATTEMPTS must be at least 1.")

# The address the emails' links start with (no request to read it from in the worker).
PAYDOWN_BASE_URL = os.environ.get("PAYDOWN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The API (issue #14): requests a minute per token, counted in the cache (docs/api.md).
PAYDOWN_API_RATE = env_int("PAYDOWN_API_RATE", 120)

# Email (issue #16): invitations, password resets and address checks. The console backend prints
# them (the demo); set EMAIL_HOST to send through SMTP.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Paydown <paydown@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# How long an invitation's link and an address-check link work, in days.
PAYDOWN_INVITATION_DAYS = env_int("PAYDOWN_INVITATION_DAYS", 7)
PAYDOWN_EMAIL_LINK_DAYS = env_int("PAYDOWN_EMAIL_LINK_DAYS", 3)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_HOURS", 24) * 3600
PAYDOWN_RESET_EMAILS_PER_HOUR = env_int("PAYDOWN_RESET_EMAILS_PER_HOUR", 3)

# Local password sign-in (issue #16). Off: the login page has no password form and password
# resets are refused; `manage.py signin_link USERNAME` gives a staff user a one-time link.
PAYDOWN_PASSWORD_LOGIN = env_bool("PAYDOWN_PASSWORD_LOGIN", True)


# Company sign-in (issue #16) with django-allauth: OpenID Connect providers by issuer URL, from
# OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET (OIDC_NAME, OIDC_PROVIDER_ID), or several as a
# JSON list in PAYDOWN_OIDC_PROVIDERS. allauth keeps to company sign-in here: local accounts stay
# Django's (the login page above), so it runs with SOCIALACCOUNT_ONLY.
def oidc_apps() -> list[dict]:
    listed = json.loads(os.environ.get("PAYDOWN_OIDC_PROVIDERS", "[]"))
    if os.environ.get("OIDC_ISSUER"):
        listed.append(
            {
                "id": os.environ.get("OIDC_PROVIDER_ID", "company"),
                "name": os.environ.get("OIDC_NAME", "Company sign-in"),
                "issuer": os.environ["OIDC_ISSUER"],
                "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
            }
        )
    return [oidc_app(**provider) for provider in listed]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def oidc_app(*, id: str, name: str, issuer: str, client_id: str, secret: str) -> dict:
    return {
        "provider_id": id,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {"server_url": issuer, "scope": ["openid", "profile", "email", "groups"]},
    }


# SAML 2.0 where python3-saml's xmlsec binding loads (the image installs its libraries): one IdP
# from SAML_IDP_METADATA_URL, or SAML_IDP_SSO_URL with SAML_IDP_X509CERT, each with
# SAML_IDP_ENTITY_ID. Assertions must be signed; sign-ins the IdP starts on its own are refused.
def saml_available() -> bool:
    try:
        import xmlsec  # noqa: F401
        from onelogin.saml2 import auth  # noqa: F401
    except ImportError:
        return False
    return True


def saml_apps() -> list[dict]:
    if not os.environ.get("SAML_IDP_ENTITY_ID"):
        return []
    idp = {"entity_id": os.environ["SAML_IDP_ENTITY_ID"]}
    if os.environ.get("SAML_IDP_METADATA_URL"):
        idp["metadata_url"] = os.environ["SAML_IDP_METADATA_URL"]
    else:
        idp["sso_url"] = os.environ.get("SAML_IDP_SSO_URL", "")
        idp["x509cert"] = os.environ.get("SAML_IDP_X509CERT", "")
    return [
        saml_app(
            slug=os.environ.get("SAML_ORG", "company"),
            name=os.environ.get("SAML_NAME", "Company sign-in (SAML)"),
            idp=idp,
        )
    ]


def saml_app(*, slug: str, name: str, idp: dict) -> dict:
    return {
        "name": name,
        "provider_id": idp["entity_id"],
        "client_id": slug,  # the organisation's slug, in the URLs /accounts/sso/saml/<slug>/…
        "settings": {
            "attribute_mapping": {
                "uid": ["uid", "urn:oasis:names:tc:SAML:attribute:subject-id"],
                "email": ["email", "urn:oid:0.9.2342.19200300.100.1.3"],
                "first_name": ["givenName", "urn:oid:2.5.4.42"],
                "last_name": ["sn", "urn:oid:2.5.4.4"],
            },
            "idp": idp,
            "advanced": {
                "want_assertion_signed": True,
                "reject_idp_initiated_sso": True,
                "allow_repeat_attribute_name": True,
            },
        },
    }


def sign_in_origins(oidc: list[dict], saml: list[dict]) -> list[str]:
    urls = [app["settings"]["server_url"] for app in oidc]
    urls += [
        app["settings"]["idp"].get("sso_url") or app["settings"]["idp"]["metadata_url"]
        for app in saml
    ]
    return sorted({origin_of(url) for url in urls if url})


SAML_AVAILABLE = saml_available()
if SAML_AVAILABLE:
    INSTALLED_APPS.append("allauth.socialaccount.providers.saml")
AUTHENTICATION_BACKENDS.append("allauth.account.auth_backends.AuthenticationBackend")
OIDC_APPS = oidc_apps()
SAML_APPS = saml_apps() if SAML_AVAILABLE else []
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {"APPS": OIDC_APPS, "OAUTH_PKCE_ENABLED": True},
    "saml": {"APPS": SAML_APPS},
}
CONTENT_SECURITY_POLICY = content_security_policy(sign_in_origins(OIDC_APPS, SAML_APPS))
SOCIALACCOUNT_ONLY = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # the identity provider vouches for its addresses
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # an address alone never takes over a local account
SOCIALACCOUNT_STORE_TOKENS = False
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGOUT_REDIRECT_URL = LOGOUT_REDIRECT_URL

# Teams from the identity provider: {"idp-group": {"team": "slug", "role": "member"|"manager"}},
# read from this claim of the sign-in (docs in README, "People").
PAYDOWN_IDP_TEAMS = json.loads(os.environ.get("PAYDOWN_IDP_TEAMS", "{}"))
PAYDOWN_IDP_GROUPS_CLAIM = os.environ.get("PAYDOWN_IDP_GROUPS_CLAIM", "groups")
