"""Settings for the test suite. DATABASE_URL and REDIS_URL still apply (CI's second run)."""

from .base import *  # noqa: F403
from .base import env

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
