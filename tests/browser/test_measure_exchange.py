"""Import of measures in the browser: upload -> preview -> confirm, accessible at every step."""

import pytest
from playwright.sync_api import expect

from measures.exchange.sheets import MEASURES_SHEET
from measures.models import Measure
from tests.factories import MeasureFactory

from ..measures.exchange_helpers import export_xlsx, save, set_cell, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_with_preview_and_confirmation(
    page, users, district, login, assert_accessible, tmp_path
):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitaler Bauantrag")
    book = workbook(export_xlsx(Measure.objects.filter(pk=measure.pk)))
    set_cell(book[MEASURES_SHEET], 2, "Titel", "Bauantrag online")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(save(book))

    login("hitzacker")
    page.goto("/massnahmen/")
    page.get_by_role("link", name="Importieren").click()
    assert_accessible(page)
    page.get_by_label("Datei mit den Maßnahmen").set_input_files(str(path))
    page.get_by_role("button", name="Datei prüfen (Vorschau)").click()
    page.get_by_text("0 Maßnahmen werden angelegt, 1 geändert").wait_for()
    assert "Digitaler Bauantrag → Bauantrag online" in page.content()
    assert_accessible(page)
    assert Measure.objects.get(pk=measure.pk).title == "Digitaler Bauantrag"
    page.get_by_role("button", name="Import ausführen").click()
    page.get_by_text("0 Maßnahmen wurden angelegt, 1 geändert").wait_for()
    assert_accessible(page)
    assert Measure.objects.get(pk=measure.pk).title == "Bauantrag online"


def test_refused_file_lists_the_errors_accessibly(
    page, users, district, login, assert_accessible, tmp_path
):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    book = workbook(export_xlsx(Measure.objects.filter(pk=measure.pk)))
    set_cell(book[MEASURES_SHEET], 2, "Umsetzungsstand", "fertig")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(save(book))
    login("hitzacker")
    page.goto("/massnahmen/import/")
    page.get_by_label("Datei mit den Maßnahmen").set_input_files(str(path))
    page.get_by_role("button", name="Datei prüfen (Vorschau)").click()
    page.get_by_text("es wurde nichts gespeichert").first.wait_for()
    assert "L (Umsetzungsstand)" in page.content()
    assert_accessible(page)


def test_background_import_progress_is_accessible_and_shows_the_preview_when_ready(
    page, users, district, login, assert_accessible
):
    """A large file is checked by a task; its page updates its status region in place (no
    meta refresh) and shows the preview once the task has finished."""
    from django.contrib.auth import get_user_model

    from measures.models import ImportState, MeasureImport

    upload = MeasureImport.objects.create(
        user=get_user_model().objects.get(username="hitzacker"),
        filename="gross.csv",
        data=b"x",
        state=ImportState.CHECKING,
        rows=4000,
    )
    login("hitzacker")
    page.goto(f"/massnahmen/import/{upload.pk}/")
    page.get_by_text("Die Datei wird geprüft").wait_for()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert_accessible(page)
    MeasureImport.objects.filter(pk=upload.pk).update(
        state=ImportState.READY, result_html="<p>4000 Maßnahmen werden angelegt.</p>"
    )
    page.get_by_role("button", name="Import ausführen").wait_for(timeout=10_000)
    assert "4000 Maßnahmen werden angelegt." in page.content()
    assert_accessible(page)


