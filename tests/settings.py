"""Test settings: the production module with a throwaway key, so the tests exercise what ships."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "paydown-tests-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("HTTPS", "0")

from config.settings import *  # noqa: E402, F403

# The manifest storage needs collectstatic first; tests serve files as they are.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise warns when it is missing)
# Tasks run at once in tests; the database queue and its worker are exercised by the bench.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Rendered reports go to a directory of this run's own, removed when it ends, never into var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="paydown-test-media-"))  # noqa: F405
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: its locks wait (busy timeout) as production's do, so the
    # concurrency tests exercise the real behaviour.
    # PAYDOWN_TEST_DB lets two runs on one checkout use separate files.
    default_test_db = str(BASE_DIR / "var" / "test-paydown.sqlite3")  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("PAYDOWN_TEST_DB", default_test_db)}  # noqa: F405
