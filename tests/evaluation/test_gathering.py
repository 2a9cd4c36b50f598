"""Gathering: idempotent upsert, run log, failures recorded and isolated, tasks, command."""

import datetime
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from evaluation.gathering import dispatch_gathering, gather, upsert_values
from evaluation.models import CollectionRun, Indicator, Measurement, Origin, RunTrigger
from evaluation.tasks import gather_due_indicators_task, gather_indicator_task

from .conftest import data_file
from .factories import IndicatorFactory, MeasurementFactory

Y = datetime.date


def csv_indicator(httpserver, measure, path="/werte.csv", body=b"period,value\n2024,10\n2025,12\n"):
    httpserver.expect_request(path).respond_with_data(body)
    return IndicatorFactory(
        measure=measure, source_kind="csv_url", source_url=httpserver.url_for(path)
    )


def test_unique_constraint_per_indicator_and_period(measure):
    measurement = MeasurementFactory(indicator__measure=measure)
    with pytest.raises(IntegrityError), transaction.atomic():
        Measurement.objects.create(
            indicator=measurement.indicator, period=measurement.period, value=1, origin="manual"
        )


def test_upsert_is_idempotent(measure):
    indicator = IndicatorFactory(measure=measure)
    values = {Y(2024, 1, 1): D("10"), Y(2025, 1, 1): D("12.5")}
    assert upsert_values(indicator, values, origin=Origin.GATHERED) == (2, 0)
    assert upsert_values(indicator, values, origin=Origin.GATHERED) == (0, 0)
    assert upsert_values(indicator, {Y(2025, 1, 1): D("13")}, origin=Origin.GATHERED) == (0, 1)
    stored = dict(indicator.measurements.values_list("period", "value"))
    assert stored == {Y(2024, 1, 1): D("10"), Y(2025, 1, 1): D("13")}


def test_upsert_keeps_notes_of_gathered_values(measure):
    indicator = IndicatorFactory(measure=measure)
    upsert_values(indicator, {Y(2025, 1, 1): D("1")}, origin=Origin.MANUAL, note="geschätzt")
    upsert_values(indicator, {Y(2025, 1, 1): D("2")}, origin=Origin.GATHERED)
    assert indicator.measurements.get().note == "geschätzt"


def test_gathering_twice_never_duplicates(httpserver, measure):
    indicator = csv_indicator(httpserver, measure)
    assert gather(indicator) == (True, 2, 0, "")
    assert gather(indicator) == (True, 0, 0, "")
    assert indicator.measurements.count() == 2
    indicator.refresh_from_db()
    assert indicator.last_success_at is not None
    assert indicator.last_error == ""


def test_bad_data_stores_nothing_and_is_recorded(httpserver, measure):
    body = b"period,value\n2024,10\n2025,kaputt\n"
    indicator = csv_indicator(httpserver, measure, body=body)
    ok, created, updated, error = gather(indicator)
    assert not ok and (created, updated) == (0, 0)
    assert "Zeile 3" in error
    assert not Measurement.objects.exists()
    indicator.refresh_from_db()
    assert "Zeile 3" in indicator.last_error
    assert indicator.last_error_at is not None
    assert indicator.last_success_at is None


def test_an_unexpected_exception_is_recorded(measure, monkeypatch):
    indicator = IndicatorFactory(measure=measure, source_kind="portal")

    def broken(self):
        raise KeyError("oops")

    monkeypatch.setattr("evaluation.sources.portal.PortalSource.fetch", broken)
    ok, *_rest, error = gather(indicator)
    assert not ok and "Unerwarteter Fehler" in error


def test_run_over_all_indicators_isolates_failures(
    httpserver, measure, django_capture_on_commit_callbacks, eager_celery
):
    good = csv_indicator(httpserver, measure)
    bad = csv_indicator(httpserver, measure, "/kaputt.json", b"{kein json")
    bad.source_kind = "json_url"
    bad.save()
    missing = csv_indicator(httpserver, measure, "/fehlt.csv")
    httpserver.clear_all_handlers()
    httpserver.expect_request("/werte.csv").respond_with_data(b"period,value\n2024,10\n2025,12\n")
    httpserver.expect_request("/kaputt.json").respond_with_data(b"{kein json")
    httpserver.expect_request("/fehlt.csv").respond_with_data("nicht da", status=404)
    IndicatorFactory(measure=measure)  # manual: not gathered

    with django_capture_on_commit_callbacks(execute=True):
        run = dispatch_gathering(Indicator.objects.all(), RunTrigger.MANUAL)

    run.refresh_from_db()
    assert run.indicators_total == 3
    assert (run.indicators_ok, run.indicators_failed) == (1, 2)
    assert (run.values_created, run.values_updated) == (2, 0)
    assert run.finished_at is not None
    errors = dict(run.results.values_list("indicator_id", "error"))
    assert errors[good.pk] == ""
    assert "Ungültiges JSON" in errors[bad.pk]
    assert "HTTP-Fehler 404" in errors[missing.pk]
    assert good.measurements.count() == 2


