"""``make run`` without Redis: the development server runs Celery's tasks in a thread of its
own process (core.local_worker), so a request that queues a render answers at once.

The server's side runs in a fresh interpreter with the local settings: starting the worker
switches the process's Celery app from eager to the in-memory broker, which the test process
must keep (its tests rely on eager tasks).
"""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from celery import current_app

from core import local_worker

BASE_DIR = Path(__file__).resolve().parent.parent

# A child process with its own environment (SQLite, the in-process worker) and checks of the
# start-up decision: neither the run's database nor its Redis; CI runs them once.
pytestmark = pytest.mark.no_services

# Runs in the child: a task registered before the server's WSGI application is loaded (as the
# apps' tasks are), then queued as a view does; it must run in the worker thread, later.
PROBE = textwrap.dedent(
    """
    import json, threading, time
    import environ

    environ.Env.read_env = staticmethod(lambda *args, **kwargs: None)

    import django

    django.setup()
    from celery import current_app, shared_task
    from django.conf import settings

    done = threading.Event()
    seen = {}

    @shared_task(name="probe.slow")
    def slow(value):
        seen["thread"] = threading.current_thread().name
        time.sleep(1)
        seen["value"] = value
        done.set()

    eager_before = current_app.conf.task_always_eager
    __import__(settings.WSGI_APPLICATION.rsplit(".", 1)[0])
    started = time.perf_counter()
    slow.delay(42)
    queued_in = time.perf_counter() - started
    pending = "value" not in seen
    print(json.dumps({
        "eager_before": eager_before,
        "eager_after": current_app.conf.task_always_eager,
        "queued_in": queued_in,
        "pending_after_queueing": pending,
        "finished": done.wait(30),
        "thread": seen.get("thread"),
        "value": seen.get("value"),
    }))
    """
)


def run_child(variables):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "strategy_portal.settings.local",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_development_server_runs_tasks_in_a_thread_not_in_the_request(tmp_path):
    result = run_child({"DATABASE_URL": f"sqlite:///{tmp_path / 'local.sqlite3'}"})
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["eager_before"] is True  # commands and the shell stay eager
    assert values["eager_after"] is False
    assert values["pending_after_queueing"] is True
    assert values["queued_in"] < 0.5
    assert values["finished"] is True
    assert values["thread"] == "celery-in-process"
    assert values["value"] == 42


@pytest.mark.parametrize(
    ("eager", "broker"),
    [(True, "redis://127.0.0.1:6379/0"), (False, "memory://")],
)
def test_no_worker_thread_with_a_real_broker_or_without_eager_mode(monkeypatch, eager, broker):
    monkeypatch.setitem(current_app.conf, "task_always_eager", eager)
    monkeypatch.setitem(current_app.conf, "broker_url", broker)
    monkeypatch.setattr(local_worker, "_started", None)
    assert local_worker.start() is None
    assert current_app.conf.task_always_eager is eager
