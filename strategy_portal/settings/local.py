"""Development settings: `make run`. SQLite, eager Celery, console e-mail, DEBUG on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Demo logins (password "demo") by default only with DEBUG on the local SQLite database: a
# DATABASE_URL may name a copy of production. PORTAL_DEMO_ALLOWED=true overrides, e.g. for a
# local PostgreSQL.
PORTAL_DEMO_ALLOWED = env.bool(
    "PORTAL_DEMO_ALLOWED",
    default=DEBUG and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",  # noqa: F405
)
SECRET_KEY = env("SECRET_KEY", default="local-development-only-not-secret")  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Serve static files straight from the app folders while developing (no collectstatic).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Why: the manifest storage of base.py needs `collectstatic`; with DEBUG=0 every {% static %}
# would raise for the missing manifest and each page answer 500. Plain URLs work with the
# finders above, with or without DEBUG.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Why: without REDIS_URL the development server runs Celery's tasks in a thread of its own
# process instead of eagerly in the request (core.local_worker); with REDIS_URL it is the
# plain application and `make worker` takes the tasks.
WSGI_APPLICATION = "strategy_portal.local_wsgi.application"
