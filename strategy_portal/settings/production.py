"""Production settings (docker-compose.yml). Fails loudly when a required variable is missing."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
# Never demo logins with the password "demo" here, whatever the environment says (core.demo).
PORTAL_DEMO_ALLOWED = False


def required(name):
    """Read a variable that production cannot run without; refuse to start if it is empty."""
    value = env(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set (and not empty) in production.")
    return value


# --- Secret key (issue 7, deployment) ---------------------------------------------------------
# The value printed in .env.example; a portal started with it signs sessions with a public key.
ENV_EXAMPLE_SECRET_KEY = "bitte-durch-einen-langen-zufaelligen-wert-ersetzen"  # noqa: S105
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5


def strong_secret_key(value):
    """Refuse the placeholder and weak keys (Django's own measure: 50 characters, 5 distinct)."""
    if value == ENV_EXAMPLE_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is still the placeholder of .env.example; set a random value, e.g. "
            'python3 -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    if value.startswith("django-insecure-"):
        raise ImproperlyConfigured("SECRET_KEY is a development key (django-insecure-...).")
    if len(value) < SECRET_KEY_MIN_LENGTH or len(set(value)) < SECRET_KEY_MIN_DISTINCT:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak: it needs at least {SECRET_KEY_MIN_LENGTH} characters and "
            f"{SECRET_KEY_MIN_DISTINCT} different ones (it has {len(value)} characters, "
            f"{len(set(value))} different)."
        )
    return value


SECRET_KEY = strong_secret_key(required("SECRET_KEY"))
# --- end secret key ----------------------------------------------------------------------------
ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
required("DATABASE_URL")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
required("REDIS_URL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# --- HSTS (issue 7, deployment) ----------------------------------------------------------------
# On by default: one year. Only the portal's own host and its subdomains are covered.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    # security.W021 (no HSTS preload): the browsers' preload list takes only a registrable
    # domain (luechow-dannenberg.de) and binds every host of the district to HTTPS for years;
    # that is the district IT's decision, not the portal's. SECURE_HSTS_PRELOAD=true sets it.
    "security.W021",
]
# --- end HSTS ----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# ---------------------------------------------------------------------------------------------
# Security log as JSON lines (issue 7, section 5; docs/betrieb.md): to SECURITY_LOG_FILE
# (reopened after logrotate moved it) or, without it, to standard output.
# ---------------------------------------------------------------------------------------------
from .base import LOGGING  # noqa: E402

PORTAL_TRUSTED_PROXIES = env.int("PORTAL_TRUSTED_PROXIES", default=1)
SECURITY_LOG_FILE = env("SECURITY_LOG_FILE", default="")
LOGGING["formatters"] = {
    **LOGGING.get("formatters", {}),
    "json_lines": {"()": "core.jsonlog.JSONLinesFormatter"},
}
LOGGING["handlers"]["security"] = (
    {
        "class": "logging.handlers.WatchedFileHandler",
        "filename": SECURITY_LOG_FILE,
        "formatter": "json_lines",
    }
    if SECURITY_LOG_FILE
    else {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": "json_lines",
    }
)
LOGGING["loggers"]["portal.security"] = {
    "handlers": ["security"],
    "level": "INFO",
    "propagate": False,
}
