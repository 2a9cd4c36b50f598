"""A gathering run's log always ends consistent: finished, every indicator accounted for.

Issue 7: killing the worker during a gathering lost tasks and the run log never finished.
Tasks are redelivered (acks late, reject on worker lost, visibility timeout); these tests play
the deliveries a dead worker leaves behind: some never run, some run twice.
"""

import datetime

import pytest
from django.utils import timezone

from evaluation.gathering import LOST_RESULT_ERROR, dispatch_gathering, finish_stale_runs, gather
from evaluation.models import CollectionResult, CollectionRun, Indicator, RunTrigger
from evaluation.sources import TransientSourceError
from evaluation.tasks import finish_stale_runs_task, gather_indicator_task
from strategy_portal.celery import app

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db

BODY = b"period,value\n2024,10\n2025,12\n"


def csv_indicators(httpserver, measure, count, path="/werte.csv", status=200):
    httpserver.expect_request(path).respond_with_data(BODY, status=status)
    return [
        IndicatorFactory(
            measure=measure, source_kind="csv_url", source_url=httpserver.url_for(path)
        )
        for _ in range(count)
    ]


def dispatch(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = dispatch_gathering(Indicator.objects.all(), RunTrigger.MANUAL)
    return run, callbacks


def test_run_starts_with_a_pending_result_per_indicator_and_finishes_with_the_last(
    httpserver, measure, django_capture_on_commit_callbacks, eager_celery
):
    csv_indicators(httpserver, measure, 3)
    run, callbacks = dispatch(django_capture_on_commit_callbacks)
    assert run.results.filter(finished_at__isnull=True).count() == 3
    for callback in callbacks[:2]:
        callback()
    run.refresh_from_db()
    assert run.finished_at is None and run.indicators_ok == 2
    callbacks[2]()
    run.refresh_from_db()
    assert run.finished_at is not None
    assert (run.indicators_ok, run.indicators_failed, run.values_created) == (3, 0, 6)


def test_an_indicator_deleted_before_its_task_is_accounted_for(
    httpserver, measure, django_capture_on_commit_callbacks, eager_celery
):
    first, second = csv_indicators(httpserver, measure, 2)
    run, callbacks = dispatch(django_capture_on_commit_callbacks)
    callbacks[0]()
    second.delete()
    callbacks[1]()  # the task finds no indicator
    run.refresh_from_db()
    assert run.finished_at is not None
    assert (run.indicators_ok, run.indicators_failed, run.indicators_removed) == (1, 0, 1)


def test_a_redelivered_task_keeps_the_values_its_first_delivery_stored(
    httpserver, measure, django_capture_on_commit_callbacks, eager_celery
):
    (indicator,) = csv_indicators(httpserver, measure, 1)
    run, callbacks = dispatch(django_capture_on_commit_callbacks)
    callbacks[0]()
    # The worker died after the commit but before the acknowledgement: delivered again.
    again = gather_indicator_task.apply(args=[indicator.pk, run.pk]).get()
    assert again["created"] == 0
    run.refresh_from_db()
    assert (run.indicators_ok, run.values_created, run.values_updated) == (1, 2, 0)
    assert indicator.measurements.count() == 2
    assert run.results.count() == 1


def test_a_later_failure_in_the_same_run_does_not_undo_a_success(
    httpserver, measure, django_capture_on_commit_callbacks, eager_celery
):
    (indicator,) = csv_indicators(httpserver, measure, 1)
    run, callbacks = dispatch(django_capture_on_commit_callbacks)
    callbacks[0]()
    httpserver.clear_all_handlers()
    httpserver.expect_request("/werte.csv").respond_with_data("weg", status=404)
    gather_indicator_task.apply(args=[indicator.pk, run.pk]).get()
    result = CollectionResult.objects.get(run=run)
    assert result.ok and result.error == "" and result.values_created == 2
    run.refresh_from_db()
    assert (run.indicators_ok, run.indicators_failed) == (1, 0)


def test_a_transient_error_keeps_the_result_pending_until_the_last_retry(httpserver, measure):
    (indicator,) = csv_indicators(httpserver, measure, 1, status=503)
    run = dispatch_gathering(Indicator.objects.all(), RunTrigger.MANUAL)
    with pytest.raises(TransientSourceError):
        gather(indicator, run.pk, final=False)
    run.refresh_from_db()
    result = run.results.get()
    assert result.finished_at is None and "503" in result.error
    assert run.finished_at is None
    with pytest.raises(TransientSourceError):
        gather(indicator, run.pk, final=True)
    run.refresh_from_db()
    assert run.finished_at is not None and run.indicators_failed == 1


def test_the_task_keeps_the_result_pending_until_its_last_retry(httpserver, measure, monkeypatch):
    (indicator,) = csv_indicators(httpserver, measure, 1, status=503)
    run = dispatch_gathering(Indicator.objects.all(), RunTrigger.MANUAL)
    finals = []

    def spy(indicator, run_id=None, *, final=True):
        finals.append(final)
        return gather(indicator, run_id, final=final)

    monkeypatch.setattr("evaluation.tasks.gather", spy)
    # Eager: the retries run one after another at once.
    saved, app.conf.task_eager_propagates = app.conf.task_eager_propagates, False
    try:
        outcome = gather_indicator_task.apply(args=[indicator.pk, run.pk], throw=False)
    finally:
        app.conf.task_eager_propagates = saved
    assert outcome.state == "FAILURE"
    assert finals == [False] * gather_indicator_task.max_retries + [True]
    run.refresh_from_db()
    assert run.finished_at is not None
    assert (run.indicators_ok, run.indicators_failed) == (0, 1)


def test_a_worker_killed_midway_ends_with_every_indicator_once(
    httpserver, measure, django_capture_on_commit_callbacks, eager_celery
):
    indicators = csv_indicators(httpserver, measure, 10)
    run, callbacks = dispatch(django_capture_on_commit_callbacks)
    for callback in callbacks[:7]:
        callback()  # then the worker is killed: 7 done, 3 never acknowledged
    run.refresh_from_db()
    assert run.finished_at is None
    # Redelivery after the visibility timeout: the three unacknowledged ones, and the last
    # finished one whose acknowledgement was lost with the worker.
    for indicator in indicators[6:]:
        gather_indicator_task.apply(args=[indicator.pk, run.pk]).get()
    run.refresh_from_db()
    assert run.finished_at is not None
    assert (run.indicators_ok, run.indicators_failed, run.indicators_removed) == (10, 0, 0)
    assert (run.values_created, run.values_updated) == (20, 0)
    assert sum(i.measurements.count() for i in indicators) == 20


def test_a_run_whose_tasks_were_lost_for_good_is_finished_by_the_sweep(
    httpserver, measure, django_capture_on_commit_callbacks, eager_celery
):
    csv_indicators(httpserver, measure, 3)
    run, callbacks = dispatch(django_capture_on_commit_callbacks)
    callbacks[0]()
    recent, _ = dispatch(django_capture_on_commit_callbacks)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    CollectionRun.objects.filter(pk=run.pk).update(updated_at=long_ago)
    assert finish_stale_runs(3600) == 1
    run.refresh_from_db()
    assert run.finished_at is not None
    assert (run.indicators_ok, run.indicators_failed) == (1, 2)
    assert set(run.results.filter(ok=False).values_list("error", flat=True)) == {LOST_RESULT_ERROR}
    recent.refresh_from_db()
    assert recent.finished_at is None  # still within its time
    assert finish_stale_runs_task() == 0


def test_the_run_page_shows_pending_results(
    httpserver, measure, django_capture_on_commit_callbacks, eager_celery, as_role
):
    csv_indicators(httpserver, measure, 2)
    run, callbacks = dispatch(django_capture_on_commit_callbacks)
    callbacks[0]()
    response = as_role("coordinator").get(f"/evaluierung/abrufe/{run.pk}/")
    content = response.content.decode()
    assert "läuft noch (1 von 2 Indikatoren abgerufen)" in content
    assert "steht noch aus" in content
