"""The LeiKa field of the measure form: choosing a service by name with the keyboard only."""

from pathlib import Path

import pytest

from measures.models import Measure
from procedures.catalogue import import_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXCERPT = Path(__file__).resolve().parents[2] / "procedures" / "data" / "leika_auszug.csv"


@pytest.fixture
def catalogue(transactional_db):
    import_catalogue(EXCERPT.read_bytes(), "leika_auszug.csv")


def test_editor_chooses_a_service_by_keyboard_at_320_px(
    page, login, users, catalogue, assert_accessible
):
    page.set_viewport_size({"width": 320, "height": 800})
    login("hitzacker")
    page.goto("/massnahmen/neu/")
    field = page.get_by_role("combobox", name="OZG-Leistung (LeiKa-Schlüssel)")
    listbox = page.get_by_role("listbox", name="Gefundene Leistungen")
    assert field.get_attribute("aria-expanded") == "false"
    assert field.get_attribute("aria-controls") == "id_leika_key-listbox"

    field.focus()
    page.keyboard.type("beantragen")
    listbox.wait_for()
    status = page.get_by_role("status").filter(has_text="gefunden")
    assert status.inner_text() == "6 Leistungen gefunden. Mit Pfeil nach unten wählen."
    page.keyboard.type(" wohn")
    page.get_by_role("status").filter(has_text="3 Leistungen gefunden").wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    assert listbox.get_by_role("option").count() == 3
    assert_accessible(page)  # with the list open

    # Escape closes the list and keeps the typed text; ArrowDown opens it again.
    page.keyboard.press("Escape")
    assert field.get_attribute("aria-expanded") == "false"
    assert listbox.is_hidden()
    assert field.input_value() == "beantragen wohn"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = listbox.get_by_role("option").nth(1)
    assert second.get_attribute("aria-selected") == "true"
    assert field.get_attribute("aria-activedescendant") == second.get_attribute("id")
    assert "Wohnberechtigungsschein beantragen" in second.inner_text()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")

    # Enter chooses the service instead of sending the form.
    page.keyboard.press("Enter")
    assert field.input_value() == "99107022012000"
    assert field.get_attribute("aria-expanded") == "false"
    assert field.get_attribute("aria-activedescendant") is None
    assert page.locator("#leika-service").inner_text() == (
        "Gewählte Leistung: Wohnberechtigungsschein beantragen"
    )
    assert page.url.endswith("/massnahmen/neu/")
    assert_accessible(page)

    page.get_by_label("Titel").fill("Wohnberechtigungsschein online")
    page.get_by_label("Kurzbeschreibung").fill("Antrag ohne Papier.")
    page.get_by_role("combobox", name="Handlungsfeld").select_option(
        label="1. Digitale Verwaltungsleistungen"
    )
    page.get_by_role("button", name="Maßnahme anlegen").click()
    page.get_by_role("heading", level=1, name="Wohnberechtigungsschein online").wait_for()
    assert Measure.objects.get().leika_key == "99107022012000"


def test_a_typed_key_names_its_service_and_nothing_found_is_said(page, login, users, catalogue):
    login("hitzacker")
    page.goto("/massnahmen/neu/")
    field = page.get_by_role("combobox", name="OZG-Leistung (LeiKa-Schlüssel)")
    field.focus()
    page.keyboard.type("99050012104000")
    page.get_by_text("Gewählte Leistung: Gewerbe anmelden").wait_for()
    page.keyboard.press("Escape")
    field.fill("")
    page.keyboard.type("Raumfahrt")
    page.get_by_role("status").filter(has_text="Keine Leistung im Katalog gefunden.").wait_for()
    assert field.get_attribute("aria-expanded") == "false"
    assert page.locator("#leika-service").inner_text() == ""


def test_an_empty_catalogue_asks_for_the_key(page, login, users):
    login("hitzacker")
    page.goto("/massnahmen/neu/")
    page.get_by_role("combobox", name="OZG-Leistung (LeiKa-Schlüssel)").focus()
    page.keyboard.type("Gewerbe")
    page.get_by_role("status").filter(has_text="noch nicht eingelesen").wait_for()
    assert page.get_by_role("listbox", include_hidden=True).is_hidden()
