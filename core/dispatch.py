"""Queueing a Celery task from a service, by the task's name, once the transaction commits.

Services own the work and tasks only dispatch: ``<app>/tasks.py`` imports the service modules
and calls into them. A service that has to queue one of those tasks names it (the ``name=`` of
its ``@shared_task``, a stable interface) instead of importing the tasks module back, so the
imports run one way. Each app imports its tasks module in ``AppConfig.ready()``, so every task
is registered in the web process too.
"""

from celery import current_app


def on_commit(task_name, *args, **kwargs):
    """Queue the task ``task_name`` with these arguments after the current transaction commits
    (at once outside a transaction). An unknown name raises ``NotRegistered`` right here."""
    current_app.tasks[task_name].delay_on_commit(*args, **kwargs)
