"""The exchange carries the cost plan and the funding both ways: sheets "Kostenplan" and
"Förderung" of the workbook, the files of the CSV zip archive."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from measures.exchange.csv_format import write_zip
from measures.exchange.importer import apply_import, plan_import, read_upload
from measures.exchange.sheets import COSTS_SHEET, FUNDING_SHEET, Lookups, build_export
from measures.models import (
    CostPlanYear,
    FundingEntry,
    FundingProgramme,
    FundingState,
    Measure,
    ReviewState,
)
from measures.review import measure_snapshot, transition_to
from tests.factories import MeasureFactory

from .exchange_helpers import (
    append_row,
    error_texts,
    export_xlsx,
    save,
    set_cell,
    workbook,
)

INVEST = "Investition geplant (EUR)"
INVEST_ACTUAL = "Investition Ist (EUR)"
YEAR = "Haushaltsjahr"


def plan_file(raw, user, name="massnahmen.xlsx", apply=False):
    upload = read_upload(name, raw)
    run = apply_import if apply else plan_import
    plan = run(user=user, **upload.plan_tables())
    plan.notices = upload.notices + plan.notices
    return plan


def export_zip(measures=None, public=False):
    measures = Measure.objects.all() if measures is None else measures
    lookups = Lookups()
    return write_zip(build_export(measures, public=public, lookups=lookups), "massnahmen")


def zip_members(raw):
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def make_zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, ("\ufeff" + text).encode("utf-8"))
    return buffer.getvalue()


@pytest.fixture
def leader(db):
    return FundingProgramme.objects.get(name="LEADER (ELER)")


@pytest.fixture
def measure(district, leader):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitale Bauakte")
    CostPlanYear.objects.create(
        measure=measure,
        year=2027,
        investment_planned=Decimal("20000.00"),
        running_planned=Decimal("1200.50"),
        staff_fte_planned=Decimal("0.25"),
    )
    CostPlanYear.objects.create(
        measure=measure, year=2028, running_planned=Decimal("1500.00"), follow_up_planned=None
    )
    FundingEntry.objects.create(
        measure=measure,
        programme=leader,
        year=2027,
        rate_percent=Decimal("50.00"),
        amount=Decimal("10000.00"),
        state=FundingState.APPROVED,
        decided_on=datetime.date(2027, 2, 1),
        proof_due=datetime.date(2028, 6, 30),
    )
    Measure.objects.filter(pk=measure.pk).update(budget_planned=Decimal("22700.50"))
    return Measure.objects.get(pk=measure.pk)


def accept(measure, users):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    measure.refresh_from_db()
    return measure


def headers(sheet):
    return [c.value for c in sheet[1]]


def cost_line(sheet, year):
    column = headers(sheet).index(YEAR) + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=column).value == year:
            return row
    raise KeyError(year)


def plan_values(measure):
    return {
        row.year: (row.investment_planned, row.investment_actual, row.running_planned)
        for row in measure.cost_plan.all()
    }


# --- export ----------------------------------------------------------------------------------


def test_the_workbook_has_the_plan_and_the_funding(measure):
    book = workbook(export_xlsx())
    costs, funding = book[COSTS_SHEET], book[FUNDING_SHEET]
    assert headers(costs)[:3] == ["Maßnahme-ID", "Maßnahme (Titel)", YEAR]
    assert INVEST in headers(costs) and "Personal geplant (VZÄ)" in headers(costs)
    row = {h: c.value for h, c in zip(headers(costs), costs[2], strict=True)}
    assert row["Maßnahme-ID"] == measure.pk and row[YEAR] == 2027
    assert row[INVEST] == 20000 and row["Personal geplant (VZÄ)"] == 0.25
    assert costs.max_row == 3
    entry = {h: c.value for h, c in zip(headers(funding), funding[2], strict=True)}
    assert entry["Förderprogramm"] == "LEADER (ELER)" and entry["Stand"] == "bewilligt"
    assert entry["Betrag (EUR)"] == 10000 and entry["Förderquote in %"] == 50
    assert entry["Verwendungsnachweis fällig am"].date() == datetime.date(2028, 6, 30)


def test_the_public_export_carries_the_published_plan_without_internal_dates(measure):
    published = measure_snapshot(Measure.objects.with_related().with_money().get(pk=measure.pk))
    Measure.objects.filter(pk=measure.pk).update(
        public_snapshot=published, public_since=timezone.now()
    )
    CostPlanYear.objects.filter(measure=measure, year=2027).update(investment_planned=1)
    book = workbook(export_xlsx(public=True))
    costs, funding = book[COSTS_SHEET], book[FUNDING_SHEET]
    assert costs.cell(row=2, column=headers(costs).index(INVEST) + 1).value == 20000
    assert "entschieden am" not in headers(funding)
    assert funding.cell(row=2, column=headers(funding).index("Stand") + 1).value == "bewilligt"


def test_a_text_that_looks_like_a_formula_is_written_as_text(measure, users):
    FundingProgramme.objects.create(name="=SUMME(A1)")
    FundingEntry.objects.create(
        measure=measure,
        programme=FundingProgramme.objects.get(name="=SUMME(A1)"),
        year=2028,
        amount=Decimal("1"),
    )
    raw = export_xlsx()
    cell = workbook(raw)[FUNDING_SHEET]["C3"]
    assert cell.value == "=SUMME(A1)" and cell.data_type == "s" and cell.quotePrefix
    members = zip_members(export_zip())
    assert "'=SUMME(A1)" in members["massnahmen_foerderung.csv"]
    # And it travels back unchanged.
    assert plan_file(raw, users["editor_own"]).unchanged == 1


# --- round trip ------------------------------------------------------------------------------


def test_xlsx_round_trip_unchanged_then_exactly_the_changed_year(measure, users):
    measure = accept(measure, users)
    version = measure.version
    raw = export_xlsx()
    plan = plan_file(raw, users["editor_own"])
    assert plan.errors == [] and plan.unchanged == 1 and not plan.has_changes
    applied = plan_file(raw, users["editor_own"], apply=True)
    assert applied.errors == [] and applied.unchanged == 1
    assert Measure.objects.get(pk=measure.pk).version == version

    book = workbook(raw)
    costs = book[COSTS_SHEET]
    set_cell(costs, cost_line(costs, 2028), INVEST, 5000)
    plan = plan_file(save(book), users["editor_own"])
    assert plan.errors == [], error_texts(plan)
    assert plan.changed == 1 and plan.back_to_review == 1
    [change] = plan.changed_rows[0].changes
    assert (change.header, change.old, change.new) == (
        f"Kostenplan 2028: {INVEST}",
        "–",
        "5.000,00",
    )
    assert plan_values(measure)[2028][0] is None  # the preview stores nothing

    plan = plan_file(save(book), users["editor_own"], apply=True)
    assert plan.errors == [] and plan.back_to_review == 1
    measure.refresh_from_db()
    assert plan_values(measure) == {
        2027: (Decimal("20000.00"), None, Decimal("1200.50")),
        2028: (Decimal("5000.00"), None, Decimal("1500.00")),
    }
    # The totals are stored with the plan, as the form does; back to review like the form.
    assert measure.budget_planned == Decimal("27700.50")
    assert measure.review_state == ReviewState.SUBMITTED
    assert measure.version == version + 1
    assert measure.funding.count() == 1


def test_an_actual_figure_is_progress_and_keeps_the_measure_accepted(measure, users):
    measure = accept(measure, users)
    book = workbook(export_xlsx())
    costs = book[COSTS_SHEET]
    set_cell(costs, cost_line(costs, 2027), INVEST_ACTUAL, "18.500,25")
    plan = plan_file(save(book), users["editor_own"], apply=True)
    assert plan.errors == [] and plan.changed == 1 and plan.back_to_review == 0
    measure.refresh_from_db()
    assert measure.review_state == ReviewState.ACCEPTED
    assert measure.budget_spent == Decimal("18500.25")
    assert measure.accepted_snapshot["cost_actual"][0]["investment_actual"] == "18500.25"


def test_years_are_added_and_removed(measure, users):
    book = workbook(export_xlsx())
    costs = book[COSTS_SHEET]
    costs.delete_rows(cost_line(costs, 2028))
    append_row(costs, {"Maßnahme-ID": f"M-{measure.pk:04d}", YEAR: 2029, INVEST: 100})
    plan = plan_file(save(book), users["editor_own"])
    assert plan.errors == [], error_texts(plan)
    changes = {c.header: (c.old, c.new) for c in plan.changed_rows[0].changes}
    assert changes["Kostenplan 2028"][1] == "entfernt"
    assert changes["Kostenplan 2029"] == ("–", f"{INVEST} 100,00")
    plan_file(save(book), users["editor_own"], apply=True)
    assert sorted(measure.cost_plan.values_list("year", flat=True)) == [2027, 2029]


def test_funding_is_changed_added_and_removed(measure, users, leader):
    book = workbook(export_xlsx())
    funding = book[FUNDING_SHEET]
    set_cell(funding, 2, "Stand", "abgerechnet")
    set_cell(funding, 2, "abgerechnet am", "15.07.2028")
    append_row(
        funding,
        {
            "Maßnahme-ID": measure.pk,
            "Förderprogramm": "Zukunftsregionen in Niedersachsen (Beispiel)",
            YEAR: 2028,
            "Betrag (EUR)": "2.500",
        },
    )
    plan = plan_file(save(book), users["editor_own"], apply=True)
    assert plan.errors == [], error_texts(plan)
    entries = list(measure.funding.order_by("year"))
    assert [(e.programme.name, e.year, e.amount, e.state) for e in entries] == [
        ("LEADER (ELER)", 2027, Decimal("10000.00"), FundingState.SETTLED),
        ("Zukunftsregionen in Niedersachsen", 2028, Decimal("2500.00"), FundingState.PLANNED),
    ]
    assert entries[0].settled_on == datetime.date(2028, 7, 15)
    first = entries[0].pk  # changed in place, not replaced
    book = workbook(export_xlsx())
    book[FUNDING_SHEET].delete_rows(3)
    plan = plan_file(save(book), users["editor_own"], apply=True)
    assert plan.errors == [] and plan.changed == 1
    assert list(measure.funding.values_list("pk", flat=True)) == [first]


def test_a_new_measure_gets_its_plan_and_funding_by_title(district, users, leader):
    book = workbook(export_xlsx(Measure.objects.none()))
    append_row(
        book["Maßnahmen"],
        {"Titel": "Neue Bauakte", "Kurzbeschreibung": "Kurz.", "Handlungsfeld": "1"},
    )
    append_row(book[COSTS_SHEET], {"Maßnahme (Titel)": "Neue Bauakte", YEAR: 2027, INVEST: 900})
    append_row(
        book[FUNDING_SHEET],
        {
            "Maßnahme (Titel)": "Neue Bauakte",
            "Förderprogramm": "LEADER (ELER)",
            YEAR: 2027,
            "Betrag (EUR)": 450,
        },
    )
    plan = plan_file(save(book), users["editor_own"], apply=True)
    assert plan.errors == [], error_texts(plan)
    measure = Measure.objects.get(title="Neue Bauakte")
    assert plan_values(measure) == {2027: (Decimal("900.00"), None, None)}
    assert measure.budget_planned == Decimal("900.00")
    assert measure.funding.get().amount == Decimal("450.00")


# --- CSV zip archive ---------------------------------------------------------------------------


def test_csv_zip_round_trip(measure, users):
    raw = export_zip()
    members = zip_members(raw)
    assert sorted(members) == [
        "massnahmen.csv",
        "massnahmen_beteiligte.csv",
        "massnahmen_foerderung.csv",
        "massnahmen_kostenplan.csv",
    ]
    assert "2027;20000,00;" in members["massnahmen_kostenplan.csv"]
    plan = plan_file(raw, users["editor_own"], name="massnahmen.zip")
    assert plan.errors == [] and plan.unchanged == 1
    members["massnahmen_kostenplan.csv"] = members["massnahmen_kostenplan.csv"].replace(
        "2027;20000,00;", "2027;21000,00;"
    )
    plan = plan_file(make_zip(members), users["editor_own"], name="massnahmen.zip", apply=True)
    assert plan.errors == [], error_texts(plan)
    assert [(c.header, c.new) for c in plan.rows[0].changes] == [
        (f"Kostenplan 2027: {INVEST}", "21.000,00")
    ]
    assert plan_values(measure)[2027][0] == Decimal("21000.00")


def test_the_import_page_reads_the_zip_and_the_export_writes_it(measure, as_role):
    client = as_role("editor_own")
    response = client.get("/massnahmen/export/csv-paket/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    members = zip_members(response.content)
    name = next(n for n in members if n.endswith("_foerderung.csv"))
    assert name.startswith("massnahmen-")
    members[name] = members[name].replace(";bewilligt;", ";abgelehnt;")
    upload = SimpleUploadedFile("massnahmen.zip", make_zip(members))
    preview = client.post("/massnahmen/import/", {"file": upload})
    html = preview.content.decode()
    assert preview.status_code == 200, html[html.find("<tbody") :][:1500]
    assert "Förderung LEADER (ELER) 2027: Stand" in html and "bewilligt → abgelehnt" in html
    assert FundingEntry.objects.get().state == FundingState.APPROVED
    page = client.get("/massnahmen/import/").content.decode()
    assert "Zip-Archiv" in page and "Kostenplan" in page


def test_a_zip_import_is_confirmed_and_offers_the_zip_again(measure, as_role):
    from measures.models import MeasureImport

    client = as_role("editor_own")
    members = zip_members(export_zip())
    members["massnahmen_kostenplan.csv"] = members["massnahmen_kostenplan.csv"].replace(
        "2028;;;1500,00;", "2028;;;1600,00;"
    )
    upload = SimpleUploadedFile("massnahmen.zip", make_zip(members))
    assert client.post("/massnahmen/import/", {"file": upload}).status_code == 200
    pending = MeasureImport.objects.get()
    result = client.post("/massnahmen/import/", {"upload": pending.pk})
    html = result.content.decode()
    assert result.status_code == 200 and "1 geändert" in html
    assert plan_values(measure)[2028][2] == Decimal("1600.00")
    assert Measure.objects.get(pk=measure.pk).budget_planned == Decimal("22800.50")
    link = f"/massnahmen/import/{pending.pk}/datei/csv-paket/"
    assert link in html
    again = client.get(link)
    assert again["Content-Type"] == "application/zip"
    assert "2028;;;1600,00;" in next(
        text for name, text in zip_members(again.content).items() if "kostenplan" in name
    )


def test_a_broken_zip_gets_a_german_message(as_role, district):
    client = as_role("editor_own")
    upload = SimpleUploadedFile("massnahmen.zip", b"PK\x03\x04 kaputt")
    response = client.post("/massnahmen/import/", {"file": upload})
    assert response.status_code == 400
    assert "kein lesbares Zip-Archiv" in response.content.decode()


# --- bad values and permissions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "header", "value", "message"),
    [
        (COSTS_SHEET, INVEST, -1, "keinen negativen Betrag"),
        (COSTS_SHEET, INVEST, 10**15, "Der Betrag ist zu groß"),
        (COSTS_SHEET, "Personal Ist (VZÄ)", "1000", "999,99"),
        (COSTS_SHEET, YEAR, 0, "Haushaltsjahr von 2000 bis 2100"),
        (COSTS_SHEET, YEAR, 99999, "Haushaltsjahr von 2000 bis 2100"),
        (COSTS_SHEET, YEAR, "20\x0027", "keine ganze Zahl"),
        (COSTS_SHEET, INVEST, "12\x00", "Zahl"),
        (COSTS_SHEET, INVEST, "=A1*2", "Formel"),
        (FUNDING_SHEET, "Förderquote in %", 150, "zwischen 0 und 100"),
        (FUNDING_SHEET, "Betrag (EUR)", -5, "keinen negativen Betrag"),
        (FUNDING_SHEET, "Betrag (EUR)", 10**15, "Der Betrag ist zu groß"),
        (FUNDING_SHEET, YEAR, 99999, "Haushaltsjahr von 2000 bis 2100"),
        (FUNDING_SHEET, "Förderprogramm", "LEADER\x00", "gibt es nicht"),
        (FUNDING_SHEET, "Stand", "vielleicht", "nicht vorgesehen"),
        (FUNDING_SHEET, "entschieden am", "31.02.2027", "kein Datum"),
    ],
)
def test_bad_values_are_named_at_sheet_row_and_column_and_nothing_is_stored(
    measure, users, sheet, header, value, message
):
    book = workbook(export_xlsx())
    target = book[sheet]
    # openpyxl refuses NUL in cell values it writes; the file carries them as inline text.
    set_cell(target, 2, header, value.replace("\x00", "") if isinstance(value, str) else value)
    raw = save(book)
    if isinstance(value, str) and "\x00" in value:
        upload = read_upload("massnahmen.xlsx", raw)
        table = upload.costs if sheet == COSTS_SHEET else upload.funding
        index = table.headers.index(header)
        line, values = table.rows[0]
        values[index] = value
        plan = apply_import(user=users["editor_own"], **upload.plan_tables())
    else:
        plan = plan_file(raw, users["editor_own"], apply=True)
    texts = error_texts(plan)
    letter = chr(ord("A") + headers(target).index(header))
    assert any(
        t.startswith(f"{sheet}, Zeile 2, Spalte {letter} ({header}):") and message in t
        for t in texts
    ), texts
    assert not plan.applied
    assert plan_values(measure)[2027] == (Decimal("20000.00"), None, Decimal("1200.50"))
    entry = measure.funding.get()
    assert (entry.amount, entry.rate_percent, entry.state) == (
        Decimal("10000.00"),
        Decimal("50.00"),
        FundingState.APPROVED,
    )


def test_a_year_twice_is_named_at_its_row(measure, users):
    book = workbook(export_xlsx())
    append_row(book[COSTS_SHEET], {"Maßnahme-ID": measure.pk, YEAR: 2027, INVEST: 1})
    plan = plan_file(save(book), users["editor_own"])
    assert error_texts(plan) == [
        f"{COSTS_SHEET}, Zeile 4, Spalte C ({YEAR}): Das Haushaltsjahr 2027 dieser Maßnahme "
        "steht schon in Zeile 2."
    ]


def test_a_row_for_another_bodys_measure_is_refused(measure, district, users):
    foreign = MeasureFactory(lead_municipality=district["gorleben"], title="Glasfaser Gorleben")
    CostPlanYear.objects.create(measure=foreign, year=2027, investment_planned=Decimal("5"))
    raw = export_xlsx()
    # Unchanged, the other body's rows are no error.
    assert plan_file(raw, users["editor_own"]).errors == []
    book = workbook(raw)
    costs = book[COSTS_SHEET]
    id_column = headers(costs).index("Maßnahme-ID") + 1
    line = next(
        row
        for row in range(2, costs.max_row + 1)
        if costs.cell(row=row, column=id_column).value == foreign.pk
    )
    set_cell(costs, line, INVEST, 99999)
    plan = plan_file(save(book), users["editor_own"], apply=True)
    [text] = error_texts(plan)
    assert text.startswith(f"{COSTS_SHEET}, Zeile {line}: Den Kostenplan der Maßnahme")
    assert "dürfen Sie nicht ändern" in text
    assert foreign.cost_plan.get().investment_planned == Decimal("5.00")
    # A new funding row for it is refused the same way.
    book = workbook(raw)
    append_row(
        book[FUNDING_SHEET],
        {
            "Maßnahme-ID": foreign.pk,
            "Förderprogramm": "LEADER (ELER)",
            YEAR: 2027,
            "Betrag (EUR)": 1,
        },
    )
    [text] = error_texts(plan_file(save(book), users["editor_own"], apply=True))
    assert "Die Förderungen der Maßnahme „Glasfaser Gorleben“" in text
    assert not foreign.funding.exists()


def test_a_file_without_the_sheets_leaves_plan_and_funding_alone(measure, users):
    book = workbook(export_xlsx())
    del book[COSTS_SHEET]
    del book[FUNDING_SHEET]
    set_cell(book["Maßnahmen"], 2, "Titel", "Digitale Bauakte (neu)")
    plan = plan_file(save(book), users["editor_own"], apply=True)
    assert plan.errors == [] and plan.changed == 1
    assert measure.cost_plan.count() == 2 and measure.funding.count() == 1


def test_the_money_sheets_add_the_same_queries_for_more_measures(measure, district, users, leader):
    """Checking an unchanged file: the cost plan and funding of all measures are read at once
    (the measure rows themselves cost what they cost without the sheets)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(with_money):
        upload = read_upload("massnahmen.xlsx", export_xlsx())
        tables = upload.plan_tables()
        if not with_money:
            tables.update(costs_table=None, funding_table=None)
        with CaptureQueriesContext(connection) as queries:
            plan = plan_import(user=users["editor_own"], **tables)
        assert plan.errors == [] and not plan.has_changes
        return len(queries)

    count(True)  # caches filled once per process
    few = count(True) - count(False)
    for index in range(5):
        more = MeasureFactory(lead_municipality=district["gorleben"], title=f"Mehr {index}")
        CostPlanYear.objects.create(measure=more, year=2027, running_planned=Decimal("10"))
        FundingEntry.objects.create(measure=more, programme=leader, year=2027, amount=1)
    assert count(True) - count(False) == few <= 3


def test_a_bad_share_is_named_at_its_partner_row_when_another_partner_is_removed(
    measure, district, users
):
    from measures.exchange.sheets import PARTNERS_SHEET
    from tests.factories import PartnershipFactory

    PartnershipFactory(measure=measure, municipality=district["gartow"])
    book = workbook(export_xlsx())
    partners = book[PARTNERS_SHEET]
    # Gartow's row becomes Dannenberg's with a share over 100 %: Gartow is removed.
    set_cell(partners, 2, "beteiligte Kommune", "Dannenberg (Elbe)")
    set_cell(partners, 2, "Kostenanteil in %", 150)
    texts = error_texts(plan_file(save(book), users["editor_own"]))
    assert len(texts) == 1 and texts[0].startswith(
        f"{PARTNERS_SHEET}, Zeile 2, Spalte D (Kostenanteil in %):"
    ), texts
