"""Closing a round and deleting a measured value have a confirmation step (issue 8 §3)."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from evaluation.models import CollectionRound, Measurement, MeasurementCorrection

from .factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
VALUE_EDITORS = {"editor_own", "samtgemeinde_editor", "coordinator"}


@pytest.fixture
def collection_round(users, measure, other_measure):
    IndicatorFactory(measure=measure, name="Anteil online")
    filled = IndicatorFactory(measure=measure, name="Bearbeitungszeit", unit="Tage")
    IndicatorFactory(measure=other_measure, name="E-Akte")
    MeasurementFactory(indicator=filled, period=datetime.date(2026, 1, 1), value=D("9"))
    return CollectionRound.objects.create(
        title="Jahreswerte 2026",
        period=datetime.date(2026, 6, 30),
        deadline=datetime.date(2027, 1, 25),
        opened_by=users["coordinator"],
    )


def test_round_close_confirmation_names_what_is_missing(as_role, collection_round):
    client = as_role("coordinator")
    url = reverse("evaluation:round_close", args=[collection_round.pk])
    detail = client.get(collection_round.get_absolute_url()).content.decode()
    assert f'href="{url}"' in detail
    text = client.get(url).content.decode()
    assert "2 von 3 Werten fehlen noch" in text
    assert "bei 2 Kommunen" in text and "Hitzacker (Elbe) (1 von 2)" in text
    assert "keine Werte mehr eintragen" in text
    collection_round.refresh_from_db()
    assert collection_round.is_open  # GET changes nothing
    client.post(url)
    collection_round.refresh_from_db()
    assert not collection_round.is_open


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_round_close_matrix(as_role, role, method, collection_round):
    response = getattr(as_role(role), method)(
        reverse("evaluation:round_close", args=[collection_round.pk])
    )
    collection_round.refresh_from_db()
    if role == "coordinator":
        assert response.status_code == (200 if method == "get" else 302)
        assert collection_round.is_open == (method == "get")
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert collection_round.is_open


def test_measurement_delete_confirmation_then_delete_keeps_the_old_value(as_role, measure, users):
    indicator = IndicatorFactory(measure=measure, name="Anteil online")
    measurement = MeasurementFactory(indicator=indicator, value=D("12.5"))
    MeasurementFactory(indicator=indicator, period=datetime.date(2026, 1, 1), value=D("20"))
    client = as_role("editor_own")
    url = reverse("evaluation:measurement_delete", args=[measurement.pk])
    assert f'href="{url}"' in client.get(indicator.get_absolute_url()).content.decode()
    text = client.get(url).content.decode()
    assert "12,5 % für 2025" in text and "aus dem übrigen Wert berechnet" in text
    assert Measurement.objects.filter(pk=measurement.pk).exists()  # GET changes nothing
    response = client.post(url, follow=True)
    assert not Measurement.objects.filter(pk=measurement.pk).exists()
    correction = MeasurementCorrection.objects.get()
    assert (correction.old_value, correction.new_value) == (D("12.5"), None)
    assert correction.changed_by == users["editor_own"]
    assert "gelöscht" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_measurement_delete_matrix(as_role, role, method, measure):
    measurement = MeasurementFactory(indicator__measure=measure)
    response = getattr(as_role(role), method)(
        reverse("evaluation:measurement_delete", args=[measurement.pk])
    )
    exists = Measurement.objects.filter(pk=measurement.pk).exists()
    if role in VALUE_EDITORS:
        assert response.status_code == (200 if method == "get" else 302)
        assert exists == (method == "get")
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert exists
