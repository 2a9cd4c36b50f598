"""Helpers for race tests: two threads with real transactions, interleaved at a hook.

Each thread has its own database connection (Django's connections are per thread), so the
tests need committed data (``pytest.mark.django_db(transaction=True)``) and a database that
lets two connections work at once with row locks: PostgreSQL. SQLite serialises whole
transactions and is skipped with the reason.
"""

import contextlib
import functools
import threading
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection, connections

WAIT = 20  # seconds; a deadlocked test fails instead of hanging CI

postgres_only = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason=(
        "Wettlauf-Test braucht PostgreSQL (zwei Verbindungen mit Zeilensperren); SQLite sperrt "
        "die ganze Datenbank. CI führt ihn im zweiten Lauf gegen PostgreSQL aus."
    ),
)

race_test = [postgres_only, pytest.mark.django_db(transaction=True)]


class Worker(threading.Thread):
    """Run ``fn`` in a thread with its own connection; keep its result or exception."""

    def __init__(self, fn, name):
        super().__init__(name=name, daemon=True)
        self.fn = fn
        self.result = None
        self.error = None

    def run(self):
        try:
            self.result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread by outcome()
            self.error = exc
        finally:
            connections.close_all()

    def outcome(self):
        self.join(WAIT)
        assert not self.is_alive(), f"{self.name} hängt (Verklemmung?)"
        if self.error is not None:
            raise self.error
        return self.result


def start(fn, name="worker"):
    worker = Worker(fn, name)
    worker.start()
    return worker


class Pause:
    """Stops the thread named ``thread_name`` when it calls ``target`` (before or after it).

    ``reached`` is set when the thread arrives; it waits until ``resume()`` is called.
    """

    def __init__(self, target, thread_name, after=False):
        self.target = target
        self.thread_name = thread_name
        self.after = after
        self.reached = threading.Event()
        self._resume = threading.Event()
        self._patch = None

    def _hold(self):
        if threading.current_thread().name != self.thread_name or self.reached.is_set():
            return
        self.reached.set()
        assert self._resume.wait(WAIT), "Pause wurde nie aufgehoben"

    def __enter__(self):
        module_path, name = self.target.rsplit(".", 1)
        module = __import__(module_path, fromlist=[name])
        original = getattr(module, name)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            if not self.after:
                self._hold()
            result = original(*args, **kwargs)
            if self.after:
                self._hold()
            return result

        self._patch = mock.patch.object(module, name, wrapper)
        self._patch.__enter__()
        return self

    def __exit__(self, *exc):
        self._resume.set()
        self._patch.__exit__(*exc)

    def wait_reached(self):
        assert self.reached.wait(WAIT), f"{self.thread_name} erreichte {self.target} nie"

    def resume(self):
        self._resume.set()


def wait_until_blocked_on_lock(count=1):
    """Poll PostgreSQL until ``count`` other sessions of this database wait for a lock."""
    deadline = time.monotonic() + WAIT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= count:
                return
            time.sleep(0.02)
    raise AssertionError("Keine zweite Sitzung wartet auf die Zeilensperre.")


@contextlib.contextmanager
def logged_in_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    yield client


@contextlib.contextmanager
def interleave(target, action):
    """Run ``action()`` once, in this thread, right after the first call of ``target``.

    The deterministic twin of :class:`Pause`: the other person's step happens between the
    view's load and its save, without threads, so it also runs on SQLite.
    """
    module_path, name = target.rsplit(".", 1)
    module = __import__(module_path, fromlist=[name])
    original = getattr(module, name)
    done = []

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        if not done:
            done.append(True)
            action()
        return result

    with mock.patch.object(module, name, wrapper):
        yield
    assert done, f"{target} wurde nie aufgerufen"
