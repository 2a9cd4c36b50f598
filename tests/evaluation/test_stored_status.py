"""The stored status (issue 13) equals the computed one and follows every write and the date."""

import datetime
import itertools
from collections import Counter
from decimal import Decimal as D

from django.urls import reverse

from evaluation.gathering import upsert_values
from evaluation.models import Indicator, Measurement, Origin
from evaluation.status import IndicatorStatus, indicator_status
from evaluation.stored_status import refresh_outdated, refresh_stored_status
from evaluation.tasks import refresh_indicator_status_task
from measures.models import Status
from tests.factories import MeasureFactory

from .factories import IndicatorFactory, MeasurementFactory

Y = datetime.date


def _varied_indicators(measure):
    """Indicators over directions, frequencies, baselines, hold targets and value series."""
    series = [
        [],
        [(Y(2025, 1, 1), "12")],
        [(Y(2024, 1, 1), "10"), (Y(2025, 1, 1), "30"), (Y(2026, 1, 1), "45")],
        [(Y(2025, 1, 1), "8"), (Y(2026, 1, 1), "5")],
        [(Y(2026, 1, 1), "55"), (Y(2026, 4, 1), "60"), (Y(2026, 7, 1), "20")],
        [(Y(2023, 1, 1), "50")],
    ]
    combos = itertools.product(
        ("increase", "decrease"),
        ("yearly", "quarterly", "monthly"),
        ((D("10"), Y(2025, 1, 1)), (None, None), (D("10"), None), (D("50"), Y(2024, 6, 1))),
        series,
    )
    for n, (direction, frequency, (baseline, baseline_date), values) in enumerate(combos):
        target = D("50") if direction == "increase" else D("2")
        if baseline is not None and baseline == D("50"):
            target = baseline  # hold the level
        indicator = IndicatorFactory(
            measure=measure,
            direction=direction,
            frequency=frequency,
            baseline_value=baseline,
            baseline_date=baseline_date,
            target_value=target,
            target_date=Y(2027 + n % 3, 12, 31),
        )
        for period, value in values:
            MeasurementFactory(indicator=indicator, period=period, value=D(value))


def _computed(today):
    return {i.pk: indicator_status(i, today) for i in Indicator.objects.with_latest()}


def _stored():
    return {
        i.pk: (i.stored_status, i.stored_expected, i.stored_actual) for i in Indicator.objects.all()
    }


def test_stored_status_equals_the_computed_status(measure):
    _varied_indicators(measure)
    seen = set()
    for today in (Y(2025, 3, 1), Y(2026, 2, 15), Y(2026, 11, 30), Y(2028, 6, 1), Y(2031, 1, 1)):
        refresh_stored_status(today=today)
        computed = _computed(today)
        assert len(computed) == 144
        assert _stored() == {pk: (r.status, r.expected, r.actual) for pk, r in computed.items()}
        assert all(i.status_computed_on == today for i in Indicator.objects.all())
        seen |= {r.status for r in computed.values()}
    # The set is varied: every status occurs.
    assert seen == set(IndicatorStatus.values)


def test_saves_keep_the_stored_status_current(measure):
    """Factories save through the ORM: the signals store the status of today."""
    _varied_indicators(measure)
    today = datetime.date.today()
    computed = _computed(today)
    assert _stored() == {pk: (r.status, r.expected, r.actual) for pk, r in computed.items()}


def test_upsert_stores_the_new_status_in_the_same_transaction(measure):
    indicator = IndicatorFactory(measure=measure, baseline_date=Y(2026, 1, 1))
    assert Indicator.objects.get(pk=indicator.pk).stored_status != IndicatorStatus.ON_TRACK
    upsert_values(indicator, {Y(2026, 1, 1): D("60")}, origin=Origin.GATHERED)
    assert Indicator.objects.get(pk=indicator.pk).stored_status == IndicatorStatus.ON_TRACK
    # Unchanged values write nothing, and the status stays.
    assert upsert_values(indicator, {Y(2026, 1, 1): D("60")}, origin=Origin.GATHERED) == (0, 0)
    assert Indicator.objects.get(pk=indicator.pk).stored_status == IndicatorStatus.ON_TRACK


