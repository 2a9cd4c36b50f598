"""A real Celery worker on Redis gathers indicators (CI's second run; see tests/conftest.py)."""

import time

import pytest
from django.utils import timezone

from evaluation.gathering import dispatch_gathering
from evaluation.models import CollectionRun, Indicator, RunTrigger

from .factories import IndicatorFactory

pytestmark = pytest.mark.celery_worker


def wait_for_run(run_id, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = CollectionRun.objects.get(pk=run_id)
        if run.finished_at is not None:
            return run
        time.sleep(0.2)  # waiting for another process, not for the clock
    pytest.fail(f"Der Worker hat den Abruflauf {run_id} nicht in {seconds} s beendet.")


def test_real_worker_gathers_and_records_failures(live_worker, httpserver, measure):
    httpserver.expect_request("/anteil.csv").respond_with_data(
        b"ags,period,value\n03354009,2024,40\n03354009,2025,55.5\n"
    )
    httpserver.expect_request("/kaputt.csv").respond_with_data(b"period,value\n2025,n/a\n")
    good = IndicatorFactory(
        measure=measure, source_kind="csv_url", source_url=httpserver.url_for("/anteil.csv")
    )
    bad = IndicatorFactory(
        measure=measure, source_kind="csv_url", source_url=httpserver.url_for("/kaputt.csv")
    )

    run = dispatch_gathering(Indicator.objects.all(), RunTrigger.MANUAL)
    run = wait_for_run(run.pk)
    assert (run.indicators_ok, run.indicators_failed, run.values_created) == (1, 1, 2)
    assert good.measurements.count() == 2
    bad.refresh_from_db()
    assert "keine Zahl" in bad.last_error

    # Gathering again through the worker neither duplicates nor loses values.
    again = wait_for_run(dispatch_gathering(Indicator.objects.all(), RunTrigger.MANUAL).pk)
    assert (again.values_created, again.values_updated) == (0, 0)
    assert good.measurements.count() == 2
    assert again.finished_at <= timezone.now()
