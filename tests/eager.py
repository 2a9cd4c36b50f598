"""Run Celery tasks in-process for tests that inspect their effects directly.

CI's second run sets REDIS_URL for the whole suite, which turns eager mode off; tests that
check an e-mail or a rendered file right after the commit import this autouse fixture so
they do not depend on the worker. Tests that use ``live_worker`` keep the real worker.
"""

import pytest


@pytest.fixture(autouse=True)
def eager_celery(request):
    if "live_worker" in request.fixturenames:
        yield
        return
    from strategy_portal.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved
