"""manage.py export_measures / import_measures: same rules as the browser, exit status."""

import pytest
from django.core.management import call_command, load_command_class

from measures.exchange.sheets import MEASURES_SHEET
from measures.models import Measure
from tests.factories import MeasureFactory, PartnershipFactory

from .exchange_helpers import append_row, csv_rows, save, set_cell, workbook


@pytest.fixture
def measures(district):
    own = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitaler Bauantrag")
    PartnershipFactory(measure=own, municipality=district["gartow"])
    foreign = MeasureFactory(lead_municipality=district["gorleben"], title="Glasfaser Gorleben")
    return {"own": own, "foreign": foreign}


@pytest.fixture
def run(monkeypatch):
    """Run a command as manage.py does; returns its exit status."""
    from django.core.management import base

    # run_from_argv closes the database connections at the end: not the test's.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    def run_command(*argv):
        command = load_command_class("measures", argv[0])
        try:
            command.run_from_argv(["manage.py", *argv])
        except SystemExit as exit_:
            return exit_.code
        return 0

    return run_command


def test_export_and_import_unchanged_in_both_formats(measures, users, tmp_path, capsys, run):
    xlsx = tmp_path / "plan.xlsx"
    assert run("export_measures", str(xlsx)) == 0
    assert run("import_measures", str(xlsx), "--user", "koordination") == 0
    assert "0 Maßnahmen wurden angelegt, 0 geändert, 2 unverändert." in capsys.readouterr().out
    csv = tmp_path / "plan.csv"
    assert run("export_measures", str(csv)) == 0
    assert (tmp_path / "plan_beteiligte.csv").is_file()
    assert run("import_measures", str(csv), "--user", "hitzacker") == 0
    assert "0 geändert, 2 unverändert" in capsys.readouterr().out


def test_export_for_a_user_and_a_body(measures, users, tmp_path, run):
    csv = tmp_path / "public.csv"
    call_command("export_measures", str(csv), user="anonymous")
    headers, rows = csv_rows(csv.read_bytes())
    assert rows == [] and "Ansprechperson" not in headers  # nothing published yet
    call_command("export_measures", str(csv), user="kreistag", kommune="gorleben")
    headers, rows = csv_rows(csv.read_bytes())
    assert [r[headers.index("Titel")] for r in rows] == ["Glasfaser Gorleben"]
    assert run("export_measures", str(tmp_path / "plan.ods")) == 1
    assert run("export_measures", str(csv), "--user", "niemand") == 1


def test_dry_run_stores_nothing_and_apply_stores(measures, users, tmp_path, capsys, run):
    xlsx = tmp_path / "plan.xlsx"
    call_command("export_measures", str(xlsx), user="hitzacker", kommune="hitzacker-elbe")
    book = workbook(xlsx.read_bytes())
    set_cell(book[MEASURES_SHEET], 2, "Titel", "Bauantrag online")
    xlsx.write_bytes(save(book))
    assert run("import_measures", str(xlsx), "--user", "hitzacker", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Probelauf, nichts gespeichert: 0 Maßnahmen werden angelegt, 1 geändert" in out
    assert "Titel: Digitaler Bauantrag -> Bauantrag online" in out
    assert Measure.objects.get(pk=measures["own"].pk).title == "Digitaler Bauantrag"
    assert run("import_measures", str(xlsx), "--user", "hitzacker") == 0
    changed = Measure.objects.get(pk=measures["own"].pk)
    assert changed.title == "Bauantrag online"
    assert changed.history.first().history_user == users["editor_own"]


def test_refused_file_exits_non_zero_and_stores_nothing(measures, users, tmp_path, capsys, run):
    xlsx = tmp_path / "plan.xlsx"
    call_command("export_measures", str(xlsx))
    book = workbook(xlsx.read_bytes())
    sheet = book[MEASURES_SHEET]
    set_cell(sheet, 2, "Titel", "Gute Änderung")
    append_row(sheet, {"Titel": "Ohne Kurzbeschreibung", "Handlungsfeld": "1"})
    xlsx.write_bytes(save(book))
    count, history = Measure.objects.count(), Measure.history.count()
    assert run("import_measures", str(xlsx), "--user", "hitzacker") == 1
    err = capsys.readouterr().err
    assert "Maßnahmen, Zeile 4, Spalte D (Kurzbeschreibung)" in err
    assert "es wurde nichts gespeichert" in err
    assert (Measure.objects.count(), Measure.history.count()) == (count, history)
    assert not Measure.objects.filter(title="Gute Änderung").exists()
    # An unreadable file, an unknown user and the council (no import) are refused, too.
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"kein zip")
    assert run("import_measures", str(broken), "--user", "hitzacker") == 1
    assert run("import_measures", str(xlsx), "--user", "niemand") == 1
    assert run("import_measures", str(xlsx), "--user", "kreistag") == 1
    assert run("import_measures", str(tmp_path / "fehlt.xlsx"), "--user", "hitzacker") == 1
    assert Measure.history.count() == history


def test_the_zip_of_csv_files_carries_the_cost_plan_both_ways(
    measures, users, tmp_path, capsys, run
):
    import io
    import zipfile
    from decimal import Decimal

    from measures.models import CostPlanYear

    CostPlanYear.objects.create(
        measure=measures["own"], year=2027, investment_planned=Decimal("1000")
    )
    archive = tmp_path / "plan.zip"
    assert run("export_measures", str(archive)) == 0
    assert run("import_measures", str(archive), "--user", "hitzacker") == 0
    assert "0 geändert, 2 unverändert" in capsys.readouterr().out
    with zipfile.ZipFile(archive) as files:
        members = {n: files.read(n).decode("utf-8-sig") for n in files.namelist()}
    members["plan_kostenplan.csv"] = members["plan_kostenplan.csv"].replace(
        "2027;1000,00;", "2027;1200,00;"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as files:
        for name, text in members.items():
            files.writestr(name, text.encode("utf-8"))
    archive.write_bytes(buffer.getvalue())
    assert run("import_measures", str(archive), "--user", "hitzacker") == 0
    out = capsys.readouterr().out
    assert "Kostenplan 2027: Investition geplant (EUR): 1.000,00 -> 1.200,00" in out
    row = measures["own"].cost_plan.get()
    assert row.investment_planned == Decimal("1200.00")
    # No request names the user on the command line: the import does.
    assert row.history.first().history_user == users["editor_own"]
