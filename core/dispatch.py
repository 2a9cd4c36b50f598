"""Queueing a Celery task from a service, by the task's name, once the transaction commits.

Services own the work and tasks only dispatch: ``<app>/tasks.py`` imports the service modules
and calls into them. A service that has to queue one of those tasks names it (the ``name=`` of
its ``@shared_task``, a stable interface) instead of importing the tasks module back, so the
imports run one way. Each app imports its tasks module in ``AppConfig.ready()``, so every task
is registered in the web process too.

When the broker (Redis) is unreachable, queueing fails after the commit, fast (the settings'
publish retry policy and connect timeout): the data is committed and stays, the failure is
logged, and the caller learns of it through the returned :class:`Dispatch` (``failed``) or its
``on_failure`` callback, to tell the user or put its own state back. It never raises: an
exception in an on-commit callback would turn a committed write into an error 500 and skip the
callbacks registered after it (the cache's data version among them).
"""

import logging

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

#: What an unreachable broker raises from ``apply_async``: kombu wraps redis-py's connection
#: errors and timeouts in it. Not OSError in general: in eager mode (no Redis) the task runs
#: right here, and its own errors (an SMTP server away) must not pass for the broker's.
BROKER_UNREACHABLE = (OperationalError,)


class Dispatch:
    """One queued task: ``failed`` is None until the commit, then True or False."""

    def __init__(self, task_name):
        self.task_name = task_name
        self.failed = None
        self.error = None


def on_commit(task_name, *args, on_failure=None, **kwargs):
    """Queue the task ``task_name`` with these arguments after the current transaction commits
    (at once outside a transaction). An unknown name raises ``NotRegistered`` right here.

    ``on_failure(error)``, if given, runs when the broker cannot take the task (after the
    commit). Returns a :class:`Dispatch` that records the outcome.
    """
    task = current_app.tasks[task_name]
    outcome = Dispatch(task_name)

    def send():
        try:
            task.delay(*args, **kwargs)
        except BROKER_UNREACHABLE as exc:
            outcome.failed, outcome.error = True, exc
            logger.error(
                "Could not queue task %s (broker unreachable): %s: %s",
                task_name,
                exc.__class__.__name__,
                exc,
            )
            if on_failure is not None:
                on_failure(exc)
        else:
            outcome.failed = False

    transaction.on_commit(send)
    return outcome
