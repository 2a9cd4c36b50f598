"""Evaluation forms when the row changed between loading and saving (no threads, any DB).

The other person's step runs at a hook between the view's load and its save; the threaded
variants with real lock waits are in test_races.py (PostgreSQL).
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from evaluation.models import CollectionRound, Indicator, Measurement
from tests.race import interleave

from .factories import IndicatorFactory
from .test_views import indicator_post


def test_indicator_edit_keeps_the_gathering_result_recorded_meanwhile(as_role, measure):
    indicator = IndicatorFactory(measure=measure, name="Alter Name")
    failed_at = timezone.now()

    def gathering_fails():
        Indicator.objects.filter(pk=indicator.pk).update(
            last_error="Quelle nicht erreichbar", last_error_at=failed_at
        )

    with interleave("evaluation.views.indicators.IndicatorForm", gathering_fails):
        response = as_role("editor_own").post(
            reverse("evaluation:indicator_update", args=[indicator.pk]),
            indicator_post(name="Neuer Name", loaded_version=indicator.updated_at.isoformat()),
        )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.last_error) == ("Neuer Name", "Quelle nicht erreichbar")


def test_value_for_an_indicator_deleted_meanwhile_gives_404(as_role, measure):
    indicator = IndicatorFactory(measure=measure)
    with interleave(
        "evaluation.views.indicators.MeasurementForm",
        lambda: Indicator.objects.filter(pk=indicator.pk).delete(),
    ):
        response = as_role("editor_own").post(
            reverse("evaluation:measurement_save", args=[indicator.pk]),
            {"period": "2025", "value": "17"},
        )
    assert response.status_code == 404
    assert not Measurement.objects.exists()


def test_round_closed_meanwhile_keeps_the_typed_values_and_stores_nothing(as_role, measure, users):
    indicator = IndicatorFactory(measure=measure)
    collection_round = CollectionRound.objects.create(
        title="Jahreswerte 2026",
        period=datetime.date(2026, 12, 31),
        deadline=datetime.date(2027, 1, 25),
        opened_by=users["coordinator"],
    )
    with interleave(
        "evaluation.views.rounds.RoundEntryForm",
        lambda: CollectionRound.objects.filter(pk=collection_round.pk).update(
            closed_at=timezone.now()
        ),
    ):
        response = as_role("editor_own").post(
            reverse("evaluation:round_entry", args=[collection_round.pk, "hitzacker-elbe"]),
            {f"value_{indicator.pk}": "42"},
        )
    assert response.status_code == 409
    page = response.content.decode()
    assert "inzwischen abgeschlossen" in page and 'value="42"' in page
    assert "Werte speichern" not in page
    assert not Measurement.objects.exists()
