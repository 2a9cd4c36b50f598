"""Celery tasks of the evaluation. They take primary keys and tolerate deleted rows."""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import translation

from . import report_presenting, reporting
from .gathering import (
    account_for_removed_indicator,
    dispatch_gathering,
    finish_stale_runs,
    gather,
    indicators_for_gathering,
)
from .models import Indicator, RunTrigger
from .rounds import send_opening, send_reminders
from .sources import TransientSourceError
from .stored_status import refresh_outdated

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="evaluation.gather_indicator",
    acks_late=True,
    # Why: with acks_late alone a task whose worker process is killed is acknowledged anyway.
    reject_on_worker_lost=True,
    autoretry_for=(TransientSourceError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    retry_jitter=True,
    max_retries=3,
    # Time limits: settings EVALUATION_GATHER_(SOFT_)TIME_LIMIT via CELERY_TASK_ANNOTATIONS.
)
def gather_indicator_task(self, indicator_id, run_id=None):
    with translation.override("de"):
        indicator = indicators_for_gathering().filter(pk=indicator_id).first()
        if indicator is None:
            logger.info("Indicator %s no longer exists; nothing to gather.", indicator_id)
            if run_id is not None:
                account_for_removed_indicator(run_id)
            return None
        final = self.request.retries >= self.max_retries
        ok, created, updated, error = gather(indicator, run_id, final=final)
        return {"ok": ok, "created": created, "updated": updated, "error": error}


@shared_task(name="evaluation.gather_due_indicators", acks_late=True, time_limit=300)
def gather_due_indicators_task():
    """Beat entry point: one task per due indicator."""
    with translation.override("de"):
        run = dispatch_gathering(Indicator.objects.due_for_gathering(), RunTrigger.SCHEDULE)
        return run.pk


@shared_task(name="evaluation.finish_stale_runs", acks_late=True, time_limit=300)
def finish_stale_runs_task():
    """Beat entry point: a run without progress for EVALUATION_RUN_STALE_SECONDS is finished."""
    return finish_stale_runs(settings.EVALUATION_RUN_STALE_SECONDS)


@shared_task(name="evaluation.send_round_reminders", acks_late=True, time_limit=300)
def send_round_reminders_task():
    """Beat entry point: reminders for open rounds whose deadline is near."""
    with translation.override("de"):
        return send_reminders()


@shared_task(name="evaluation.send_round_opened", acks_late=True)
def send_round_opened_task(collection_round_pk):
    """E-mail the bodies that owe values of a newly opened round; a deleted round is skipped."""
    with translation.override("de"):
        return send_opening(collection_round_pk)


@shared_task(name="evaluation.send_reporting_reminders", acks_late=True, time_limit=300)
def send_reporting_reminders_task():
    """Beat entry point: reminders for open Berichtsrunden whose deadline is near."""
    with translation.override("de"):
        return reporting.send_reminders()


@shared_task(name="evaluation.send_reporting_round_opened", acks_late=True)
def send_reporting_round_opened_task(reporting_round_pk):
    """Ask the bodies of a newly opened Berichtsrunde; a deleted round is skipped."""
    with translation.override("de"):
        return reporting.send_opening(reporting_round_pk)


@shared_task(name="evaluation.refresh_indicator_status", acks_late=True, time_limit=1800)
def refresh_indicator_status_task():
    """Beat entry point (nightly): the stored status for the passage of time."""
    return refresh_outdated()


@shared_task(name="evaluation.send_report_presented", acks_late=True)
def send_report_presented_task(report_pk):
    """E-mail the council members and the bodies about a presented Sachstandsbericht (once)."""
    with translation.override("de"):
        return report_presenting.send_presented(report_pk)