def test_entering_deleting_and_target_changes_update_the_stored_status(as_role, measure):
    from .test_views import indicator_post

    client = as_role("coordinator")
    indicator = IndicatorFactory(
        measure=measure, baseline_date=Y(2026, 1, 1), target_date=Y(2030, 12, 31)
    )
    client.post(
        reverse("evaluation:measurement_save", args=[indicator.pk]),
        {"period": "2026", "value": "11", "note": ""},
    )
    indicator.refresh_from_db()
    assert Measurement.objects.filter(indicator=indicator).count() == 1
    first = indicator.stored_status
    assert first == indicator_status(Indicator.objects.with_latest().get(pk=indicator.pk)).status
    # A lower target is reached by the same value.
    client.post(
        reverse("evaluation:indicator_update", args=[indicator.pk]),
        indicator_post(
            baseline_value="10",
            baseline_date="2026-01-01",
            target_value="11",
            target_date="2030-12-31",
            loaded_version=indicator.updated_at.isoformat(),
        ),
    )
    indicator.refresh_from_db()
    assert indicator.target_value == D("11")
    assert indicator.stored_status == IndicatorStatus.ON_TRACK
    measurement = Measurement.objects.get(indicator=indicator)
    client.post(reverse("evaluation:measurement_delete", args=[measurement.pk]))
    indicator.refresh_from_db()
    assert indicator.stored_status == (
        indicator_status(Indicator.objects.with_latest().get(pk=indicator.pk)).status
    )
    assert indicator.stored_status in (IndicatorStatus.STALE, IndicatorStatus.NO_DATA)


def test_nightly_task_follows_the_passage_of_time(measure):
    indicator = IndicatorFactory(measure=measure, frequency="yearly", baseline_date=Y(2025, 1, 1))
    MeasurementFactory(indicator=indicator, period=Y(2025, 1, 1), value=D("20"))
    later = Y(2029, 6, 1)  # the values of 2026-2027 are long due: stale
    assert refresh_outdated(today=later) == 1
    indicator.refresh_from_db()
    assert indicator.stored_status == IndicatorStatus.STALE
    assert indicator.status_computed_on == later
    assert refresh_outdated(today=later) == 0  # done for the day
    Indicator.objects.filter(pk=indicator.pk).update(status_computed_on=Y(2020, 1, 1))
    assert refresh_indicator_status_task.apply().get() == 1  # back to today's status
    indicator.refresh_from_db()
    today = datetime.date.today()
    assert indicator.status_computed_on == today
    expected = indicator_status(Indicator.objects.with_latest().get(pk=indicator.pk), today)
    assert indicator.stored_status == expected.status


def test_dashboard_counts_equal_the_computed_statuses(as_role, district, measure):
    _varied_indicators(measure)
    other = MeasureFactory(lead_municipality=district["gorleben"], status=Status.IN_PROGRESS)
    _varied_indicators(other)
    response = as_role("coordinator").get(reverse("evaluation:overview"))
    expected = Counter(r.status for r in _computed(datetime.date.today()).values())
    assert dict(response.context["district"].counts) == dict(expected)
    by_lead = {g.key.slug: g.total for g in response.context["by_municipality"]}
    assert by_lead == {"hitzacker-elbe": 144, "gorleben": 144}
    not_fresh = expected[IndicatorStatus.STALE] + expected[IndicatorStatus.NO_DATA]
    assert response.context["not_fresh_count"] == not_fresh
    assert len(response.context["not_fresh"]) == 10
    html = response.content.decode()
    assert f"Alle {not_fresh} Indikatoren ohne aktuellen Wert" in html


def test_a_few_indicators_are_refreshed_in_one_plain_query(measure, monkeypatch):
    """Every upsert refreshes its indicator: no server-side cursor (iterator) for a few."""
    from django.db import connection
    from django.db.models import QuerySet
    from django.test.utils import CaptureQueriesContext

    indicators = [IndicatorFactory(measure=measure, baseline_date=Y(2026, 1, 1)) for _ in range(3)]
    for indicator in indicators:
        MeasurementFactory(indicator=indicator, period=Y(2026, 1, 1), value=D("60"))
    Indicator.objects.update(status_computed_on=None)  # so that every row is written again

    def no_iterator(self, *args, **kwargs):
        raise AssertionError("iterator() used for a few primary keys")

    monkeypatch.setattr(QuerySet, "iterator", no_iterator)
    with CaptureQueriesContext(connection) as queries:
        assert refresh_stored_status([i.pk for i in indicators]) == 3
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert statements.count("SELECT") == 1 and statements.count("UPDATE") == 1
    with CaptureQueriesContext(connection) as queries:
        Indicator.objects.filter(pk=indicators[0].pk).update(status_computed_on=None)
        assert refresh_stored_status([indicators[0].pk]) == 1
    update = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")][-1]
    assert "CASE" not in update  # one row: a plain UPDATE
    computed = _computed(datetime.date.today())
    assert _stored() == {pk: (r.status, r.expected, r.actual) for pk, r in computed.items()}
