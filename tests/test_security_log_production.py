"""Production writes the security log as JSON lines, to standard output or to a file."""

import json
import textwrap

import pytest

from .test_production_settings import REQUIRED, run_child

# Child processes with their own environment (never the run's database or Redis): the same
# result in every run, so CI runs this module once, in its first run.
pytestmark = pytest.mark.no_services

EMIT = textwrap.dedent(
    """
    import environ

    environ.Env.read_env = staticmethod(lambda *args, **kwargs: None)

    import django

    django.setup()
    from core.security import log_event

    log_event("login_failed", "failed login for 'probe'", username="probe", ip="192.0.2.1")
    """
)


def test_security_events_are_json_lines_on_stdout():
    result = run_child(EMIT, REQUIRED)
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.strip().splitlines()
    event = json.loads(line)
    assert event["event"] == "login_failed" and event["logger"] == "portal.security"
    assert event["username"] == "probe" and event["ip"] == "192.0.2.1"
    assert "login_failed" not in result.stderr  # not twice (through the root logger)


def test_security_events_go_to_the_configured_file(tmp_path):
    path = tmp_path / "security.jsonl"
    result = run_child(EMIT, {**REQUIRED, "SECURITY_LOG_FILE": str(path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
    (line,) = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["username"] == "probe"
