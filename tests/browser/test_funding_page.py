"""The funding page and the measure's money sections: accessible, at 320 px too."""

import datetime
import os
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from measures.models import CostPlanYear, FundingEntry, FundingProgramme, Measure
from tests.factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_enters_funding(page, login, users, district, assert_accessible):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitale Bauakte")
    CostPlanYear.objects.create(measure=measure, year=2027, investment_planned=Decimal("8000"))
    login("hitzacker")
    page.goto(f"/massnahmen/{measure.pk}/foerderung/")
    assert_accessible(page)
    # Every input has its label (axe above); the ids keep the steps short.
    page.locator("#id_funding-0-programme").select_option(label="LEADER (ELER) (Beispiel)")
    page.locator("#id_funding-0-year").fill("2027")
    page.locator("#id_funding-0-rate_percent").fill("150")
    page.locator("#id_funding-0-amount").fill("4.000")
    page.get_by_role("button", name="Förderungen speichern").click()
    expect(page.get_by_text("zwischen 0 und 100 %").first).to_be_visible()
    assert not FundingEntry.objects.exists()
    assert_accessible(page)
    page.locator("#id_funding-0-rate_percent").fill("50")
    page.locator("#id_funding-0-state").select_option(label="bewilligt")
    page.locator("#id_funding-0-decided_on").fill("2027-02-01")
    page.get_by_role("button", name="Förderungen speichern").click()
    expect(page.get_by_text("wurden gespeichert")).to_be_visible()
    entry = FundingEntry.objects.get()
    assert entry.amount == Decimal("4000.00") and entry.programme == FundingProgramme.objects.get(
        name="LEADER (ELER)"
    )
    page.goto(Measure.objects.get().get_absolute_url())
    expect(page.get_by_role("heading", name="Anteile der Kommunen")).to_be_visible()
    assert_accessible(page)
    assert entry.decided_on == datetime.date(2027, 2, 1)


SHOTS = os.environ.get("PORTAL_SCREENSHOTS")  # a folder for looking at the pages


def test_further_funding_rows_are_added_by_keyboard_at_320_px(
    page, login, users, district, assert_accessible
):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitale Bauakte")
    login("hitzacker")
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"/massnahmen/{measure.pk}/foerderung/")
    # With JavaScript the button replaces the hint to save first.
    expect(page.get_by_text("danach steht eine weitere leere Zeile bereit")).to_be_hidden()
    page.locator("#id_funding-0-programme").select_option(label="LEADER (ELER) (Beispiel)")
    page.locator("#id_funding-0-year").fill("2027")
    page.locator("#id_funding-0-amount").fill("4.000")
    add = page.get_by_role("button", name="Weitere Förderung hinzufügen")
    add.focus()
    page.keyboard.press("Enter")
    programme = page.locator("#id_funding-1-programme")
    assert programme.evaluate("el => el === document.activeElement")
    assert page.locator("#id_funding-TOTAL_FORMS").input_value() == "2"
    programme.select_option(label="Zukunftsregionen in Niedersachsen (Beispiel)")
    page.locator("#id_funding-1-year").fill("2028")
    page.locator("#id_funding-1-amount").fill("1.500,50")
    add.click()
    page.locator("#id_funding-2-year").fill("0")
    page.locator("#id_funding-2-amount").fill("10")
    assert_accessible(page)
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, "funding-add-320.png"), full_page=True)
    page.get_by_role("button", name="Förderungen speichern").click()
    # A bad row in the added ones: German message at the field, nothing stored, rows kept.
    expect(page.get_by_text("Haushaltsjahr von 2000 bis 2100").first).to_be_visible()
    assert not FundingEntry.objects.exists()
    assert page.locator("#id_funding-1-amount").input_value() == "1.500,50"
    assert_accessible(page)
    page.get_by_label("Diese Förderung entfernen (Förderung 3)").check()
    page.get_by_role("button", name="Förderungen speichern").click()
    expect(page.get_by_text("wurden gespeichert")).to_be_visible()
    assert sorted(measure.funding.values_list("year", "amount")) == [
        (2027, Decimal("4000.00")),
        (2028, Decimal("1500.50")),
    ]
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "funding-1280.png"), full_page=True)
