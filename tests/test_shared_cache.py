"""The shared cache (issue #19): REDIS_URL selects django-redis with sessions in cached_db, and a
Redis that does not answer costs misses, never an error page or a lost sign-in."""

import logging
import sys

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from config import settings as settings_module
from tests.api.test_api import call, token_for
from tests.shared_cache import DEAD_REDIS, LOCAL_REDIS, dead_redis, local_redis, redis_answers

__all__ = ["dead_redis", "local_redis"]  # fixtures
from tests.test_settings import run_manage


def test_redis_url_selects_django_redis_and_cached_db_sessions():
    shown = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; c = s.CACHES['default'];"
        "print(c['BACKEND'], c['LOCATION'], c['OPTIONS']['IGNORE_EXCEPTIONS'],"
        " c['OPTIONS']['SOCKET_CONNECT_TIMEOUT'], s.SESSION_ENGINE, sep='|')",
        env={"DEBUG": "1", "REDIS_URL": "redis://10.0.0.3:6379/2"},
    )
    default = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, sep='|')",
        env={"DEBUG": "1"},
    )

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == (
        "django_redis.cache.RedisCache|redis://10.0.0.3:6379/2|True|0.5|"
        "django.contrib.sessions.backends.cached_db"
    )
    assert default.stdout.strip().splitlines()[-1] == (
        "django.core.cache.backends.locmem.LocMemCache|django.contrib.sessions.backends.db"
    )


def test_a_dead_redis_reads_as_a_miss_and_is_logged_once(dead_redis, caplog):
    # settings.LOGGING's filter; a test that configures logging again adds another instance.
    for once in logging.getLogger("django_redis.cache").filters:
        once.next_at = float("-inf")

    assert cache.set("k", 1) is None
    assert cache.get("k") is None
    assert cache.add("k", 0) is None
    assert cache.incr("k") is None  # not a number: its callers read None as "not counted"
    logged = [r for r in caplog.records if r.name == "django_redis.cache"]
    assert len(logged) == 1 and logged[0].getMessage().startswith("The cache failed")


def test_the_api_answers_while_redis_is_down(client, alice, project1, dead_redis):
    token = token_for(alice)

    responses = [call(client, "get", "/projects", token) for _ in range(2)]

    assert [r.status_code for r in responses] == [200, 200]
    assert [p["slug"] for p in responses[1].json()["items"]] == [project1.slug]


def test_the_api_budget_is_counted_in_redis(client, alice, project1, local_redis, settings):
    settings.PAYDOWN_API_RATE = 2
    token = token_for(alice)

    statuses = [call(client, "get", "/projects", token).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


def test_a_password_reset_is_sent_while_redis_is_down(client, alice, dead_redis):
    alice.email = "alice@example.com"
    alice.save(update_fields=["email"])

    response = client.post(reverse("password_reset"), {"email": "alice@example.com"})

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_sign_in_and_a_signed_in_page_work_while_redis_is_down(client, alice, project1, dead_redis):
    signed_in = client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests"})
    page = client.get(reverse("projects:home"))

    assert signed_in.status_code == 302
    assert page.status_code == 200
    assert project1.name in page.text
    assert page.wsgi_request.user == alice


def test_a_session_outlives_a_redis_outage(client, alice, project1, settings):
    if not redis_answers():
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.CACHES = settings_module.redis_caches(LOCAL_REDIS)
    client.post(reverse("login"), {"username": "alice", "password": "pw-for-tests"})
    assert client.get(reverse("projects:home")).wsgi_request.user == alice

    settings.CACHES = settings_module.redis_caches(DEAD_REDIS)  # Redis stops
    page = client.get(reverse("projects:home"))

    assert page.status_code == 200
    assert page.wsgi_request.user == alice


def test_a_cache_outage_logs_one_line_a_minute_not_a_traceback_per_call():
    from config.logging import OncePerInterval

    now = [0.0]
    once = OncePerInterval(seconds=60, clock=lambda: now[0])

    def ignored() -> logging.LogRecord:
        try:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        except ConnectionError:
            return logging.LogRecord(
                "django_redis.cache", logging.ERROR, __file__, 1, "Exception ignored", (),
                sys.exc_info(),
            )  # fmt: skip

    burst = [ignored() for _ in range(500)]
    passed = [record for record in burst if once.filter(record)]
    now[0] = 61.0
    later = ignored()

    assert [r.getMessage() for r in passed] == [
        "The cache failed, serving without it "
        "(ConnectionError: Error 111 connecting to 127.0.0.1:6379. Connection refused.)"
    ]
    assert passed[0].exc_info is None and passed[0].levelname == "WARNING"
    assert once.filter(later) and later.getMessage().endswith("; 499 more since the last such line")
