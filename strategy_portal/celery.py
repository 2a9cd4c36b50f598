"""Celery application of the portal.

Without ``REDIS_URL`` the settings switch Celery to eager mode, so that ``make run`` needs no
broker; production and CI use Redis and separate worker and beat processes.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_portal.settings.local")

app = Celery("strategy_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
