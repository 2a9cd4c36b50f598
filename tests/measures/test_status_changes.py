"""Status over time: change records written where the status changes, back-filled from the
history, and "status as of a day" in one SQL query (measures.status_changes,
evaluation.status_history)."""

import datetime
import importlib

import pytest
import time_machine
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation import status_history
from evaluation.models import Indicator, IndicatorStatusChange
from evaluation.stored_status import refresh_stored_status
from fields_of_action.models import FieldOfAction
from measures import status_changes
from measures.models import Measure, MeasureStatusChange, Status

from ..evaluation.factories import IndicatorFactory, MeasurementFactory
from ..factories import MeasureFactory

pytestmark = pytest.mark.django_db

D1, D2, D3 = datetime.date(2026, 3, 31), datetime.date(2026, 6, 30), datetime.date(2026, 9, 30)


def at(day, hour=10):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC), tick=False
    )


def changes(measure):
    return list(
        MeasureStatusChange.objects.filter(measure=measure)
        .order_by("changed_at", "pk")
        .values_list("old_status", "new_status")
    )


@pytest.fixture
def lived(district, users):
    """A measure planned on D1, in progress on D2, paused and resumed on D3."""
    with at(D1):
        measure = MeasureFactory(lead_municipality=district["hitzacker"], status=Status.PLANNED)
    with at(D2):
        measure = Measure.objects.get(pk=measure.pk)
        measure.status = Status.IN_PROGRESS
        measure.updated_by = users["editor_own"]
        measure.save()
    with at(D3):
        measure.status = Status.PAUSED
        measure.save()
    with at(D3, hour=11):
        measure.refresh_from_db()
        measure.status = Status.IN_PROGRESS
        measure.save()
    return measure


def test_every_status_change_and_only_those_is_recorded(lived, users):
    assert changes(lived) == [
        ("", "planned"),
        ("planned", "in_progress"),
        ("in_progress", "paused"),
        ("paused", "in_progress"),
    ]
    second = MeasureStatusChange.objects.filter(measure=lived).order_by("changed_at")[1]
    assert second.changed_by == users["editor_own"]
    assert second.changed_at.date() == D2
    lived.title = "Neuer Titel"
    lived.save()
    lived.save(update_fields=["title"])
    assert len(changes(lived)) == 4


def test_a_status_changed_elsewhere_and_refreshed_is_no_change_of_this_save(lived):
    stale = Measure.objects.get(pk=lived.pk)
    other = Measure.objects.get(pk=lived.pk)
    other.status = Status.COMPLETED
    other.save()
    stale.refresh_from_db()
    stale.title = "Nur der Titel"
    stale.save()
    assert changes(lived)[-1] == ("in_progress", "completed")
    assert len(changes(lived)) == 5


def test_status_as_of_a_day(lived, district):
    with at(D2):
        other = MeasureFactory(lead_municipality=district["gorleben"], status=Status.IDEA)
    measures = Measure.objects.all()
    assert status_changes.statuses_as_of(measures, D1 - datetime.timedelta(days=1)) == {}
    assert status_changes.statuses_as_of(measures, D1) == {lived.pk: "planned"}
    assert status_changes.statuses_as_of(measures, D2) == {
        lived.pk: "in_progress",
        other.pk: "idea",
    }
    with CaptureQueriesContext(connection) as queries:
        counts = status_changes.status_counts_as_of(measures, [D1, D2, D3])
    assert len(queries) == 1
    assert counts[D1] == {"planned": 1}
    assert counts[D3] == {"in_progress": 1, "idea": 1}  # paused and resumed on that day


def _backfill(app, name):
    module = importlib.import_module(f"{app}.migrations.{name}")
    module.backfill(django_apps, None)


