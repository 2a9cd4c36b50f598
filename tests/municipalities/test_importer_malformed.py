"""Malformed GV-ISys files and seats files are refused naming the line; never a traceback.

Run on PostgreSQL too: NUL bytes and out-of-range numbers only fail there at the database.
"""

import pytest
from django.core.management import CommandError
from django.db import transaction

from municipalities.importer import ImportRefused, import_file
from municipalities.models import Municipality

from .test_importer import GV_CSV, SEATS, run_import, write_variant

GORLEBEN = "60,64,03,3,54,5403,007,Gorleben, 21.35,  602,  301,  301,  28,29475,"
GORLEBEN_COORDS = '"11,356745","53,048304"'
LONG_NAME = "G" * 100_000


def gorleben(name="Gorleben", area=" 21.35", population="  602", lon="11,356745", lat="53,048304"):
    return (
        f'60,64,03,3,54,5403,007,"{name}",{area},{population},  301,  301,  28,29475,'
        f'"{lon}","{lat}"'
    )


GORLEBEN_LINE = GORLEBEN + GORLEBEN_COORDS

# (id, replacement of Gorleben's line (line 6), expected part of the message)
MALFORMED_GORLEBEN = [
    ("nul-in-name", gorleben(name="Gor\x00leben"), "Zeile 6: Der Gemeindename „Gor"),
    ("long-name", gorleben(name=LONG_NAME), "Zeile 6: Der Gemeindename ist länger als 200"),
    ("superscript-population", gorleben(population="6²"), "Zeile 6: Bevölkerung „6²“"),
    ("arabic-digits", gorleben(population="٦٠٢"), "Zeile 6: Bevölkerung"),
    ("huge-population", gorleben(population="99999999999"), "Zeile 6: Bevölkerung „99999999999“"),
    ("huge-population-100k", gorleben(population="9" * 100_000), "Zeile 6: Bevölkerung"),
    ("negative-population", gorleben(population="-5"), "Zeile 6: Bevölkerung „-5“"),
    ("nul-population", gorleben(population="60\x002"), "Zeile 6: Bevölkerung"),
    ("area-nan", gorleben(area="NaN"), "Zeile 6: Fläche „NaN“"),
    ("area-infinity", gorleben(area="Infinity"), "Zeile 6: Fläche „Infinity“"),
    ("area-1e999", gorleben(area="1e999"), "Zeile 6: Fläche „1e999“"),
    ("area-too-large", gorleben(area="123456789012"), "Zeile 6: Fläche „123456789012“"),
    ("latitude-nan", gorleben(lat="NaN"), "Zeile 6: Breitengrad „NaN“"),
    ("latitude-infinity", gorleben(lat="-Infinity"), "Zeile 6: Breitengrad „-Infinity“"),
    ("latitude-1e999", gorleben(lat="1e999"), "Zeile 6: Breitengrad „1e999“"),
    ("latitude-out-of-range", gorleben(lat="153,0"), "Zeile 6: Breitengrad „153,0“"),
    ("longitude-nan", gorleben(lon="nan"), "Zeile 6: Längengrad „nan“"),
    ("longitude-out-of-range", gorleben(lon="1811,3"), "Zeile 6: Längengrad „1811,3“"),
]


def _assert_refused(path, expected, seats=None):
    with pytest.raises(CommandError) as excinfo:
        run_import(path, seats=seats)
    message = str(excinfo.value)
    assert expected in message
    assert "nichts gespeichert" in message
    assert len(message) < 2000, "the message must not repeat a huge value"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "expected"),
    [case[1:] for case in MALFORMED_GORLEBEN],
    ids=[case[0] for case in MALFORMED_GORLEBEN],
)
def test_malformed_value_is_refused_on_a_fresh_import(tmp_path, line, expected):
    path = write_variant(tmp_path, {GORLEBEN_LINE: line})
    _assert_refused(path, expected)
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "expected"),
    [case[1:] for case in MALFORMED_GORLEBEN],
    ids=[case[0] for case in MALFORMED_GORLEBEN],
)
def test_malformed_value_is_refused_when_updating(tmp_path, line, expected):
    run_import()
    before = list(Municipality.objects.order_by("pk").values())
    path = write_variant(tmp_path, {GORLEBEN_LINE: line})
    _assert_refused(path, expected)
    assert list(Municipality.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_nul_byte_in_an_association_name_is_refused(tmp_path):
    line = "50,52,03,3,54,5403,,Gartow,"
    path = write_variant(tmp_path, {line: line.replace("Gartow", "Gar\x00tow")})
    _assert_refused(path, "Zeile 4: Der Gemeindename")
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
def test_extra_decimals_are_rounded_not_a_crash(tmp_path):
    path = write_variant(tmp_path, {GORLEBEN_LINE: gorleben(area="21.3549", lat="53,0483045")})
    run_import(path)
    gorleben_row = Municipality.objects.get(ags="03354007")
    assert str(gorleben_row.area_km2) == "21.35"
    assert str(gorleben_row.latitude) == "53.048305"


def _seats(tmp_path, content):
    path = tmp_path / "sitze.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("ars,name\n033545403,Gartow\n", "Zeile 1: Es fehlen die Spalten seat_ags"),
        (b"ars,seat_ags\n033545403,0335400\xff\n", "nicht UTF-8-kodiert"),
        ("ars,seat_ags\n033545403\n", "Zeile 2: Die Anzahl der Spalten"),
        ("ars,seat_ags\n033545403,03354005\n0335454\x0006,03354004\n", "Zeile 3: ARS des Verbands"),
        ("ars,seat_ags\n033545403," + "9" * 100_000 + "\n", "Zeile 2: AGS des Sitzes"),
    ],
    ids=["missing-column", "invalid-utf8", "short-row", "nul-byte", "huge-value"],
)
def test_malformed_seats_file_is_refused(tmp_path, content, expected):
    _assert_refused(GV_CSV, expected, seats=_seats(tmp_path, content))
    assert Municipality.objects.count() == 0


# --- No traceback for any malformed input: every bad value in every column ----------------

BAD_VALUES = [
    "",
    "\x00",
    "x" * 100_000,
    "9" * 30,
    "-1",
    "6²",
    "NaN",
    "Infinity",
    "1e999",
    "\ufffd\ufffd",
    "0",
    " ",
]
COLUMNS = [
    "satzart",
    "textkennzeichen",
    "land",
    "rb",
    "kreis",
    "vb",
    "gemeinde",
    "gemeindename",
    "flaeche",
    "bevoelkerung",
    "postleitzahl",
    "laengengrad",
    "breitengrad",
]


def _csv_with(tmp_path, row_index, column, value):
    import csv
    import io

    text = GV_CSV.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    position = rows[0].index(column)
    rows[row_index][position] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path = tmp_path / f"gv-{row_index}-{column}.csv"
    path.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("row_index", [3, 5], ids=["samtgemeinde-line", "gemeinde-line"])
def test_no_bad_value_in_any_column_ends_in_a_traceback(tmp_path, row_index):
    run_import()
    before = list(Municipality.objects.order_by("pk").values())
    for column in COLUMNS:
        for value in BAD_VALUES:
            path = _csv_with(tmp_path, row_index, column, value)
            try:
                with transaction.atomic():
                    import_file(path, SEATS)
                    transaction.set_rollback(True)  # accepted: undo for the next case
            except ImportRefused as refusal:
                assert refusal.errors, (column, value)
                assert all(len(e) < 500 for e in refusal.errors), (column, value[:20])
            assert list(Municipality.objects.order_by("pk").values()) == before, (column, value)
