"""Test settings with Redis unreachable: cache and Celery broker at a closed port.

``tests/redis_down.py`` applies these values to single tests (fixture ``redis_down``), so they
run in every test run, SQLite and CI's PostgreSQL run alike, while the shared Redis keeps
serving the rest of the suite; nothing stops or empties it. To look at the portal by hand
with Redis away: ``manage.py runserver --settings=strategy_portal.settings.test_redis_down``.
"""

from .test import *  # noqa: F403
from .test import CELERY_BROKER_TRANSPORT_OPTIONS, redis_cache

# Port 1 (tcpmux) is closed on every machine the portal runs on: connections are refused at
# once, as when Redis is stopped.
REDIS_URL = "redis://127.0.0.1:1/0"
CACHES = {"default": redis_cache(REDIS_URL)}
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "socket_connect_timeout": 0.2}
