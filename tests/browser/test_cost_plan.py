"""The cost plan's rows in the measure form: keyboard, JavaScript rows, 320 px, a look."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from measures.models import Measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")  # a folder for looking at the pages


def shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_years_are_added_and_removed_by_keyboard(page, login, users, assert_accessible):
    login("hitzacker")
    page.goto("/massnahmen/neu/")
    page.get_by_label("Titel").fill("Digitale Bauakte")
    page.get_by_label("Kurzbeschreibung").fill("Bauakten digital führen.")
    page.get_by_role("combobox", name="Handlungsfeld").select_option(
        label="1. Digitale Verwaltungsleistungen"
    )
    page.get_by_label("Haushaltsjahr (Zeile 1)").fill("2027")
    page.get_by_label("Investition geplant (EUR) (Zeile 1)").fill("20.000")
    # "Weiteres Haushaltsjahr" by keyboard: the new row's year gets the focus.
    add = page.get_by_role("button", name="Weiteres Haushaltsjahr")
    add.focus()
    page.keyboard.press("Enter")
    year = page.get_by_label("Haushaltsjahr (Zeile 2)")
    assert year.evaluate("el => el === document.activeElement")
    page.keyboard.type("2028")
    page.get_by_label("laufender Aufwand geplant (EUR) (Zeile 2)").fill("1.200,50")
    page.get_by_label("Personal geplant (VZÄ) (Zeile 2)").fill("0,25")
    add.click()
    page.get_by_label("Haushaltsjahr (Zeile 3)").fill("2029")
    page.get_by_label("Folgekosten (EUR) (Zeile 3)").fill("-1")
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "form-1280.png")
    page.get_by_role("button", name="Maßnahme anlegen").click()
    # A negative amount: German message at the field, nothing stored, rows kept.
    expect(page.get_by_text("Bitte geben Sie keinen negativen Betrag an.").first).to_be_visible()
    assert not Measure.objects.exists()
    assert page.get_by_label("Haushaltsjahr (Zeile 2)").input_value() == "2028"
    assert_accessible(page)
    page.get_by_label("Dieses Haushaltsjahr entfernen (Zeile 3)").check()
    page.get_by_role("button", name="Maßnahme anlegen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Digitale Bauakte"
    measure = Measure.objects.get()
    assert sorted(measure.cost_plan.values_list("year", flat=True)) == [2027, 2028]
    assert measure.budget_planned == Decimal("21200.50")
    expect(
        page.get_by_role("region", name="Tabelle: Kostenplan nach Haushaltsjahren")
    ).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 900})
    shot(page, "detail-320.png")
    page.goto(f"/massnahmen/{measure.pk}/bearbeiten/")
    shot(page, "form-320.png")
