"""Measures in Excel and CSV: one format both ways (round trip, template, errors, workflow)."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone

from measures.exchange.sheets import (
    COSTS_SHEET,
    FUNDING_SHEET,
    LOOKUP_SHEET,
    MEASURES_SHEET,
    PARTNERS_SHEET,
)
from measures.models import Measure, Partnership, Status
from measures.review import ReviewComment, ReviewState, measure_snapshot, transition_to
from tests.factories import GoalFactory, MeasureFactory, PartnershipFactory

from .exchange_helpers import (
    append_row,
    apply_xlsx,
    column_of,
    csv_rows,
    error_texts,
    export_csv,
    export_xlsx,
    plan_csv,
    plan_xlsx,
    save,
    set_cell,
    workbook,
)


@pytest.fixture
def plan_data(district):
    """Two measures of Hitzacker (one joint with Samtgemeinde Gartow), one of Gorleben."""
    goal = GoalFactory(title="Verwaltung digital")
    joint = MeasureFactory(
        lead_municipality=district["hitzacker"],
        title="Digitaler Bauantrag",
        description="Erste Zeile\r\nZweite Zeile",
        budget_planned=Decimal("12500.50"),
        budget_spent=Decimal("100.00"),
        leika_key="99050012104000",
        contact_name="Erika Muster",
        contact_email="erika@example.org",
        for_citizens=True,
    )
    joint.goals.add(goal)
    PartnershipFactory(
        measure=joint, municipality=district["gartow"], cost_share_percent=Decimal("33.33")
    )
    PartnershipFactory(measure=joint, municipality=district["gorleben"], cost_share_percent=None)
    single = MeasureFactory(
        lead_municipality=district["hitzacker"],
        title='=HYPERLINK("http://example.org";"klick")',
        summary="-Kurz mit Minus",
        planned_start=None,
        planned_end=None,
    )
    foreign = MeasureFactory(lead_municipality=district["gorleben"], title="Glasfaser Gorleben")
    return {"joint": joint, "single": single, "foreign": foreign, "goal": goal}


def accept(measure, users):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    measure.refresh_from_db()
    return measure


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["editor_own", "samtgemeinde_editor", "coordinator"])
def test_xlsx_round_trip_reports_no_changes(plan_data, users, role):
    raw = export_xlsx()
    plan = plan_xlsx(raw, users[role])
    assert plan.errors == []
    assert (plan.created, plan.changed, plan.unchanged) == (0, 0, 3)
    before = Measure.history.count()
    applied = apply_xlsx(raw, users[role])
    assert applied.errors == [] and not applied.has_changes
    assert Measure.history.count() == before


def test_csv_round_trip_reports_no_changes(plan_data, users):
    measures_csv, partners_csv = export_csv()
    plan = plan_csv(measures_csv, partners_csv, users["editor_own"])
    assert plan.errors == []
    assert (plan.created, plan.changed, plan.unchanged) == (0, 0, 3)
    # Without the partners file the partners stay as they are: still no change.
    plan = plan_csv(measures_csv, None, users["editor_own"])
    assert plan.errors == [] and plan.unchanged == 3


def test_csv_saved_by_excel_as_windows_1252_is_read_with_a_notice(plan_data, users):
    measures_csv, partners_csv = export_csv()
    text = measures_csv.decode("utf-8").lstrip("\ufeff")
    plan = plan_csv(text.encode("cp1252"), partners_csv, users["editor_own"])
    assert plan.errors == [] and plan.unchanged == 3
    assert any("Windows-1252" in notice for notice in plan.notices)


def test_csv_format_is_what_german_excel_opens(plan_data):
    measures_csv, partners_csv = export_csv()
    assert measures_csv.startswith("\ufeff".encode())
    first_line = measures_csv.decode("utf-8").splitlines()[0]
    assert first_line.lstrip("\ufeff").startswith("ID;Version;Titel;")
    headers, rows = csv_rows(measures_csv)
    joint = next(r for r in rows if r[headers.index("Titel")] == "Digitaler Bauantrag")
    assert joint[headers.index("geplantes Budget (EUR)")] == "12500,50"
    assert joint[headers.index("geplanter Beginn")] == "01.01.2027"
    headers, rows = csv_rows(partners_csv)
    assert headers == ["Maßnahme-ID", "Maßnahme (Titel)", "beteiligte Kommune", "Kostenanteil in %"]
    assert ["Samtgemeinde Gartow", "33,33"] in [r[2:] for r in rows]


# --- the workbook ----------------------------------------------------------------------------


def test_workbook_has_dropdowns_dates_and_a_frozen_header(plan_data):
    book = workbook(export_xlsx())
    assert book.sheetnames == [
        MEASURES_SHEET,
        PARTNERS_SHEET,
        COSTS_SHEET,
        FUNDING_SHEET,
        LOOKUP_SHEET,
    ]
    assert book[LOOKUP_SHEET].sheet_state == "hidden"
    sheet = book[MEASURES_SHEET]
    assert sheet.freeze_panes == "A2"
    assert book[PARTNERS_SHEET].freeze_panes == "A2"
    lists = {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
        for dv in sheet.data_validations.dataValidation
        if dv.type == "list"
    }
    letter = sheet.cell(row=1, column=column_of(sheet, "federführende Kommune")).column_letter
    assert lists[letter].startswith(f"'{LOOKUP_SHEET}'!$A$2")
    for header in ("Handlungsfeld", "Umsetzungsstand", "Priorität"):
        letter = sheet.cell(row=1, column=column_of(sheet, header)).column_letter
        assert letter in lists, header
    bodies = [c.value for c in book[LOOKUP_SHEET]["A"][1:] if c.value]
    # Samtgemeinde and Flecken of the same name are told apart.
    assert "Samtgemeinde Gartow" in bodies and "Landkreis Lüchow-Dannenberg" in bodies
    assert len(bodies) == len(set(bodies))
    start = sheet.cell(row=2, column=column_of(sheet, "geplanter Beginn"))
    assert isinstance(start.value, datetime.datetime) and start.is_date
    leika = sheet.cell(row=2, column=column_of(sheet, "OZG-Leistung (LeiKa-Schlüssel)"))
    assert leika.value == "99050012104000" and leika.data_type == "s"


def test_formulas_are_neutralised_in_both_formats(plan_data, users):
    raw = export_xlsx()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    sheet = workbook(raw)[MEASURES_SHEET]
    title_cells = [row[column_of(sheet, "Titel") - 1] for row in sheet.iter_rows(min_row=2)]
    formula_cell = next(c for c in title_cells if str(c.value).startswith("=HYPERLINK"))
    assert formula_cell.data_type == "s" and formula_cell.quotePrefix
    measures_csv, _ = export_csv()
    text = measures_csv.decode("utf-8")
    assert "'=HYPERLINK" in text and "'-Kurz mit Minus" in text
    # ... and the texts come back unchanged.
    assert plan_xlsx(raw, users["editor_own"]).unchanged == 3


def test_a_formula_typed_into_the_file_is_refused(plan_data, users):
    book = workbook(export_xlsx())
    sheet = book[MEASURES_SHEET]
    set_cell(sheet, 2, "Finanzierung", "=1+1")
    plan = plan_xlsx(save(book), users["coordinator"])
    assert len(plan.errors) == 1
    assert "Zeile 2, Spalte R (Finanzierung)" in str(plan.errors[0])
    assert "Formel" in str(plan.errors[0])


# --- template for an existing plan ------------------------------------------------------------


def test_export_of_a_body_without_measures_is_the_template(plan_data, users, district):
    empty = Measure.objects.filter(lead_municipality=district["dannenberg"])
    book = workbook(export_xlsx(empty))
    sheet = book[MEASURES_SHEET]
    assert sheet.max_row == 1 and sheet["A1"].value == "ID"
    assert sheet.data_validations.dataValidation  # the dropdowns are there for new rows
    append_row(
        sheet,
        {
            "Titel": "Online-Terminvergabe",
            "Kurzbeschreibung": "Termine im Bürgerbüro online buchen.",
            "federführende Kommune": "Hitzacker (Elbe)",
            "Handlungsfeld": "1. Digitale Verwaltungsleistungen",
            "Ziele": "Verwaltung digital",
            "Umsetzungsstand": "geplant",
            "geplanter Beginn": datetime.date(2027, 3, 15),
            "geplantes Budget (EUR)": 5000,
        },
    )
    append_row(
        sheet,
        {"Titel": "WLAN im Rathaus", "Kurzbeschreibung": "Freies WLAN.", "Handlungsfeld": 2},
    )
    append_row(
        book[PARTNERS_SHEET],
        {
            "Maßnahme (Titel)": "Online-Terminvergabe",
            "beteiligte Kommune": "Samtgemeinde Gartow",
            "Kostenanteil in %": 25,
        },
    )
    plan = apply_xlsx(save(book), users["editor_own"])
    assert plan.errors == [], error_texts(plan)
    assert (plan.created, plan.changed) == (2, 0)
    created = Measure.objects.get(title="Online-Terminvergabe")
    assert created.lead_municipality == district["hitzacker"]
    assert created.planned_start == datetime.date(2027, 3, 1)
    # The budget columns show the cost plan's totals; amounts are kept in the plan.
    assert created.budget_planned is None and not created.cost_plan.exists()
    assert any("Kostenplan" in notice for notice in plan.notices)
    assert list(created.goals.all()) == [plan_data["goal"]]
    assert created.review_state == ReviewState.DRAFT and created.created_by == users["editor_own"]
    partner = created.partnerships.get()
    assert (partner.municipality, partner.cost_share_percent) == (district["gartow"], 25)
    # The editor acts for exactly one body: an empty lead cell means that body.
    wlan = Measure.objects.get(title="WLAN im Rathaus")
    assert wlan.lead_municipality == district["hitzacker"]
    assert wlan.field_of_action.number == 2 and wlan.status == Status.IDEA


# --- bad rows -----------------------------------------------------------------------------------


def test_bad_rows_are_named_with_line_and_column_and_nothing_is_stored(plan_data, users):
    book = workbook(export_xlsx(Measure.objects.filter(pk=plan_data["joint"].pk)))
    sheet = book[MEASURES_SHEET]
    set_cell(sheet, 2, "Titel", "Geänderter Titel")  # a good change ...
    append_row(
        sheet,
        {
            "Titel": "Neu, aber fehlerhaft",
            "Kurzbeschreibung": "",
            "federführende Kommune": "Atlantis",
            "Handlungsfeld": "1",
            "Umsetzungsstand": "fertig",
            "geplanter Beginn": "irgendwann",
        },
    )
    append_row(
        sheet,
        {
            "Titel": "Für eine fremde Kommune",
            "Kurzbeschreibung": "Kurz.",
            "federführende Kommune": "Gorleben",
            "Handlungsfeld": "1",
            "geplanter Beginn": "01.05.2027",
            "geplantes Ende": "01.01.2027",
            "OZG-Leistung (LeiKa-Schlüssel)": "123",
        },
    )
    set_cell(book[PARTNERS_SHEET], 2, "Kostenanteil in %", 120)
    before = Measure.history.count()
    plan = apply_xlsx(save(book), users["editor_own"])
    texts = error_texts(plan)
    expected = [
        "Maßnahmen, Zeile 3, Spalte F (federführende Kommune): Die Kommune „Atlantis“",
        "Maßnahmen, Zeile 3, Spalte L (Umsetzungsstand): „fertig“ ist nicht vorgesehen",
        "Maßnahmen, Zeile 3, Spalte N (geplanter Beginn): „irgendwann“ ist kein Datum",
        "Maßnahmen, Zeile 4, Spalte F (federführende Kommune): Für diese Kommune dürfen Sie",
        "Maßnahmen, Zeile 4, Spalte O (geplantes Ende): Das Ende darf nicht vor dem Beginn",
        "Maßnahmen, Zeile 4, Spalte X (OZG-Leistung (LeiKa-Schlüssel)): Der LeiKa-Schlüssel",
        "Beteiligte, Zeile 2, Spalte D (Kostenanteil in %):",
    ]
    for start in expected:
        assert any(text.startswith(start) for text in texts), (start, texts)
    assert not plan.applied
    assert Measure.objects.count() == 3
    assert Measure.objects.get(pk=plan_data["joint"].pk).title == "Digitaler Bauantrag"
    assert Measure.history.count() == before


def test_changed_row_of_a_measure_the_user_may_not_edit_is_an_error(plan_data, users):
    book = workbook(export_xlsx())
    sheet = book[MEASURES_SHEET]
    foreign_row = next(
        r
        for r in range(2, sheet.max_row + 1)
        if sheet.cell(row=r, column=1).value == plan_data["foreign"].pk
    )
    set_cell(sheet, foreign_row, "Titel", "Übernommen")
    plan = plan_xlsx(save(book), users["editor_own"])
    assert error_texts(plan) == [
        f"Maßnahmen, Zeile {foreign_row}, Spalte A (ID): Die Maßnahme „Glasfaser Gorleben“ der "
        "Kommune Gorleben dürfen Sie nicht ändern. Lassen Sie die Zeile unverändert oder "
        "löschen Sie sie."
    ]
    # The editor of Gorleben may.
    assert plan_xlsx(save(book), users["editor_other"]).changed == 1


def test_unknown_id_duplicate_id_and_missing_header(plan_data, users):
    book = workbook(export_xlsx(Measure.objects.filter(pk=plan_data["single"].pk)))
    sheet = book[MEASURES_SHEET]
    append_row(sheet, {"ID": plan_data["single"].pk, "Titel": "doppelt"})
    append_row(sheet, {"ID": 99999, "Titel": "gibt es nicht"})
    texts = error_texts(plan_xlsx(save(book), users["coordinator"]))
    assert any(t.startswith("Maßnahmen, Zeile 3, Spalte A (ID): Die ID") for t in texts), texts
    assert "Maßnahmen, Zeile 4, Spalte A (ID): Eine Maßnahme mit der ID 99999 gibt es nicht." in (
        texts
    )
    sheet.delete_cols(1)
    texts = error_texts(plan_xlsx(save(book), users["coordinator"]))
    assert texts == [
        "Maßnahmen, Zeile 1: In der Kopfzeile fehlt die Spalte „ID“. Bitte verwenden Sie die "
        "Kopfzeile des Exports oder der Vorlage."
    ]


def test_a_file_that_is_no_spreadsheet_is_refused(users):
    from measures.exchange.importer import read_files
    from measures.exchange.sheets import ExchangeFileError

    with pytest.raises(ExchangeFileError, match="keine Excel-Datei"):
        read_files("plan.xlsx", b"not a zip file")
    with pytest.raises(ExchangeFileError, match=".xlsx"):
        read_files("plan.ods", b"whatever")
    with pytest.raises(ExchangeFileError, match="keine CSV-Datei"):
        read_files("plan.csv", b"PK\x03\x04\x00\x00binary")


# --- changes, review workflow, history -----------------------------------------------------------


def test_dry_run_shows_field_level_changes_and_stores_nothing(plan_data, users):
    book = workbook(export_xlsx(Measure.objects.filter(pk=plan_data["joint"].pk)))
    sheet = book[MEASURES_SHEET]
    set_cell(sheet, 2, "Umsetzungsstand", "in Umsetzung")
    set_cell(sheet, 2, "geplantes Budget (EUR)", 20000)  # a total: not read back
    partners = book[PARTNERS_SHEET]
    gorleben_row = next(
        r
        for r in range(2, partners.max_row + 1)
        if partners.cell(row=r, column=3).value == "Gorleben"
    )
    partners.delete_rows(gorleben_row)
    plan = plan_xlsx(save(book), users["editor_own"])
    assert plan.errors == [] and plan.changed == 1
    changes = {c.header: (c.old, c.new) for c in plan.changed_rows[0].changes}
    assert changes["Umsetzungsstand"] == ("geplant", "in Umsetzung")
    assert "geplantes Budget (EUR)" not in changes
    assert changes["Beteiligte"] == (
        "Samtgemeinde Gartow (33,33 %), Gorleben",
        "Samtgemeinde Gartow (33,33 %)",
    )
    joint = Measure.objects.get(pk=plan_data["joint"].pk)
    assert joint.status == Status.PLANNED and joint.partnerships.count() == 2


def test_import_of_an_accepted_measure_goes_back_to_review_with_history(plan_data, users):
    joint = accept(plan_data["joint"], users)
    accepted_version = joint.version  # review steps bump the version too
    book = workbook(export_xlsx(Measure.objects.filter(pk=joint.pk)))
    set_cell(book[MEASURES_SHEET], 2, "Kurzbeschreibung", "Bauanträge vollständig online.")
    raw = save(book)
    assert plan_xlsx(raw, users["samtgemeinde_editor"]).back_to_review == 1
    plan = apply_xlsx(raw, users["samtgemeinde_editor"])
    assert plan.errors == [] and plan.applied
    assert plan.back_to_review == 1
    assert "1 geänderte angenommene Maßnahme geht erneut in die Prüfung" in plan.summary()
    joint.refresh_from_db()
    assert joint.summary == "Bauanträge vollständig online."
    assert joint.review_state == ReviewState.SUBMITTED
    assert joint.accepted_snapshot["summary"] == "Kurzbeschreibung der Maßnahme."
    assert joint.version == accepted_version + 1
    assert joint.updated_by == users["samtgemeinde_editor"]
    latest = joint.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == users["samtgemeinde_editor"]
    assert joint.history.filter(summary="Bauanträge vollständig online.").exists()
    assert all(
        h.history_user == users["samtgemeinde_editor"]
        for h in joint.history.filter(history_date__gte=latest.history_date)
    )
    comment = ReviewComment.objects.filter(measure=joint).latest("pk")
    assert (
        comment.to_state == ReviewState.SUBMITTED and comment.author == users["samtgemeinde_editor"]
    )


def test_progress_change_of_an_accepted_measure_stays_accepted(plan_data, users):
    joint = accept(plan_data["joint"], users)
    book = workbook(export_xlsx(Measure.objects.filter(pk=joint.pk)))
    set_cell(book[MEASURES_SHEET], 2, "Umsetzungsstand", "in Umsetzung")
    plan = apply_xlsx(save(book), users["editor_own"])
    assert plan.errors == [] and plan.back_to_review == 0
    joint.refresh_from_db()
    assert joint.review_state == ReviewState.ACCEPTED
    assert joint.accepted_snapshot["status"] == Status.IN_PROGRESS


def test_partner_changes_are_saved_with_their_history(plan_data, users, district):
    joint = plan_data["joint"]
    book = workbook(export_xlsx(Measure.objects.filter(pk=joint.pk)))
    partners = book[PARTNERS_SHEET]
    for row in range(2, partners.max_row + 1):
        if partners.cell(row=row, column=3).value == "Samtgemeinde Gartow":
            partners.cell(row=row, column=4, value=50)
    append_row(
        partners,
        {"Maßnahme-ID": joint.pk, "beteiligte Kommune": "Dannenberg (Elbe)"},
    )
    plan = apply_xlsx(save(book), users["editor_own"])
    assert plan.errors == [], error_texts(plan)
    shares = dict(
        Partnership.objects.filter(measure=joint).values_list(
            "municipality__slug", "cost_share_percent"
        )
    )
    assert shares == {"sg-gartow": Decimal("50.00"), "gorleben": None, "dannenberg-elbe": None}
    assert Partnership.history.filter(history_user=users["editor_own"]).count() == 2


def test_lead_cannot_be_partner_and_shares_cannot_exceed_100(plan_data, users):
    joint = plan_data["joint"]
    book = workbook(export_xlsx(Measure.objects.filter(pk=joint.pk)))
    append_row(
        book[PARTNERS_SHEET],
        {
            "Maßnahme-ID": joint.pk,
            "beteiligte Kommune": "Hitzacker (Elbe)",
            "Kostenanteil in %": 80,
        },
    )
    texts = error_texts(plan_xlsx(save(book), users["editor_own"]))
    assert any(
        t.startswith("Beteiligte, Zeile 4, Spalte C (beteiligte Kommune): Die federführende")
        for t in texts
    ), texts


def test_file_changed_in_the_portal_meanwhile_is_refused(plan_data, users):
    raw_book = workbook(export_xlsx(Measure.objects.filter(pk=plan_data["single"].pk)))
    set_cell(raw_book[MEASURES_SHEET], 2, "Kurzbeschreibung", "Aus Excel")
    raw = save(raw_book)
    Measure.objects.filter(pk=plan_data["single"].pk).update(version=5, summary="Im Portal")
    plan = apply_xlsx(raw, users["editor_own"])
    assert len(plan.errors) == 1
    assert "Spalte B (Version): Die Maßnahme wurde seit dem Export im Portal geändert" in str(
        plan.errors[0]
    )
    assert Measure.objects.get(pk=plan_data["single"].pk).summary == "Im Portal"


# --- public export --------------------------------------------------------------------------------


def test_public_export_has_published_fields_only(plan_data):
    joint = plan_data["joint"]
    published = measure_snapshot(Measure.objects.with_related().get(pk=joint.pk))
    Measure.objects.filter(pk=joint.pk).update(
        public_snapshot=published,
        public_since=timezone.now(),
        title="Unveröffentlichter neuer Titel",
    )
    book = workbook(export_xlsx(Measure.objects.all(), public=True))
    sheet = book[MEASURES_SHEET]
    headers = [c.value for c in sheet[1]]
    for hidden in ("Ansprechperson", "E-Mail der Ansprechperson", "Version", "Prüfstatus"):
        assert hidden not in headers
    assert sheet.max_row == 2  # only the published measure
    values = [c.value for c in sheet[2]]
    assert "Digitaler Bauantrag" in values and "Unveröffentlichter neuer Titel" not in values
    text = save(book).decode("latin-1")
    assert "Erika Muster" not in text and "erika@example.org" not in text
    partners = [c.value for c in book[PARTNERS_SHEET][2]]
    assert "Samtgemeinde Gartow" in partners


# --- query count ----------------------------------------------------------------------------------


def test_export_query_count_does_not_grow_with_rows(
    plan_data, district, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            export_xlsx()
            export_csv()
        return len(queries)

    few = count()
    for index in range(10):
        m = MeasureFactory(lead_municipality=district["dannenberg"], title=f"Mehr {index}")
        m.goals.add(plan_data["goal"])
        PartnershipFactory(measure=m, municipality=district["gartow"])
    assert count() == few
    # Bodies, fields of action, measures, partners, goals, cost plans, funding with their
    # programmes, the programmes for the dropdown.
    with django_assert_max_num_queries(8):
        export_xlsx()


def test_csv_template_creates_measures_with_partners(plan_data, users, district):
    measures_csv, partners_csv = export_csv(Measure.objects.none())
    measures_text = measures_csv.decode("utf-8")
    header = measures_text.lstrip("\ufeff").splitlines()[0].split(";")
    row = dict.fromkeys(header, "")
    row.update(
        {
            "Titel": "Gemeinsames Bürgerportal",
            "Kurzbeschreibung": "Ein Portal für alle.",
            "federführende Kommune": "samtgemeinde elbtalaue",
            "Handlungsfeld": "1. Digitale Verwaltungsleistungen",
            "geplanter Beginn": "03.2027",
            "geplantes Budget (EUR)": "1.250,00",
            "Zielgruppe Bürgerinnen und Bürger": "x",
        }
    )
    measures_text += ";".join(row[h] for h in header) + "\r\n"
    partners_text = partners_csv.decode("utf-8") + (
        ";Gemeinsames Bürgerportal;Dannenberg (Elbe);40\r\n"
        ";Gemeinsames Bürgerportal;Hitzacker (Elbe);60\r\n"
    )
    plan = plan_csv(
        measures_text.encode("utf-8"),
        partners_text.encode("utf-8"),
        users["samtgemeinde_editor"],
        apply=True,
    )
    assert plan.errors == [], error_texts(plan)
    created = Measure.objects.get(title="Gemeinsames Bürgerportal")
    assert created.lead_municipality == district["elbtalaue"]
    assert created.budget_planned is None and created.for_citizens
    assert sorted(created.partnerships.values_list("cost_share_percent", flat=True)) == [40, 60]
    # Exported again and imported as it is: nothing to do.
    again_measures, again_partners = export_csv()
    plan = plan_csv(again_measures, again_partners, users["samtgemeinde_editor"])
    assert plan.errors == [] and not plan.has_changes


def test_partner_row_for_a_measure_not_in_the_file_is_an_error(plan_data, users):
    measures_csv, _ = export_csv(Measure.objects.filter(pk=plan_data["single"].pk))
    _, partners_csv = export_csv(Measure.objects.filter(pk=plan_data["joint"].pk))
    plan = plan_csv(measures_csv, partners_csv, users["editor_own"])
    assert error_texts(plan)[0] == (
        f"massnahmen_beteiligte.csv, Zeile 2, Spalte A (Maßnahme-ID): Die Maßnahme mit der ID "
        f"{plan_data['joint'].pk} steht nicht in „massnahmen.csv“."
    )
