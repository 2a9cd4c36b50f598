"""Plausible measurements (issue 8 §6): periods begun, plausible range, large corrections.

The same rules in the form (manual entry, and the API push which reuses MeasurementForm), the
round entry, and the CSV import; every correction keeps the old value; charts stop at today.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.charts import indicator_line_chart
from evaluation.forms import IndicatorForm, MeasurementForm
from evaluation.models import CollectionRound, Measurement, MeasurementCorrection
from evaluation.plausibility import default_range, is_large_change

from .factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def percent(measure):
    return IndicatorFactory(measure=measure, name="Anteil online", unit="%", frequency="quarterly")


def form(indicator, **data):
    return MeasurementForm(data, indicator=indicator, today=TODAY)


# --- the rules -------------------------------------------------------------------------------


def test_defaults_by_unit():
    assert default_range("%") == (D(0), D(100))
    assert default_range("Anzahl") == (D(0), None)
    assert default_range("Tage") == (D(0), None)
    assert default_range("kWh je Einwohner") == (None, None)


def test_large_change_means_more_than_a_factor_of_ten_or_a_change_of_sign():
    assert is_large_change(D("12"), D("121"))
    assert is_large_change(D("12"), D("1.1"))
    assert is_large_change(D("12"), D("-12"))
    assert not is_large_change(D("12"), D("120"))
    assert not is_large_change(None, D("999"))
    assert not is_large_change(D("0"), D("5"))


# --- the form ---------------------------------------------------------------------------------


def test_q1_2030_is_refused_in_december_2026(percent):
    bound = form(percent, period="2030-Q1", value="40")
    assert not bound.is_valid()
    assert "Q1 2030 hat noch nicht begonnen" in bound.errors["period"][0]
    assert form(percent, period="2026-Q4", value="40").is_valid()  # has begun


def test_percent_outside_0_to_100_is_refused(percent):
    bound = form(percent, period="2026-Q1", value="-999,999")
    assert not bound.is_valid()
    assert "außerhalb des plausiblen Bereichs von 0 bis 100 %" in bound.errors["value"][0]
    assert not form(percent, period="2026-Q1", value="100,5").is_valid()
    assert form(percent, period="2026-Q1", value="100").is_valid()


def test_an_indicator_may_allow_more_than_100_percent(measure):
    growth = IndicatorFactory(measure=measure, unit="%", plausible_max=D("300"))
    assert form(growth, period="2026", value="150").is_valid()
    assert not form(growth, period="2026", value="-1").is_valid()  # default minimum stays


def test_a_stated_range_refuses_values_outside(measure):
    days = IndicatorFactory(
        measure=measure, unit="Tage", plausible_min=D("1"), plausible_max=D("90")
    )
    bound = form(days, period="2026", value="120")
    assert not bound.is_valid()
    assert "von 1 bis 90 Tage" in bound.errors["value"][0]
    count = IndicatorFactory(measure=measure, unit="Anzahl")
    assert not form(count, period="2026", value="-3").is_valid()
    assert form(days, period="2026", value="30").is_valid()


def test_indicator_form_checks_the_range_is_ordered(measure):
    data = {
        "name": "Bearbeitungszeit",
        "unit": "Tage",
        "kind": "effect",
        "direction": "decrease",
        "baseline_value": "30",
        "baseline_date": "2025-01-01",
        "target_value": "10",
        "target_date": "2028-12-31",
        "frequency": "yearly",
        "source_kind": "manual",
        "plausible_min": "50",
        "plausible_max": "5",
    }
    bound = IndicatorForm(data, instance=IndicatorFactory.build(measure=measure))
    assert not bound.is_valid()
    assert "plausible_max" in bound.errors
    bound = IndicatorForm(
        dict(data, plausible_min="0", plausible_max="365"),
        instance=IndicatorFactory.build(measure=measure),
    )
    assert bound.is_valid(), bound.errors
    assert bound.save().plausible_range() == (D(0), D(365))


def test_a_correction_by_more_than_ten_times_needs_confirmation_and_a_note(percent):
    MeasurementFactory(indicator=percent, period=datetime.date(2026, 1, 1), value=D("4"))
    first = form(percent, period="2026-Q1", value="45")
    assert not first.is_valid()
    assert "mehr als das Zehnfache" in first.errors["value"][0]
    assert first.needs_confirmation
    without_note = form(percent, period="2026-Q1", value="45", confirm="on")
    assert not without_note.is_valid()
    assert "begründen" in without_note.errors["note"][0]
    confirmed = form(percent, period="2026-Q1", value="45", confirm="on", note="Zählfehler")
    assert confirmed.is_valid(), confirmed.errors


def test_manual_entry_two_steps_and_the_correction_log(as_role, percent, users):
    MeasurementFactory(indicator=percent, period=datetime.date(2026, 1, 1), value=D("4"))
    client = as_role("editor_own")
    url = reverse("evaluation:measurement_save", args=[percent.pk])
    first = client.post(url, {"period": "2026-Q1", "value": "45", "note": ""})
    assert first.status_code == 400
    page = first.content.decode()
    assert "mehr als das Zehnfache" in page and 'name="confirm"' in page
    assert Measurement.objects.get(indicator=percent).value == D("4")  # nothing replaced
    second = client.post(
        url, {"period": "2026-Q1", "value": "45", "note": "Zählfehler", "confirm": "on"}
    )
    assert second.status_code == 302
    assert Measurement.objects.get(indicator=percent).value == D("45")
    correction = MeasurementCorrection.objects.get()
    assert (correction.old_value, correction.new_value) == (D("4"), D("45"))
    assert correction.changed_by == users["editor_own"] and correction.note == "Zählfehler"
    detail = client.get(percent.get_absolute_url()).content.decode()
    assert "Korrekturen" in detail and "Zählfehler" in detail


def test_a_small_correction_is_logged_without_confirmation(as_role, percent):
    MeasurementFactory(indicator=percent, period=datetime.date(2026, 1, 1), value=D("40"))
    as_role("editor_own").post(
        reverse("evaluation:measurement_save", args=[percent.pk]),
        {"period": "2026-Q1", "value": "42"},
    )
    correction = MeasurementCorrection.objects.get()
    assert (correction.old_value, correction.new_value) == (D("40"), D("42"))


def test_the_public_never_sees_the_correction_log(client, percent):
    MeasurementFactory(indicator=percent, period=datetime.date(2026, 1, 1), value=D("40"))
    MeasurementCorrection.objects.create(
        indicator=percent,
        period=datetime.date(2026, 1, 1),
        old_value=D("4"),
        new_value=D("40"),
        old_origin="manual",
        origin="manual",
        note="vertraulich",
    )
    response = client.get(percent.get_absolute_url())
    assert response.status_code in (200, 404)
    assert "vertraulich" not in response.content.decode()


# --- round entry ------------------------------------------------------------------------------


def test_round_entry_refuses_implausible_values_and_asks_to_confirm_large_changes(
    as_role, measure, users
):
    share = IndicatorFactory(measure=measure, name="Anteil online", unit="%")
    days = IndicatorFactory(measure=measure, name="Bearbeitungszeit", unit="Tage")
    MeasurementFactory(indicator=days, period=datetime.date(2026, 1, 1), value=D("9"))
    collection_round = CollectionRound.objects.create(
        title="Jahreswerte 2026",
        period=datetime.date(2026, 6, 30),
        deadline=datetime.date(2027, 1, 25),
        opened_by=users["coordinator"],
    )
    client = as_role("editor_own")
    url = reverse("evaluation:round_entry", args=[collection_round.pk, "hitzacker-elbe"])
    data = {f"value_{share.pk}": "150", f"value_{days.pk}": "900"}
    response = client.post(url, data)
    text = response.content.decode()
    assert "außerhalb des plausiblen Bereichs von 0 bis 100 %" in text
    assert "mehr als das Zehnfache" in text and f'name="confirm_{days.pk}"' in text
    assert not Measurement.objects.filter(indicator=share).exists()
    assert Measurement.objects.get(indicator=days).value == D("9")
    data = {
        f"value_{share.pk}": "50",
        f"value_{days.pk}": "900",
        f"confirm_{days.pk}": "on",
        f"note_{days.pk}": "Neue Zählweise: Stunden statt Tage",
    }
    assert client.post(url, data).status_code == 302
    assert Measurement.objects.get(indicator=days).value == D("900")
    assert MeasurementCorrection.objects.get(indicator=days).old_value == D("9")


def test_round_for_a_period_not_begun_refuses_values(as_role, measure, users):
    share = IndicatorFactory(measure=measure, name="Anteil online", unit="%")
    collection_round = CollectionRound.objects.create(
        title="Jahreswerte 2030",
        period=datetime.date(2030, 12, 31),
        deadline=datetime.date(2031, 1, 25),
        opened_by=users["coordinator"],
    )
    url = reverse("evaluation:round_entry", args=[collection_round.pk, "hitzacker-elbe"])
    text = as_role("editor_own").post(url, {f"value_{share.pk}": "50"}).content.decode()
    assert "2030 hat noch nicht begonnen" in text
    assert not Measurement.objects.exists()


# --- CSV import -------------------------------------------------------------------------------


def upload(client, content):
    return client.post(
        reverse("evaluation:import"),
        {"file": SimpleUploadedFile("m.csv", content.encode("utf-8"), content_type="text/csv")},
    )


def test_csv_refuses_future_periods_and_values_outside_the_range(as_role, percent):
    text = upload(
        as_role("editor_own"),
        "indikator_id;zeitraum;wert\n"
        f"{percent.pk};2030-Q1;40\n"
        f"{percent.pk};2026-Q1;-999,999\n"
        f"{percent.pk};2026-Q2;40\n",
    ).content.decode()
    assert '<th scope="row">2</th><td>Der Zeitraum Q1 2030 hat noch nicht begonnen' in text
    assert '<th scope="row">3</th><td>Der Wert -999,999 % liegt außerhalb' in text
    assert '<th scope="row">4</th>' not in text
    assert not Measurement.objects.exists()  # all or nothing


def test_csv_refuses_large_corrections_unless_confirmed_with_a_note(as_role, percent):
    MeasurementFactory(indicator=percent, period=datetime.date(2026, 1, 1), value=D("4"))
    client = as_role("editor_own")
    text = upload(client, f"indikator_id;zeitraum;wert\n{percent.pk};2026-Q1;45\n").content.decode()
    assert "mehr als das Zehnfache" in text and "Formular" in text and "„bestätigt“" in text
    assert Measurement.objects.get().value == D("4")
    text = upload(
        client, f"indikator_id;zeitraum;wert;bestätigt\n{percent.pk};2026-Q1;45;ja\n"
    ).content.decode()
    assert "mehr als das Zehnfache" in text  # confirmed but without a note
    assert Measurement.objects.get().value == D("4")
    response = upload(
        client,
        f"indikator_id;zeitraum;wert;notiz;bestätigt\n{percent.pk};2026-Q1;45;Tippfehler;ja\n",
    )
    assert response.status_code == 200
    assert Measurement.objects.get().value == D("45")
    assert MeasurementCorrection.objects.get().note == "Tippfehler"


# --- charts -----------------------------------------------------------------------------------


def test_charts_never_draw_periods_after_today(percent):
    early = MeasurementFactory(indicator=percent, period=datetime.date(2026, 1, 1), value=D("20"))
    late = Measurement(indicator=percent, period=datetime.date(2030, 1, 1), value=D("90"))
    svg = str(indicator_line_chart("c", percent, [early, late], today=TODAY))
    assert "Q1 2026" in svg and "Q1 2030" not in svg
