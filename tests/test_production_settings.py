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

# Child processes with their own environment (never the run's database or Redis): the same
# result in every run, so CI runs this module once, in its first run.
pytestmark = pytest.mark.no_services

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
        "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
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
        "CACHE_BACKEND": "core.cache.FailSafeRedisCache",
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
    }


def documented_variables():
    """The assignments of .env.example, as an operator copies them into .env."""
    variables = {}
    for line in (BASE_DIR / ".env.example").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            variables[name.strip()] = value.strip()
    return variables


def run_check_deploy(variables):
    result = run_child(CHECK_DEPLOY, variables)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ERRORS" not in output
    return output, set(re.findall(r"\((security\.[WE]\d+)\)", output))


def test_check_deploy_with_the_documented_variables_reports_no_warning():
    # .env.example leaves DATABASE_URL and REDIS_URL to Docker Compose, which fills them in;
    # its SECRET_KEY is the placeholder that production refuses (tested below).
    variables = {
        **documented_variables(),
        "SECRET_KEY": REQUIRED["SECRET_KEY"],
        "DATABASE_URL": REQUIRED["DATABASE_URL"],
        "REDIS_URL": REQUIRED["REDIS_URL"],
    }
    output, warnings = run_check_deploy(variables)
    assert warnings == set(), output
    assert "System check identified no issues (1 silenced)." in output


def test_hsts_is_on_by_default():
    output, warnings = run_check_deploy(REQUIRED)
    assert warnings == set(), output
    result = run_child(PROBE, REQUIRED)
    assert json.loads(result.stdout)["SECURE_HSTS_SECONDS"] == 31_536_000


def test_hsts_can_be_switched_off_for_a_first_test():
    output, warnings = run_check_deploy({**REQUIRED, "SECURE_HSTS_SECONDS": "0"})
    assert warnings == {"security.W004"}, output


@pytest.mark.parametrize(
    "key, reason",
    [
        ("bitte-durch-einen-langen-zufaelligen-wert-ersetzen", "placeholder of .env.example"),
        ("kurz-aber-zufaellig-Xy7", "too weak"),
        ("ab" * 40, "too weak"),
        ("abcd" * 20, "too weak"),
        ("django-insecure-" + "k7Vq2xR9mZ4pL8nW3bT6yH1cF5jD0sG" * 2, "development key"),
    ],
)
def test_weak_or_placeholder_secret_key_is_refused_at_start(key, reason):
    result = run_child(PROBE, {**REQUIRED, "SECRET_KEY": key})
    assert result.returncode != 0, result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert "SECRET_KEY" in last_line and reason in last_line


def test_the_env_example_key_is_the_refused_placeholder():
    # Keeps the refusal in step with the file an operator copies.
    key = documented_variables()["SECRET_KEY"]
    result = run_child(PROBE, {**REQUIRED, "SECRET_KEY": key})
    assert result.returncode != 0, result.stdout
    assert "placeholder of .env.example" in result.stderr.strip().splitlines()[-1]


LOCAL_PAGES = textwrap.dedent(
    """
    import environ

    environ.Env.read_env = staticmethod(lambda *args, **kwargs: None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    client = Client()
    for url in ("/", "/massnahmen/", "/static/css/portal.css", "/gibt-es-nicht/"):
        response = client.get(url)
        print(url, response.status_code)
    """
)


def test_local_settings_without_debug_and_collectstatic_answer_pages(tmp_path):
    static_root = tmp_path / "staticfiles"  # empty: collectstatic never ran
    static_root.mkdir()
    result = run_child(
        LOCAL_PAGES,
        {
            "DJANGO_SETTINGS_MODULE": "strategy_portal.settings.local",
            "DEBUG": "0",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "STATIC_ROOT": str(static_root),
            "ALLOWED_HOSTS": "testserver",
        },
    )
    assert result.returncode == 0, result.stderr
    statuses = dict(line.split() for line in result.stdout.splitlines())
    assert statuses == {
        "/": "200",
        "/massnahmen/": "200",
        "/static/css/portal.css": "200",
        "/gibt-es-nicht/": "404",
    }, result.stdout + result.stderr
