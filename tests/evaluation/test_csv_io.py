"""CSV export and import: round trip, all-or-nothing with line numbers, permissions."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import Measurement

from .factories import IndicatorFactory, MeasurementFactory


def upload(client, content):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(
        reverse("evaluation:import"),
        {"file": SimpleUploadedFile("messwerte.csv", data, content_type="text/csv")},
    )


@pytest.fixture
def indicators(measure):
    yearly = IndicatorFactory(measure=measure, name="Anteil online gestellter Anträge")
    quarterly = IndicatorFactory(
        measure=measure, name="Bearbeitungszeit in Tagen", frequency="quarterly", unit="Tage"
    )
    MeasurementFactory(indicator=yearly, period=datetime.date(2024, 1, 1), value=D("12.5"))
    MeasurementFactory(
        indicator=quarterly, period=datetime.date(2025, 4, 1), value=D("21"), note="Stichprobe"
    )
    return yearly, quarterly


def test_export_format(as_role, indicators):
    yearly, quarterly = indicators
    response = as_role("council").get(reverse("evaluation:export"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffindikator_id;indikator;massnahme;kommune;zeitraum;wert")
    lines = text.strip("\ufeff").strip().split("\r\n")
    assert lines[1] == (
        f"{yearly.pk};Anteil online gestellter Anträge;Online-Anträge im Bürgerbüro;"
        "Hitzacker (Elbe);2024-01-01;12,5;%;"
    )
    assert lines[2].endswith(";2025-04-01;21;Tage;Stichprobe")


def test_round_trip_changes_nothing(as_role, indicators):
    client = as_role("editor_own")
    exported = b"".join(client.get(reverse("evaluation:export")).streaming_content)
    before = list(Measurement.objects.values_list("indicator_id", "period", "value", "note"))
    response = upload(client, exported)
    assert response.status_code == 200
    assert "2 Messwerte importiert: 0 neu, 0 geändert, 2 unverändert" in response.content.decode()
    after = list(Measurement.objects.values_list("indicator_id", "period", "value", "note"))
    assert after == before


def test_import_creates_and_updates(as_role, indicators):
    yearly, quarterly = indicators
    content = (
        "indikator_id;zeitraum;wert;notiz\n"
        f"{yearly.pk};2025;18,75;Zählung Bürgerbüro\n"
        f"{quarterly.pk};2025-Q2;19;\n"
    )
    response = upload(as_role("editor_own"), content)
    assert "1 neu, 1 geändert" in response.content.decode()
    stored = Measurement.objects.get(indicator=yearly, period=datetime.date(2025, 1, 1))
    assert (stored.value, stored.origin, stored.note) == (
        D("18.75"),
        "import",
        "Zählung Bürgerbüro",
    )


def test_bad_rows_store_nothing_and_are_all_reported(as_role, indicators, other_measure):
    yearly, quarterly = indicators
    foreign = IndicatorFactory(measure=other_measure)
    content = (
        "indikator_id;zeitraum;wert;notiz\n"
        f"{yearly.pk};2026;30;gut\n"  # line 2: fine
        f"{yearly.pk};irgendwann;30;\n"  # 3
        f"{quarterly.pk};2026-Q1;viel;\n"  # 4
        f"{foreign.pk};2026;1;\n"  # 5: another body's indicator
        "999999;2026;1;\n"  # 6
        f"{yearly.pk};2026-06-30;31;\n"  # 7: same period as line 2
        f"{quarterly.pk};2026-Q2;;\n"  # 8
    )
    response = upload(as_role("editor_own"), content)
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert [line for line, _ in errors] == [3, 4, 5, 6, 7, 8]
    reasons = dict(errors)
    assert "Unbekanntes Zeitraum-Format" in reasons[3]
    assert "keine Zahl" in reasons[4]
    assert "dürfen ihn nicht pflegen" in reasons[5]
    assert "Zeile 2" in reasons[7]
    assert "Wert fehlt" in reasons[8]
    assert "es wurde nichts gespeichert" in response.content.decode()
    assert Measurement.objects.count() == 2  # only the two from the fixture


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("zeitraum;wert\n2025;1\n", "Es fehlen die Spalten: indikator_id"),
        (b"\xff\xfe\x00i", "nicht UTF-8"),
        ("indikator_id;zeitraum;wert\n", "keine Messwerte"),
    ],
)
def test_unusable_files(as_role, indicators, content, message):
    response = upload(as_role("editor_own"), content)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("council", 403), ("editor_other", 200), ("coordinator", 200)],
)
def test_import_permissions(as_role, role, status):
    assert as_role(role).get(reverse("evaluation:import")).status_code == status


def test_export_is_scoped_to_what_the_user_may_read(client, indicators):
    text = b"".join(client.get(reverse("evaluation:export")).streaming_content).decode()
    assert text.strip("\ufeff").strip().count("\r\n") == 0  # header only for the public


def test_line_numbers_count_physical_lines(as_role, indicators):
    yearly, _ = indicators
    content = (
        "indikator_id;zeitraum;wert;notiz\n"
        f'{yearly.pk};2026;1;"Notiz über\nzwei Zeilen"\n'
        f"{yearly.pk};2027;keine Zahl;\n"
    )
    response = upload(as_role("editor_own"), content)
    assert response.context["result"].errors == [(4, "„keine Zahl“ ist keine Zahl.")]


def test_unreadable_csv_is_reported(as_role, indicators):
    yearly, _ = indicators
    content = "indikator_id;zeitraum;wert\n" + f"{yearly.pk};2026;" + "1" * 200_000 + "\n"
    response = upload(as_role("editor_own"), content)
    assert response.status_code == 400
    assert "nicht lesbar" in response.content.decode()


def test_export_neutralises_spreadsheet_formulas_and_the_round_trip_keeps_them(as_role, measure):
    indicator = IndicatorFactory(measure=measure, name='=HYPERLINK("http://x","y")', unit="@SUM")
    MeasurementFactory(
        indicator=indicator, period=datetime.date(2024, 1, 1), value=D("-3"), note="+cmd"
    )
    client = as_role("editor_own")
    text = b"".join(client.get(reverse("evaluation:export")).streaming_content).decode("utf-8-sig")
    row = text.splitlines()[1].split(";")
    assert row[1] == '"\'=HYPERLINK(""http://x"",""y"")"'
    assert (row[5], row[6], row[7]) == ("-3", "'@SUM", "'+cmd")  # numbers stay numbers
    assert upload(client, text).status_code == 200
    assert Measurement.objects.get(indicator=indicator).note == "+cmd"


def test_public_export_shows_published_titles_and_no_notes(client, indicators, measure):
    from tests.factories import publish_now

    measure.title = "Veröffentlichter Titel"
    measure.save()
    measure = publish_now(measure)
    measure.title = "Noch nicht geprüfter neuer Titel"
    measure.save()
    text = b"".join(client.get(reverse("evaluation:export")).streaming_content).decode("utf-8-sig")
    assert "Veröffentlichter Titel" in text
    assert "Noch nicht geprüfter" not in text
    assert "Stichprobe" not in text


def test_windows_1252_file_from_excel_is_read_and_explained(as_role, indicators):
    """Excel's "CSV (Trennzeichen-getrennt)" writes Windows-1252 (issue 8 §9)."""
    yearly, _ = indicators
    content = f"indikator_id;zeitraum;wert;notiz\r\n{yearly.pk};2025;18,75;Zählung Bürgerbüro\r\n"
    response = upload(as_role("editor_own"), content.encode("cp1252"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 neu" in page
    assert "Windows-1252" in page and "CSV UTF-8" in page
    stored = Measurement.objects.get(indicator=yearly, period=datetime.date(2025, 1, 1))
    assert stored.note == "Zählung Bürgerbüro"