def test_task_rerun_after_worker_died_is_harmless(httpserver, measure):
    indicator = csv_indicator(httpserver, measure)
    run = CollectionRun.objects.create(trigger=RunTrigger.SCHEDULE, indicators_total=1)
    first = gather_indicator_task.apply(args=[indicator.pk, run.pk]).get()
    again = gather_indicator_task.apply(args=[indicator.pk, run.pk]).get()
    assert first == {"ok": True, "created": 2, "updated": 0, "error": ""}
    assert again["created"] == 0
    run.refresh_from_db()
    assert run.results.count() == 1
    assert run.indicators_ok == 1
    assert indicator.measurements.count() == 2


def test_task_tolerates_a_deleted_indicator(db):
    assert gather_indicator_task.apply(args=[987654]).get() is None


def test_transient_errors_are_retried_then_recorded(httpserver, measure, monkeypatch):
    # Eager mode runs each retry at once; without propagation the last failure is returned.
    monkeypatch.setitem(gather_indicator_task.app.conf, "task_eager_propagates", False)
    indicator = csv_indicator(httpserver, measure, "/busy.csv")
    httpserver.clear_all_handlers()
    httpserver.expect_request("/busy.csv").respond_with_data("busy", status=503)
    result = gather_indicator_task.apply(args=[indicator.pk], throw=False)
    assert result.failed()
    # One try and three retries (eager mode runs the retries at once).
    assert len(httpserver.log) == 4
    indicator.refresh_from_db()
    assert "HTTP-Fehler 503" in indicator.last_error


def test_task_options():
    assert gather_indicator_task.name == "evaluation.gather_indicator"
    assert gather_indicator_task.acks_late is True
    assert gather_indicator_task.max_retries == 3
    assert gather_indicator_task.time_limit and gather_indicator_task.soft_time_limit


def test_beat_task_queues_only_due_indicators(
    httpserver, measure, django_capture_on_commit_callbacks, eager_celery
):
    due = csv_indicator(httpserver, measure)
    recent = csv_indicator(httpserver, measure, "/neu.csv")
    Indicator.objects.filter(pk=recent.pk).update(
        last_attempt_at=datetime.datetime.now(datetime.UTC)
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_id = gather_due_indicators_task.apply().get()
    run = CollectionRun.objects.get(pk=run_id)
    assert run.trigger == RunTrigger.SCHEDULE
    assert list(run.results.values_list("indicator_id", flat=True)) == [due.pk]
    # Queued indicators are not due again on the next beat run.
    assert not Indicator.objects.due_for_gathering().exists()


def test_management_command_prints_a_summary(httpserver, measure):
    csv_indicator(httpserver, measure)
    httpserver.expect_request("/genesis/data/tablefile").respond_with_data(
        data_file("12411-01-01-5_ffcsv.csv")
    )
    IndicatorFactory(
        measure=measure,
        name="Einwohner",
        source_kind="genesis",
        source_url=httpserver.url_for("/genesis/"),
        source_options={"table": "12411-01-01-5"},
    )
    out = StringIO()
    call_command("gather_indicators", "--all", stdout=out)
    text = out.getvalue()
    assert "FEHLER" in text and "GENESIS_API_TOKEN" in text
    assert "2 Indikatoren, 1 erfolgreich, 1 fehlgeschlagen, 2 neue" in text


def test_beat_schedule_names_registered_tasks(settings):
    from strategy_portal.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


def test_sql_statements_of_a_gathering_do_not_grow_with_the_number_of_values(httpserver, measure):
    """bench/gather_bench.py's target: statements per indicator constant in its values."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluation.gathering import start_run

    few = csv_indicator(httpserver, measure, "/few.csv", b"period,value\n2025,1\n")
    rows = "".join(f"{year},{year - 2000}\n" for year in range(2015, 2027))
    many = csv_indicator(httpserver, measure, "/many.csv", f"period,value\n{rows}".encode())
    counts = []
    for indicator, values in ((few, 1), (many, 12)):
        run = start_run([indicator.pk], RunTrigger.COMMAND)
        with CaptureQueriesContext(connection) as queries:
            assert gather(indicator, run.pk) == (True, values, 0, "")
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
