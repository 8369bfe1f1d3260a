"""Fixtures for tests of the shared cache: production's Redis settings on the machine's Redis
(skipped where none answers) or on one that is down."""

import socket

import pytest
from django.core.cache import caches

from config import settings as settings_module

# Nothing listens on port 1: a connection is refused at once, as from a stopped Redis.
DEAD_REDIS = "redis://127.0.0.1:1/0"
LOCAL_REDIS = "redis://127.0.0.1:6379/15"  # a database of the tests' own


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def dead_redis(settings):
    """Production's cache settings, pointed at a Redis that is down."""
    settings.CACHES = settings_module.redis_caches(DEAD_REDIS)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return caches["default"]


@pytest.fixture
def local_redis(settings):
    """Production's cache settings on the machine's Redis, emptied before and after."""
    if not redis_answers():
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    settings.CACHES = settings_module.redis_caches(LOCAL_REDIS)
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()
