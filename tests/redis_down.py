"""Redis unreachable: cache and Celery broker at a closed port.

The values come from ``strategy_portal.settings.test_redis_down``; the shared Redis of CI's
second run is neither stopped nor emptied. Import the fixture into a test module::

    from tests.redis_down import redis_down  # noqa: F401

or use :func:`redis_unreachable` for a part of a test (Redis back afterwards, with what it
held before: a network outage, not a restart).
"""

import contextlib

import pytest
from django.test import override_settings

from core import cache as failsafe


@contextlib.contextmanager
def redis_unreachable():
    from strategy_portal.celery import app
    from strategy_portal.settings import test_redis_down as down

    names = ["broker_url", "task_always_eager", "broker_transport_options"]
    saved = {name: app.conf[name] for name in names}
    saved_pools = app._pool, app.amqp._producer_pool
    app.conf.broker_url = down.CELERY_BROKER_URL
    app.conf.task_always_eager = down.CELERY_TASK_ALWAYS_EAGER
    app.conf.broker_transport_options = down.CELERY_BROKER_TRANSPORT_OPTIONS
    app._pool = app.amqp._producer_pool = None  # connections to the closed port from now on
    failsafe.reset_health()
    try:
        with override_settings(REDIS_URL=down.REDIS_URL, CACHES=down.CACHES):
            yield down
    finally:
        for name, value in saved.items():
            app.conf[name] = value
        app._pool, app.amqp._producer_pool = saved_pools
        failsafe.reset_health()


@pytest.fixture
def redis_down():
    with redis_unreachable() as down:
        yield down