def test_backfill_from_the_history(lived, district):
    expected = {m.pk: changes(m) for m in Measure.objects.all()}
    with at(D3):
        bypassed = MeasureFactory(lead_municipality=district["gorleben"], status=Status.IDEA)
    # A write that went around the history (a queryset update) and one without any history.
    Measure.objects.filter(pk=bypassed.pk).update(status=Status.PLANNED)
    with at(D2):
        unrecorded = MeasureFactory(lead_municipality=district["gorleben"], status=Status.IDEA)
    unrecorded.history.all().delete()
    MeasureStatusChange.objects.all().delete()

    _backfill("measures", "0012_measure_status_changes")

    assert changes(lived) == expected[lived.pk]
    days = list(
        MeasureStatusChange.objects.filter(measure=lived)
        .order_by("changed_at", "pk")
        .values_list("changed_at__date", flat=True)
    )
    assert days == [D1, D2, D3, D3]
    assert changes(bypassed) == [("", "idea"), ("idea", "planned")]
    assert changes(unrecorded) == [("", "idea")]
    first = MeasureStatusChange.objects.get(measure=unrecorded)
    assert first.changed_at.date() == D2
    # The back-filled records answer "as of" like written ones.
    assert status_changes.statuses_as_of(Measure.objects.filter(pk=lived.pk), D2) == {
        lived.pk: "in_progress"
    }


@pytest.mark.parametrize("count", [150, 1500])
def test_status_as_of_is_one_query_at_any_size(district, count):
    field = FieldOfAction.objects.get(number=1)
    leads = [district["hitzacker"], district["gorleben"]]
    measures = Measure.objects.bulk_create(
        Measure(
            lead_municipality=leads[i % 2],
            field_of_action=field,
            title=f"M{i}",
            summary="Kurz.",
            status=Status.IN_PROGRESS if i % 3 else Status.COMPLETED,
        )
        for i in range(count)
    )

    def moment(day):
        return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)

    rows = []
    for i, m in enumerate(measures):
        rows.append(MeasureStatusChange(measure=m, changed_at=moment(D1), new_status="planned"))
        rows.append(
            MeasureStatusChange(
                measure=m,
                changed_at=moment(D2),
                old_status="planned",
                new_status="in_progress" if i % 3 else "completed",
            )
        )
    MeasureStatusChange.objects.bulk_create(rows, batch_size=2000)
    quarters = [datetime.date(2025, 12, 31), D1, D2, D3]
    with CaptureQueriesContext(connection) as queries:
        counts = status_changes.status_counts_as_of(Measure.objects.all(), quarters)
    assert len(queries) == 1
    completed = sum(1 for i in range(count) if not i % 3)
    assert counts[quarters[0]] == {}
    assert counts[D1] == {"planned": count}
    assert counts[D3] == {"in_progress": count - completed, "completed": completed}


def test_indicator_status_changes_are_recorded_with_the_stored_status(measure_in_progress):
    with at(datetime.date(2027, 3, 1)):
        indicator = IndicatorFactory(measure=measure_in_progress, frequency="yearly")
        MeasurementFactory(indicator=indicator, period=datetime.date(2026, 1, 1), value=45)
    recorded = list(
        IndicatorStatusChange.objects.filter(indicator=indicator)
        .order_by("changed_on", "pk")
        .values_list("old_status", "new_status")
    )
    # Without a value, the value due since the baseline is missing: stale.
    assert recorded == [("", "stale"), ("stale", "on_track")]
    # The nightly run changes nothing while the status holds; a due value turns it stale.
    with at(datetime.date(2027, 3, 2)):
        refresh_stored_status()
    assert IndicatorStatusChange.objects.filter(indicator=indicator).count() == 2
    with at(datetime.date(2029, 6, 1)):
        refresh_stored_status()
    last = IndicatorStatusChange.objects.filter(indicator=indicator).order_by("-pk").first()
    assert (last.old_status, last.new_status) == ("on_track", "stale")
    assert last.changed_on == datetime.date(2029, 6, 1)
    indicators = Indicator.objects.all()
    assert status_history.statuses_as_of(indicators, datetime.date(2027, 2, 28)) == {}
    assert status_history.statuses_as_of(indicators, datetime.date(2027, 12, 31)) == {
        indicator.pk: "on_track"
    }
    counts = status_history.status_counts_as_of(
        indicators, [datetime.date(2027, 12, 31), datetime.date(2029, 12, 31)]
    )
    assert counts[datetime.date(2029, 12, 31)] == {"stale": 1}

    IndicatorStatusChange.objects.all().delete()
    _backfill("evaluation", "0010_indicator_status_changes")
    backfilled = IndicatorStatusChange.objects.get(indicator=indicator)
    assert (backfilled.new_status, backfilled.changed_on) == ("stale", datetime.date(2029, 6, 1))


@pytest.fixture
def measure_in_progress(district):
    return MeasureFactory(lead_municipality=district["hitzacker"], status=Status.IN_PROGRESS)
