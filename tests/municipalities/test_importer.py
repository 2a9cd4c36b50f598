from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from municipalities.importer import ImportRefused, parse
from municipalities.models import Municipality, MunicipalityKind

DATA = Path(__file__).resolve().parents[2] / "municipalities" / "data"
GV_CSV = DATA / "destatis_gv_auszug_q4_luechow-dannenberg_raw.csv"
SEATS = DATA / "samtgemeinde_sitze.csv"


def run_import(path=GV_CSV, seats=SEATS):
    call_command("import_municipalities", str(path), seats=str(seats) if seats else None)


def write_variant(tmp_path, replace=None, append=""):
    text = GV_CSV.read_text(encoding="utf-8-sig")
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "gv.csv"
    path.write_text("\ufeff" + text + append, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_imports_the_real_district():
    run_import()
    assert Municipality.objects.count() == 31
    kinds = {k: Municipality.objects.filter(kind=k).count() for k in MunicipalityKind.values}
    assert kinds[MunicipalityKind.DISTRICT] == 1
    assert kinds[MunicipalityKind.SAMTGEMEINDE] == 3
    gemeinden = Municipality.objects.filter(parent__kind=MunicipalityKind.SAMTGEMEINDE)
    assert gemeinden.count() == 27
    assert kinds[MunicipalityKind.TOWN] == 5
    assert kinds[MunicipalityKind.FLECKEN] == 3

    district = Municipality.objects.get(kind=MunicipalityKind.DISTRICT)
    assert (district.name, district.ags, district.ars) == ("Lüchow-Dannenberg", "03354000", "03354")
    assert district.population == 48412
    # The district's area includes the two uninhabited gemeindefreie Gebiete.
    assert district.area_km2 == Decimal("1227.35")

    hitzacker = Municipality.objects.get(ags="03354009")
    assert hitzacker.name == "Hitzacker (Elbe)"
    assert hitzacker.official_name == "Hitzacker (Elbe), Stadt"
    assert hitzacker.kind == MunicipalityKind.TOWN
    assert hitzacker.ars == "033545406009"
    assert hitzacker.population == 4936
    assert hitzacker.postal_code == "29456"
    assert hitzacker.latitude == Decimal("53.151971")
    assert hitzacker.parent.name == "Elbtalaue"

    elbtalaue = Municipality.objects.get(ars="033545406")
    assert elbtalaue.ags is None
    assert elbtalaue.population == 20692
    assert elbtalaue.seat.name == "Dannenberg (Elbe)"
    assert Municipality.objects.get(ars="033545403").seat.name == "Gartow"
    # gemeindefreie Gebiete have no administration and are not imported.
    assert not Municipality.objects.filter(name__contains="gemfr").exists()


@pytest.mark.django_db
def test_import_is_idempotent(capsys):
    run_import()
    before = list(Municipality.objects.order_by("pk").values())
    run_import()
    after = list(Municipality.objects.order_by("pk").values())
    assert before == after
    assert "0 neu, 0 aktualisiert, 31 unverändert" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_updates_names_and_population_in_place(tmp_path):
    run_import()
    pk = Municipality.objects.get(ags="03354009").pk
    path = write_variant(
        tmp_path,
        {'"Hitzacker (Elbe), Stadt", 58.67, 4 936': '"Hitzacker (Elbe), Stadt", 58.67, 5 001'},
    )
    run_import(path)
    hitzacker = Municipality.objects.get(ags="03354009")
    assert hitzacker.pk == pk
    assert hitzacker.population == 5001
    assert Municipality.objects.get(ars="033545406").population == 20692 + 65
    assert Municipality.objects.count() == 31


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        ({",Gorleben, 21.35,  602,": ",Gorleben, 21.35,  6x2,"}, "Zeile 6: Bevölkerung „6x2“"),
        ({"60,64,03,3,54,5403,007": "60,64,03,3,54,5403,07"}, "Zeile 6: Gemeinde „07“"),
        ({"60,64,03,3,54,5406,003": "70,64,03,3,54,5406,003"}, "Zeile 11: Unbekannte Satzart"),
        ({'"11,175827"': '"elf"'}, "Zeile 11: Längengrad „elf“"),
    ],
)
def test_malformed_file_is_refused_naming_the_line_and_loads_nothing(tmp_path, replace, expected):
    path = write_variant(tmp_path, replace)
    with pytest.raises(CommandError) as excinfo:
        run_import(path)
    assert expected in str(excinfo.value)
    assert "nichts gespeichert" in str(excinfo.value)
    assert Municipality.objects.count() == 0


@pytest.mark.django_db
def test_refused_file_leaves_existing_data_untouched(tmp_path):
    run_import()
    path = write_variant(tmp_path, {"Gorleben, 21.35,  602": "Gorleben, 21.35,  zwei"})
    with pytest.raises(CommandError):
        run_import(path)
    assert Municipality.objects.get(ags="03354007").population == 602


def test_reports_every_bad_line(tmp_path):
    path = write_variant(
        tmp_path,
        {
            ",Gorleben, 21.35,  602,": ",Gorleben, 21.35,  6x2,",
            ",Höhbeck, 19.49,  647,": ",Höhbeck, 19.49,  6y7,",
        },
    )
    with pytest.raises(ImportRefused) as excinfo:
        parse(path)
    assert [e.split(":")[0] for e in excinfo.value.errors] == ["Zeile 6", "Zeile 7"]


def test_refuses_a_file_that_is_not_a_gv_extract(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("name,wert\nA,1\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as excinfo:
        parse(path)
    assert "Zeile 1: Es fehlen die Spalten satzart" in excinfo.value.errors[0]


def test_refuses_a_file_with_a_short_row(tmp_path):
    path = write_variant(tmp_path, append="60,64,03,3,54\n")
    with pytest.raises(ImportRefused) as excinfo:
        parse(path)
    assert "Spalten" in excinfo.value.errors[0]
    assert excinfo.value.errors[0].startswith("Zeile ")


def test_refuses_a_file_in_another_encoding(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(GV_CSV.read_text(encoding="utf-8-sig").encode("latin-1"))
    with pytest.raises(ImportRefused) as excinfo:
        parse(path)
    assert "UTF-8" in excinfo.value.errors[0]


@pytest.mark.django_db
def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="kann nicht gelesen werden"):
        run_import(tmp_path / "fehlt.csv")


@pytest.mark.django_db
def test_names_in_choice_lists_are_unambiguous():
    run_import()
    labels = [str(m) for m in Municipality.objects.all()]
    assert len(labels) == len(set(labels))
    assert "Samtgemeinde Gartow" in labels and "Gartow (Flecken)" in labels
    assert "Samtgemeinde Lüchow (Wendland)" in labels and "Lüchow (Wendland), Stadt" in labels
    assert "Landkreis Lüchow-Dannenberg" in labels
    assert "Hitzacker (Elbe)" in labels  # no kind where the name is unambiguous anyway
