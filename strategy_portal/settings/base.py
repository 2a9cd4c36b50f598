"""Settings shared by every environment.

All configuration comes from environment variables (see ``.env.example``). ``local`` and
``test`` give development defaults; ``production`` refuses to start without the required
variables.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file in the project root is read if present (never committed).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "strategy_portal.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "strategy_portal",
    "municipalities",
    "fields_of_action",
    "measures",
    "evaluation",
    "drafts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "strategy_portal.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "strategy_portal.urls"
WSGI_APPLICATION = "strategy_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "strategy_portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# German only for now: the UI strings are German at the source. An English catalogue
# (locale/en) plus LocaleMiddleware would add English as the second language.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="digitalstrategie@luechow-dannenberg.de")

# Celery: with REDIS_URL unset, tasks run in-process (eager) so that `make run` needs no broker.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=540)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

SIMPLE_HISTORY_REVERT_DISABLED = True

# Portal-specific settings.
PORTAL_DISTRICT_AGS = env("PORTAL_DISTRICT_AGS", default="03354000")
PORTAL_PAGE_SIZE = env.int("PORTAL_PAGE_SIZE", default=25)
# Absolute address of the portal for links in e-mails.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Evaluation (app `evaluation`): gathering indicator values from their sources.
EVALUATION_HTTP_TIMEOUT = env.float("EVALUATION_HTTP_TIMEOUT", default=20.0)
# Responses larger than this are refused (bytes); protects workers from huge or endless files.
EVALUATION_MAX_RESPONSE_BYTES = env.int("EVALUATION_MAX_RESPONSE_BYTES", default=5_000_000)
# Hosts in internal networks that sources may nevertheless fetch from (SSRF protection refuses
# loopback, private and link-local addresses otherwise), e.g. an intranet statistics server.
EVALUATION_ALLOWED_PRIVATE_HOSTS = env.list("EVALUATION_ALLOWED_PRIVATE_HOSTS", default=[])
EVALUATION_GATHER_MIN_INTERVAL_HOURS = env.int("EVALUATION_GATHER_MIN_INTERVAL_HOURS", default=20)
# Days before a round's deadline on which reminders go out.
EVALUATION_REMINDER_DAYS = env.int("EVALUATION_REMINDER_DAYS", default=7)
# Months after which a measure in progress or completed needs a new assessment.
EVALUATION_ASSESSMENT_INTERVAL_MONTHS = env.int("EVALUATION_ASSESSMENT_INTERVAL_MONTHS", default=12)
# Regionalstatistik / GENESIS REST API 2020; the personal token is never stored in the database.
GENESIS_API_URL = env(
    "GENESIS_API_URL", default="https://www.regionalstatistik.de/genesisws/rest/2020/"
)
GENESIS_API_TOKEN = env("GENESIS_API_TOKEN", default="")

CELERY_BEAT_SCHEDULE = {
    "evaluation-gather-due-indicators": {
        "task": "evaluation.gather_due_indicators",
        "schedule": env.int("EVALUATION_GATHER_EVERY_SECONDS", default=24 * 60 * 60),
    },
    "evaluation-send-round-reminders": {
        "task": "evaluation.send_round_reminders",
        "schedule": 24 * 60 * 60,
    },
    # Single-measure rescoring (on save) uses the corpus of that moment; a nightly full run
    # realigns all stored matches and catches measures changed outside the form (imports).
    "measures-recompute-all-similarity": {
        "task": "measures.recompute_all_similarity",
        "schedule": 24 * 60 * 60,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO; only its warnings matter.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}
