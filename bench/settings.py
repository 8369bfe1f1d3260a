"""Settings for `make bench`: production settings (DEBUG off, database queue) plus the floor view.

Read from the environment like config.settings; bench/run.py sets DATABASE_URL (a SQLite file
under /tmp unless --database-url) and DJANGO_SETTINGS_MODULE=bench.settings for itself, gunicorn
and the worker. Nothing here is for a real deployment: the key is fixed and passwords are MD5.
"""

import os

os.environ.setdefault("SECRET_KEY", "paydown-bench-only-not-a-secret-0123456789abcdefghijklmnop")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("HTTPS", "0")  # plain HTTP on 127.0.0.1: no redirect, no secure cookies
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/paydown-bench.sqlite3")
# Stored PDF reports: a directory of the bench's own, emptied by bench/run.py, so no report
# rendered by an earlier run (or by `make demo`) is served instead of rendered.
os.environ.setdefault("MEDIA_ROOT", "/tmp/paydown-bench-media")

from config.settings import *  # noqa: E402, F403
from config.settings import MIDDLEWARE  # noqa: E402

ROOT_URLCONF = "bench.urls"
MEDIA_ROOT = os.environ["MEDIA_ROOT"]

# Users are created by the thousand and log in over HTTP: a slow hash would time the hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Collected (with the production storage: hashed names, compressed) by bench/run.py.
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", "/tmp/paydown-bench-static")

# First, so it counts every query of the request, the session's and the user's included.
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

# The bench's own table for the floor view; created by bench/run.py, not by a migration.
FLOOR_TABLE = "bench_floor"
