"""Settings shared by every environment.

All configuration comes from environment variables (see ``.env.example``). ``local`` and
``test`` give development defaults; ``production`` refuses to start without the required
variables.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file in the project root is read if present (never committed).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

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
    "core",
    "municipalities",
    "fields_of_action",
    "procedures",
    "measures",
    "evaluation",
    "drafts",
    "pages",
    "people",
    # REST API, API tokens and the open-data catalogue (settings block "API" below).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
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
                "pages.context_processors.portal",
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

# --- Worker faults (issue 7): time limits, redelivery, render heartbeat -------------------------
# Every task acknowledges its message only after it ran (acks late, above). A task whose pool
# process died (killed, out of memory) goes back to the queue at once instead of being
# acknowledged as failed: tasks are idempotent (upserts, a render replaces its file).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Fetching one indicator's values; shorter than the general limit above.
EVALUATION_GATHER_TIME_LIMIT = env.int("EVALUATION_GATHER_TIME_LIMIT", default=180)
EVALUATION_GATHER_SOFT_TIME_LIMIT = env.int("EVALUATION_GATHER_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_ANNOTATIONS = {
    "evaluation.gather_indicator": {
        "time_limit": EVALUATION_GATHER_TIME_LIMIT,
        "soft_time_limit": EVALUATION_GATHER_SOFT_TIME_LIMIT,
    },
}
# When the whole worker dies (kill -9, machine lost), Redis gives its unacknowledged messages
# to the next worker once they are older than the visibility timeout (Redis's default: one
# hour). It must exceed the longest task time limit: a task still running past it would be
# delivered a second time. Default: the longest limit plus five minutes.
CELERY_LONGEST_TIME_LIMIT = max(CELERY_TASK_TIME_LIMIT, EVALUATION_GATHER_TIME_LIMIT)
CELERY_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT", default=CELERY_LONGEST_TIME_LIMIT + 300
)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_LONGEST_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"CELERY_VISIBILITY_TIMEOUT ({CELERY_VISIBILITY_TIMEOUT} s) must be longer than the "
        f"longest task time limit ({CELERY_LONGEST_TIME_LIMIT} s)."
    )
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # How often a worker looks for messages of a dead worker that are due again (seconds).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=30),
    "unacked_restore_throttle": 1,
}
# A running PDF render writes a heartbeat this often; a render without a heartbeat for
# DRAFTS_RENDER_STALE_SECONDS has lost its worker and may be started again.
DRAFTS_RENDER_HEARTBEAT_SECONDS = env.int("DRAFTS_RENDER_HEARTBEAT_SECONDS", default=10)
DRAFTS_RENDER_STALE_SECONDS = env.int("DRAFTS_RENDER_STALE_SECONDS", default=60)
# A gathering run without any progress for this long has lost tasks for good (well beyond
# the visibility timeout and the retries' countdowns); its pending indicators are then
# recorded as failed and the run finished (beat task evaluation.finish_stale_runs).
EVALUATION_RUN_STALE_SECONDS = env.int("EVALUATION_RUN_STALE_SECONDS", default=3600)
# --- end worker faults -------------------------------------------------------------------------

# --- Redis away (issue 18, item 7) ------------------------------------------------------------
# The cache answers like an empty cache while Redis is unreachable (core.cache): figures are
# computed afresh, rate limits in the cache fail open, no request fails. Short socket timeouts,
# and after a failure Redis is tried again only every CACHE_RETRY_AFTER seconds per process.
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
CACHE_RETRY_AFTER = env.float("CACHE_RETRY_AFTER", default=5)


def redis_cache(url):
    """The CACHES entry for Redis at ``url`` (also used by the settings with Redis away)."""
    return {
        "BACKEND": "core.cache.FailSafeRedisCache",
        "LOCATION": url,
        "RETRY_AFTER": CACHE_RETRY_AFTER,
        "OPTIONS": {
            "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
            "socket_timeout": CACHE_SOCKET_TIMEOUT,
        },
    }


CACHES = {
    "default": (
        redis_cache(REDIS_URL)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Queueing a task fails fast when the broker is unreachable, instead of holding the request for
# Celery's default retries: one retry, a short connect timeout. dispatch.on_commit logs the
# failure and tells the caller (the draft's "PDF neu erzeugen" says so and keeps the old PDF).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"] = env.float(
    "BROKER_CONNECT_TIMEOUT", default=1
)
# --- end Redis away ----------------------------------------------------------------------------

SIMPLE_HISTORY_REVERT_DISABLED = True

# Portal-specific settings.
# Demo content (manage.py seed_demo, seed_procedures_demo) creates logins with the password
# "demo": refused unless a settings module allows it (core.demo); only local.py does.
PORTAL_DEMO_ALLOWED = False
PORTAL_DISTRICT_AGS = env("PORTAL_DISTRICT_AGS", default="03354000")
PORTAL_PAGE_SIZE = env.int("PORTAL_PAGE_SIZE", default=25)
# Absolute address of the portal for links in e-mails.
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# People and roles (app `people`): hours an invitation link stays valid.
PEOPLE_INVITATION_HOURS = env.int("PEOPLE_INVITATION_HOURS", default=72)

# Legal and information pages (app `pages`).
# Largest sign-language (DGS) video the coordinator may upload, in bytes.
PAGES_VIDEO_MAX_BYTES = env.int("PAGES_VIDEO_MAX_BYTES", default=300 * 1024 * 1024)
# Barrier reports accepted from one address per hour (spam protection of the feedback form).
PAGES_FEEDBACK_PER_HOUR = env.int("PAGES_FEEDBACK_PER_HOUR", default=5)

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
# How long the evaluation dashboard's roll-ups stay cached at most (evaluation.rollup_cache);
# every write of their data invalidates them at once, this only bounds an entry's life.
EVALUATION_ROLLUP_CACHE_SECONDS = env.int("EVALUATION_ROLLUP_CACHE_SECONDS", default=600)
# Regionalstatistik / GENESIS REST API 2020; the personal token is never stored in the database.
GENESIS_API_URL = env(
    "GENESIS_API_URL", default="https://www.regionalstatistik.de/genesisws/rest/2020/"
)
GENESIS_API_TOKEN = env("GENESIS_API_TOKEN", default="")

# Drafts (app `drafts`): the Abstimmung with the bodies.
DRAFTS_CONSULTATION_DEFAULT_DAYS = env.int("DRAFTS_CONSULTATION_DEFAULT_DAYS", default=28)
# Days before the deadline on which bodies without a position are reminded.
DRAFTS_CONSULTATION_REMINDER_DAYS = [
    int(d) for d in env.list("DRAFTS_CONSULTATION_REMINDER_DAYS", default=["7", "1"])
]

# Measures: days before its due date from which a proof of use (Verwendungsnachweis) of
# approved funding is on "Meine Aufgaben" and reminded by e-mail (once per due date).
MEASURES_FUNDING_REMINDER_DAYS = env.int("MEASURES_FUNDING_REMINDER_DAYS", default=30)

CELERY_BEAT_SCHEDULE = {
    "evaluation-gather-due-indicators": {
        "task": "evaluation.gather_due_indicators",
        "schedule": env.int("EVALUATION_GATHER_EVERY_SECONDS", default=24 * 60 * 60),
    },
    # Issue 20: 7 days before each meeting of a Vorlage's Beratungsfolge.
    "drafts-send-adoption-reminders": {
        "task": "drafts.send_adoption_reminders",
        "schedule": crontab(minute=30, hour=6),
    },
    # Issue 7: a render whose worker died is recorded as failed within a minute.
    "drafts-detect-lost-renders": {
        "task": "drafts.detect_lost_renders",
        "schedule": 30,
    },
    "evaluation-finish-stale-runs": {
        "task": "evaluation.finish_stale_runs",
        "schedule": 15 * 60,
    },
    # Issue 13: the stored indicator status follows the passage of time (shortly after
    # midnight; writes keep it current during the day).
    "evaluation-refresh-indicator-status": {
        "task": "evaluation.refresh_indicator_status",
        "schedule": crontab(minute=15, hour=0),
    },
    "evaluation-send-round-reminders": {
        "task": "evaluation.send_round_reminders",
        "schedule": 24 * 60 * 60,
    },
    "evaluation-send-reporting-reminders": {
        "task": "evaluation.send_reporting_reminders",
        "schedule": 24 * 60 * 60,
    },
    "drafts-send-consultation-reminders": {
        "task": "drafts.send_consultation_reminders",
        "schedule": 24 * 60 * 60,
    },
    # Issue 19: unanswered partnership requests are reminded every 14 days (idempotent:
    # the request stores its last reminder, so running more often sends nothing twice).
    "measures-send-partnership-reminders": {
        "task": "measures.send_partnership_reminders",
        "schedule": crontab(minute=30, hour=7),
    },
    # Single-measure rescoring (on save) uses the corpus of that moment; a nightly full run
    # realigns all stored matches and catches measures changed outside the form (imports).
    "measures-send-funding-reminders": {
        "task": "measures.send_funding_reminders",
        "schedule": crontab(minute=30, hour=6),
    },
    "measures-recompute-all-similarity": {
        "task": "measures.recompute_all_similarity",
        "schedule": 24 * 60 * 60,
    },
}

# --- API (app `api`): REST API under /api/v1/, API tokens, open-data catalogue ---------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StablePagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.german_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonymousThrottle",
        "api.throttling.TokenThrottle",
        "api.throttling.SessionUserThrottle",
    ],
    # Requests per minute; the counters live in the cache (Redis in production).
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_RATE_ANONYMOUS", default="60/min"),
        "token": env("API_RATE_TOKEN", default="600/min"),
        "user": env("API_RATE_USER", default="600/min"),
    },
    # No NUM_PROXIES: anonymous clients are counted by core.security.client_ip, configured
    # with PORTAL_TRUSTED_PROXIES for the login lockouts and the API alike (api.throttling).
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Digitalstrategie-Portal Lüchow-Dannenberg – API",
    "DESCRIPTION": (
        "Lesender Zugriff auf Kommunen, Handlungsfelder, Ziele, Maßnahmen, Indikatoren mit "
        "Messwerten und Status, Bewertungen und Strategieentwürfe; schreibender Zugriff für "
        "Messwerte mit einem API-Schlüssel einer Kommune."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: they nest a link inside each operation's button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "defaultModelsExpandDepth": -1},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}
# Wrong API keys per client address (core.security.client_ip): after this many within the
# cool-off, every request with a key from that address gets 429 for the cool-off.
API_KEY_FAILURE_LIMIT = env.int("API_KEY_FAILURE_LIMIT", default=10)
API_KEY_FAILURE_COOLOFF_MINUTES = env.int("API_KEY_FAILURE_COOLOFF_MINUTES", default=15)
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=200)
# Open-data catalogue (DCAT-AP.de): the publisher and the licence of the published data.
OPENDATA_PUBLISHER_NAME = env("OPENDATA_PUBLISHER_NAME", default="Landkreis Lüchow-Dannenberg")
OPENDATA_CONTACT_EMAIL = env(
    "OPENDATA_CONTACT_EMAIL", default="digitalstrategie@luechow-dannenberg.de"
)
# DCAT-AP.de dcatde:contributorID (a URI); empty: the portal's address. Ask the DCAT-AP.de
# editors for an entry in their contributor list and set it here.
OPENDATA_CONTRIBUTOR_ID = env("OPENDATA_CONTRIBUTOR_ID", default="")
# --- end of API block ----------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step at INFO; only its warnings matter.
    "loggers": {"weasyprint": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------------------------
# Logins, lockouts, sessions and the security log (issue 7, section 5; docs/betrieb.md).
# ---------------------------------------------------------------------------------------------
import datetime  # noqa: E402 - kept inside this block

# django-axes counts failed logins for the portal's login and /admin/login/ alike.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    # Refuses every login while a lockout is in force, before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += [
    "core.sessions.SessionLimitsMiddleware",
    # Last, as django-axes requires: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]
# AXES_FAILURE_LIMIT failed attempts for one username from one address, or from one address
# for any usernames (password spraying), lock further attempts for AXES_COOLOFF_MINUTES; the
# count starts again when no attempt failed for that long. Attempts during a lockout do not
# extend it. Why not the username alone: then anybody could keep "koordination" locked out
# from anywhere; now failures from elsewhere do not lock its owner's address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Why no reset on success: the address counter would be reset too, so an attacker with one
# valid account could guess another account's password from the same address without end.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "people.views.lockouts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
AXES_USERNAME_CALLABLE = "core.security.lockout_username"
# Successful logins go to the security log; no second record of them with addresses.
AXES_DISABLE_ACCESS_LOG = True
# "Passwort vergessen" sends at most this many mails to one account and accepts this many
# requests from one client address per window (people.views.password_reset).
PASSWORD_RESET_LIMIT_PER_ACCOUNT = env.int("PASSWORD_RESET_LIMIT_PER_ACCOUNT", default=3)
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=10)
PASSWORD_RESET_WINDOW_MINUTES = env.int("PASSWORD_RESET_WINDOW_MINUTES", default=60)
# Reverse proxies in front of the portal that append to X-Forwarded-For (0: none, the client
# is REMOTE_ADDR). Production sets 1 (the host's nginx, see docs/betrieb.md).
PORTAL_TRUSTED_PROXIES = env.int("PORTAL_TRUSTED_PROXIES", default=0)

# Sessions end after PORTAL_SESSION_IDLE_MINUTES without a request and
# PORTAL_SESSION_MAX_HOURS after the login (core.sessions.SessionLimitsMiddleware).
PORTAL_SESSION_IDLE_MINUTES = env.int("PORTAL_SESSION_IDLE_MINUTES", default=30)
PORTAL_SESSION_MAX_HOURS = env.int("PORTAL_SESSION_MAX_HOURS", default=10)
SESSION_COOKIE_AGE = PORTAL_SESSION_MAX_HOURS * 60 * 60

# Security events (core.security): logger "portal.security". Here to the console
# like everything else; production writes them as JSON lines.
LOGGING["loggers"]["portal.security"] = {"level": "INFO"}
LOGGING["loggers"]["axes"] = {"level": "WARNING"}
