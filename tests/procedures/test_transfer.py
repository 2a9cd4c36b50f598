"""Import and export of the register: round trip, idempotence, all-or-nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from procedures import transfer
from procedures.models import ProcedureEntry
from procedures.tabular import TableRefused

HEADER = ";".join(transfer.COLUMNS)
GEWERBE_KEY = "99050012104000"


def _snapshot():
    return [
        (
            e.municipality_id,
            e.category_id,
            e.product,
            *(getattr(e, name) for name in transfer.FIELDS),
            e.updated_at,
            tuple(sorted(s.pk for s in e.services.all())),
        )
        for e in ProcedureEntry.objects.prefetch_related("services").order_by("pk")
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_round_trip_changes_nothing(entry, file_format):
    before = _snapshot()
    result = transfer.import_bytes(transfer.export_bytes(file_format), f"x.{file_format}")
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert _snapshot() == before


def test_export_has_one_row_per_body_and_procedure(entry):
    text = transfer.export_bytes("csv").decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0] == HEADER
    assert len(lines) == 2
    assert lines[1].startswith("033545406009;Hitzacker (Elbe);Ratsinformationssystem;ALLRIS;")
    assert ";4321,50;" in lines[1] and ";2027-06-30;" in lines[1] and "99050012104000" in lines[1]
    workbook = load_workbook(io.BytesIO(transfer.export_bytes("xlsx")))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == transfer.COLUMNS and len(rows) == 2


def _csv(*rows):
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _row(ars="033545406009", category="Finanzwesen", product="H&H proDoppik", **cells):
    values = dict.fromkeys(transfer.COLUMNS, "")
    values.update({"ARS": ars, "Kategorie": category, "Produkt": product})
    values["Betrieb"] = "eigener Betrieb vor Ort"
    values.update(cells)
    return ";".join(values[c] for c in transfer.COLUMNS)


def test_import_creates_then_is_idempotent(district, categories, catalogue):
    data = _csv(
        _row(**{"Jahreskosten (EUR)": "12.500,00", "Vertragsende": "31.12.2027"}),
        _row(
            ars="033545406",
            category="einwohnerwesen",
            product="OK.EWO",
            Betrieb="IT-Dienstleister",
            **{"IT-Dienstleister": "KDO", "LeiKa-Schlüssel": "99008001012000"},
        ),
    )
    first = transfer.import_bytes(data, "a.csv")
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    entry = ProcedureEntry.objects.get(product="H&H proDoppik")
    assert str(entry.annual_cost) == "12500.00" and entry.contract_end.year == 2027
    assert ProcedureEntry.objects.get(product="OK.EWO").services.count() == 1
    before = _snapshot()
    second = transfer.import_bytes(data, "a.csv")
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert _snapshot() == before


def test_import_updates_a_changed_row(entry):
    row = _row(
        category="Ratsinformationssystem", product="ALLRIS", Betrieb="SaaS", Zufriedenheit="2"
    )
    result = transfer.import_bytes(_csv(row), "a.csv")
    assert result.updated == 1
    entry.refresh_from_db()
    assert entry.satisfaction == 2 and entry.services.count() == 0


def test_malformed_file_is_refused_whole_naming_every_bad_line(district, categories, catalogue):
    data = _csv(
        _row(product="gut"),
        _row(ars="99999"),
        _row(category="Zauberei"),
        _row(product="zwei", **{"Vertragsende": "morgen", "Zufriedenheit": "7"}),
        _row(product="gut"),
        _row(product="drei", **{"LeiKa-Schlüssel": "12345678901234"}),
        _row(product="vier", Betrieb="IT-Dienstleister"),
    )
    with pytest.raises(TableRefused) as caught:
        transfer.import_bytes(data, "a.csv")
    errors = caught.value.errors
    assert [e.split(":")[0] for e in errors] == [
        "Zeile 3",
        "Zeile 4",
        "Zeile 5",
        "Zeile 6",
        "Zeile 7",
        "Zeile 8",
    ]
    assert "ARS „99999“" in errors[0]
    assert "Kategorie „Zauberei“" in errors[1]
    assert "Vertragsende" in errors[2] and "Zufriedenheit" in errors[2]
    assert "schon in Zeile 2" in errors[3]
    assert "12345678901234" in errors[4]
    assert "kein IT-Dienstleister" in errors[5]
    assert not ProcedureEntry.objects.exists()


def test_missing_columns_and_garbage_are_refused(district, categories):
    with pytest.raises(TableRefused, match="Kategorie"):
        transfer.import_bytes(b"ARS;Produkt\n033545406009;X\n", "a.csv")
    with pytest.raises(TableRefused, match="XLSX"):
        transfer.import_bytes(b"PK\x03\x04kaputt", "a.xlsx")
    with pytest.raises(TableRefused, match="leer"):
        transfer.import_bytes(b"", "a.csv")


def test_commands_round_trip(entry, tmp_path):
    before = _snapshot()
    for name in ("register.csv", "register.xlsx"):
        path = tmp_path / name
        call_command("export_procedures", str(path))
        out = io.StringIO()
        call_command("import_procedures", str(path), stdout=out)
        assert "0 neu, 0 geändert, 1 unverändert" in out.getvalue()
    assert _snapshot() == before


def test_import_command_refuses_naming_lines(district, categories, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv(_row(ars="1")))
    with pytest.raises(CommandError, match="Zeile 2"):
        call_command("import_procedures", str(path))
    with pytest.raises(CommandError, match="nicht lesbar"):
        call_command("import_procedures", str(tmp_path / "fehlt.csv"))


def test_browser_import_and_export(as_role, entry):
    client = as_role("coordinator")
    response = client.get(reverse("procedures:export"))
    assert response["Content-Type"].startswith("text/csv")
    exported = response.content
    xlsx = client.get(reverse("procedures:export") + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"
    upload = io.BytesIO(exported)
    upload.name = "register.csv"
    response = client.post(reverse("procedures:import"), {"file": upload}, follow=True)
    assert "0 neu, 0 geändert, 1 unverändert" in response.content.decode()


def test_browser_import_shows_every_bad_line(as_role, entry):
    upload = io.BytesIO(_csv(_row(ars="1"), _row(category="X")))
    upload.name = "bad.csv"
    response = as_role("coordinator").post(reverse("procedures:import"), {"file": upload})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Zeile 2" in content and "Zeile 3" in content
    assert "es wurde nichts gespeichert" in content
    assert ProcedureEntry.objects.count() == 1


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_typed_text_never_becomes_a_formula_and_survives_the_round_trip(entry, file_format):
    entry.remarks = '=HYPERLINK("http://example.org")'
    entry.save()
    data = transfer.export_bytes(file_format)
    if file_format == "csv":
        assert ";\"'=HYPERLINK" in data.decode("utf-8-sig")
    else:
        cell = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))[1][-1]
        assert cell.startswith("'=")
    assert transfer.import_bytes(data, f"x.{file_format}").unchanged == 1
    entry.refresh_from_db()
    assert entry.remarks.startswith("=HYPERLINK")


def test_xlsx_typed_by_hand_with_numbers_and_dates(district, categories):
    import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(transfer.COLUMNS)
    row = dict.fromkeys(transfer.COLUMNS, None)
    row.update(
        {
            "ARS": 33545406009,  # Excel dropped the leading zero
            "Kategorie": "Finanzwesen",
            "Produkt": "H&H proDoppik",
            "Betrieb": "eigener Betrieb vor Ort",
            "Vertragsende": datetime.datetime(2027, 12, 31),
            "Kündigungsfrist (Monate)": 6.0,
            "Jahreskosten (EUR)": 1234.5,
        }
    )
    sheet.append([row[c] for c in transfer.COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert transfer.import_bytes(buffer.getvalue(), "hand.xlsx").created == 1
    entry = ProcedureEntry.objects.get()
    assert entry.municipality == district["hitzacker"]
    assert entry.contract_end == datetime.date(2027, 12, 31) and entry.notice_period_months == 6
    assert str(entry.annual_cost) == "1234.50"


def test_import_works_in_bulk_whatever_the_number_of_rows(entry):
    """A 5,000-row register file held the request for minutes with four queries per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for count, offset in ((20, 0), (400, 1000)):
        rows = [
            _row(product=f"Verfahren {offset + i}", **{"LeiKa-Schlüssel": GEWERBE_KEY})
            for i in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            result = transfer.import_bytes(_csv(*rows), "x.csv")
        assert result.created == count
        counts.append(len(queries))
    # Only the database's batch size (SQLite: 999 parameters a statement) adds queries.
    assert counts[1] - counts[0] <= 380 // 20, counts
    assert ProcedureEntry.objects.filter(services__leika_key=GEWERBE_KEY).count() == 421