def test_the_same_file_again_names_the_existing_measure_and_offers_the_file_with_ids(
    page, users, district, login, assert_accessible, tmp_path
):
    from measures.exchange.sheets import MEASURES_SHEET as SHEET

    from ..measures.exchange_helpers import append_row

    book = workbook(export_xlsx(Measure.objects.none()))
    append_row(
        book[SHEET],
        {
            "Titel": "Dorf-App für Hitzacker",
            "Kurzbeschreibung": "Eine App für das Dorfleben.",
            "federführende Kommune": "Hitzacker (Elbe)",
            "Handlungsfeld": "1. Digitale Verwaltungsleistungen",
        },
    )
    path = tmp_path / "plan.xlsx"
    path.write_bytes(save(book))
    login("hitzacker")
    for _ in range(2):
        page.goto("/massnahmen/import/")
        page.get_by_label("Datei mit den Maßnahmen").set_input_files(str(path))
        page.get_by_role("button", name="Datei prüfen (Vorschau)").click()
        page.get_by_role("button", name="Import ausführen").click()
        page.get_by_role("heading", name="Import abgeschlossen").wait_for()
    created = Measure.objects.get()
    expect(page.get_by_text(f"bereits vorhanden ({created.reference})")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel-Datei herunterladen").click()
    assert download.value.suggested_filename.endswith("-mit-ids.xlsx")
    page.goto("/massnahmen/import/")
    page.get_by_label("Datei mit den Maßnahmen").set_input_files(str(path))
    page.get_by_role("button", name="Datei prüfen (Vorschau)").click()
    choice = page.get_by_label("trotzdem als neue Maßnahme anlegen")
    choice.wait_for()
    assert_accessible(page)
    choice.check()
    page.get_by_role("button", name="Import ausführen").click()
    page.get_by_text("1 Maßnahme wurde angelegt").wait_for()
    assert Measure.objects.filter(title="Dorf-App für Hitzacker").count() == 2


def test_preview_of_cost_plan_and_funding_changes_at_1280_and_320_px(
    page, users, district, login, assert_accessible, tmp_path
):
    import datetime
    import os
    from decimal import Decimal

    from measures.exchange.sheets import COSTS_SHEET, FUNDING_SHEET
    from measures.models import CostPlanYear, FundingEntry, FundingProgramme

    from ..measures.exchange_helpers import append_row

    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitaler Bauantrag")
    CostPlanYear.objects.create(measure=measure, year=2027, investment_planned=Decimal("20000"))
    FundingEntry.objects.create(
        measure=measure,
        programme=FundingProgramme.objects.get(name="LEADER (ELER)"),
        year=2027,
        amount=Decimal("10000"),
        proof_due=datetime.date(2028, 6, 30),
    )
    book = workbook(export_xlsx(Measure.objects.filter(pk=measure.pk)))
    set_cell(book[COSTS_SHEET], 2, "Investition geplant (EUR)", 25000)
    append_row(
        book[COSTS_SHEET],
        {"Maßnahme-ID": measure.pk, "Haushaltsjahr": 2028, "Folgekosten (EUR)": 1800},
    )
    set_cell(book[FUNDING_SHEET], 2, "Stand", "bewilligt")
    set_cell(book[FUNDING_SHEET], 2, "entschieden am", "01.02.2027")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(save(book))
    login("hitzacker")
    page.goto("/massnahmen/import/")
    page.get_by_label("Datei mit den Maßnahmen").set_input_files(str(path))
    page.get_by_role("button", name="Datei prüfen (Vorschau)").click()
    page.get_by_text("0 Maßnahmen werden angelegt, 1 geändert").wait_for()
    content = page.content()
    assert "Kostenplan 2027: Investition geplant (EUR)" in content
    assert "Kostenplan 2028" in content
    assert "Förderung LEADER (ELER) 2027: Stand:</strong> geplant → bewilligt" in content
    assert "Förderung LEADER (ELER) 2027: entschieden am:</strong> – → 01.02.2027" in content
    assert_accessible(page)
    shots = os.environ.get("PORTAL_SCREENSHOTS")
    if shots:
        page.screenshot(path=os.path.join(shots, "import-preview-1280.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
    if shots:
        page.screenshot(path=os.path.join(shots, "import-preview-320.png"), full_page=True)
    page.get_by_role("button", name="Import ausführen").click()
    page.get_by_text("0 Maßnahmen wurden angelegt, 1 geändert").wait_for()
    assert sorted(measure.cost_plan.values_list("year", flat=True)) == [2027, 2028]
    assert measure.funding.get().state == "approved"
