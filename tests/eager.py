"""Run Celery tasks in-process for tests that inspect their effects directly.

CI's second run sets REDIS_URL for the whole suite, which turns eager mode off; tests that
check an e-mail or a rendered file right after the commit must not depend on the worker, so
the root conftest uses this autouse fixture for every test (the first run is eager anyway).
Tests that use ``live_worker`` and the fault test (marker ``worker_faults``, its own worker)
keep the real worker.
"""

import pytest


@pytest.fixture(autouse=True)
def eager_celery(request):
    if "live_worker" in request.fixturenames or request.node.get_closest_marker("worker_faults"):
        yield
        return
    from strategy_portal.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
