"""strategy_portal.settings.production refuses to start without its required variables.

Each check runs in a fresh interpreter (the venv's python) with a controlled environment: only
PATH, the locale and the variables under test. A developer's ``.env`` in the project root is
switched off in the child process (base.py would otherwise fill in what the test leaves out).
"""

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

REQUIRED = {
    "SECRET_KEY": "prodcheck-" + "k7Vq2xR9mZ4pL8nW3bT6yH1cF5jD0sG" * 2,
    "ALLOWED_HOSTS": "digitalstrategie.example.org",
    "DATABASE_URL": "postgres://portal:geheim@db.invalid:5432/portal",
    "REDIS_URL": "redis://redis.invalid:6379/0",
}

# Runs in the child: ignore .env, set Django up, print the settings that production must fix.
PROBE = textwrap.dedent(
    """
    import json
    import environ

    environ.Env.read_env = staticmethod(lambda *args, **kwargs: None)

    import django

    django.setup()
    from django.conf import settings

    db = settings.DATABASES["default"]
    print(json.dumps({
        "DEBUG": settings.DEBUG,
        "SECRET_KEY_SET": bool(settings.SECRET_KEY),
        "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
        "ENGINE": db["ENGINE"],
        "NAME": db.get("NAME"),
        "CONN_MAX_AGE": db.get("CONN_MAX_AGE"),
        "CELERY_TASK_ALWAYS_EAGER": settings.CELERY_TASK_ALWAYS_EAGER,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CACHE_BACKEND": settings.CACHES["default"]["BACKEND"],
        "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
        "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
        "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    }))
    """
)

CHECK_DEPLOY = textwrap.dedent(
    """
    import environ

    environ.Env.read_env = staticmethod(lambda *args, **kwargs: None)

    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", "check", "--deploy", "--fail-level", "ERROR"])
    """
)


def run_child(code, variables):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "strategy_portal.settings.production",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_missing_required_variable_fails_loudly(missing):
    variables = {name: value for name, value in REQUIRED.items() if name != missing}
    result = run_child(PROBE, variables)
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize("empty", sorted(REQUIRED))
def test_empty_required_variable_fails_loudly(empty):
    # An empty line in .env ("ALLOWED_HOSTS=") must not start a portal that answers 400
    # everywhere or runs on Django's dummy database backend.
    result = run_child(PROBE, {**REQUIRED, empty: " "})
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert empty in result.stderr.strip().splitlines()[-1]


def test_complete_environment_gives_production_values():
    result = run_child(PROBE, {**REQUIRED, "DEBUG": "true"})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False,
        "SECRET_KEY_SET": True,
        "ALLOWED_HOSTS": ["digitalstrategie.example.org"],
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "portal",
        "CONN_MAX_AGE": 60,
        "CELERY_TASK_ALWAYS_EAGER": False,
        "CELERY_BROKER_URL": "redis://redis.invalid:6379/0",
        "CACHE_BACKEND": "django.core.cache.backends.redis.RedisCache",
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }


def test_check_deploy_passes_with_only_the_hsts_warning():
    # HSTS stays off until the operator has HTTPS running (SECURE_HSTS_SECONDS=0 by default).
    result = run_child(CHECK_DEPLOY, REQUIRED)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ERRORS" not in output
    warnings = set(re.findall(r"\((security\.W\d+)\)", output))
    assert warnings <= {"security.W004"}, output


def test_check_deploy_is_clean_with_hsts_enabled():
    variables = {**REQUIRED, "SECURE_HSTS_SECONDS": "31536000"}
    result = run_child(CHECK_DEPLOY, variables)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    warnings = set(re.findall(r"\((security\.W\d+)\)", output))
    # Subdomains and preload are the district's decision, not the portal's.
    assert warnings <= {"security.W005", "security.W021"}, output
