"""Settings for the test suite. DATABASE_URL and REDIS_URL still apply (CI's second run)."""

import os

from django.core.exceptions import ImproperlyConfigured

# pytest-xdist runs the suite in several processes (gw0, gw1, ...). pytest-django gives each
# its own test database (test_<name>_gw0, ...); TEST_REDIS_URLS (space-separated, gw0's first)
# gives each its own Redis database for cache and Celery queue, since tests empty the cache and
# CI's second run starts one Celery worker per process on that process's database and queue.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_TEST_REDIS_URLS = os.environ.get("TEST_REDIS_URLS", "").split()
if _XDIST_WORKER and _TEST_REDIS_URLS:
    _index = int(_XDIST_WORKER.removeprefix("gw"))
    if _index >= len(_TEST_REDIS_URLS):
        raise ImproperlyConfigured(
            f"TEST_REDIS_URLS names {len(_TEST_REDIS_URLS)} Redis URLs, too few for pytest-xdist "
            f"worker {_XDIST_WORKER}: give one per worker (-n)."
        )
    os.environ["REDIS_URL"] = _TEST_REDIS_URLS[_index]

from .base import *  # noqa: E402, F403
from .base import REDIS_URL, env  # noqa: E402

if REDIS_URL and int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1 and not _TEST_REDIS_URLS:
    raise ImproperlyConfigured(
        "REDIS_URL is set and pytest-xdist runs several processes, which would share one Redis "
        "database (tests empty the cache): set TEST_REDIS_URLS to one Redis URL per process, "
        "or run them in one process (make test PYTEST_WORKERS=0)."
    )

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="test-only-not-secret")  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The source adapters are tested against HTTP servers on this machine.
EVALUATION_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1", "localhost"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Test databases are thrown away: a commit (migrations, transactional tests, the flush after
    # each of them) need not wait for the disk. Rows, locks and isolation behave as before.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
