"""Production settings (docker-compose.yml). Fails loudly when a required variable is missing."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False


def required(name):
    """Read a variable that production cannot run without; refuse to start if it is empty."""
    value = env(name, default="").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set (and not empty) in production.")
    return value


SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
required("DATABASE_URL")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
required("REDIS_URL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
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
    "json_lines": {"()": "strategy_portal.jsonlog.JSONLinesFormatter"},
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
