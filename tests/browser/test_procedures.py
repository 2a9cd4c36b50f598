"""The register, the consolidation overview and the coverage page in a real browser, with
axe-core, on a desktop and on a 320 px wide screen (the matrix scrolls in its own region)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from measures.models import Measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GV_CSV = "municipalities/data/destatis_gv_auszug_q4_luechow-dannenberg_raw.csv"
SEATS = "municipalities/data/samtgemeinde_sitze.csv"


@pytest.fixture
def demo_register(fields_of_action, settings):
    from procedures.models import Category
    from procedures.seed import ensure_categories

    ensure_categories(Category)
    call_command("import_municipalities", GV_CSV, seats=SEATS, verbosity=0)
    settings.PORTAL_DEMO_ALLOWED = True  # demo logins and register only where allowed
    call_command("seed_demo")
    call_command("seed_procedures_demo")
    settings.PORTAL_DEMO_ALLOWED = False


def _login(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill("demo")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("username", [None, "sg-elbtalaue", "koordination"])
def test_register_pages_have_no_axe_violations(page, demo_register, assert_accessible, username):
    if username:
        _login(page, username)
    paths = [
        "/fachverfahren/",
        "/fachverfahren/abdeckung/",
        "/fachverfahren/leistungen/",
        "/fachverfahren/leistungen/99050012104000/",
    ]
    if username:
        paths += [
            "/fachverfahren/kommune/sg-elbtalaue/",
            "/fachverfahren/kommune/sg-elbtalaue/neu/",
            "/fachverfahren/kommune/sg-elbtalaue/leistung/neu/",
        ]
    if username == "koordination":
        paths.append("/fachverfahren/import/")
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            page.goto(path)
            assert_accessible(page)
            # Wide tables scroll in their own region; the page never scrolls sideways.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
                f"{path} scrollt bei {width} px waagerecht"
            )
    if username:
        # At 320 px the page itself does not scroll sideways; the matrix region does.
        page.goto("/fachverfahren/")
        region = page.get_by_role("region", name="Eingesetzte Produkte je Kommune und Kategorie")
        assert region.evaluate("el => el.scrollWidth > el.clientWidth")
        region.focus()
        assert region.evaluate("el => document.activeElement === el")


def test_editor_maintains_the_register_and_starts_a_joint_measure(page, demo_register):
    _login(page, "sg-elbtalaue")
    page.goto("/fachverfahren/kommune/sg-elbtalaue/")
    page.get_by_role("link", name="Verfahren eintragen").click()
    page.get_by_label("Kategorie").select_option(label="Gewerbe")
    page.get_by_label("Produkt").fill("Gewerbeverfahren Test")
    page.get_by_label("Betrieb").select_option(label="IT-Dienstleister")
    page.get_by_role("button", name="Speichern").click()
    # German error, the typed product is kept.
    expect(page.get_by_text("Bitte nennen Sie den IT-Dienstleister.")).to_be_visible()
    assert page.get_by_label("Produkt").input_value() == "Gewerbeverfahren Test"
    page.get_by_label("IT-Dienstleister").fill("KDO")
    page.get_by_label("jährliche Kosten (EUR)").fill("1.200,00")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("„Gewerbeverfahren Test“ wurde gespeichert.")).to_be_visible()
    expect(page.get_by_text("1.200,00 €")).to_be_visible()

    page.goto("/fachverfahren/")
    page.get_by_role("link", name="Gemeinsame Maßnahme anlegen für Ratsinformationssystem").click()
    assert (
        page.locator("#id_field_of_action")
        .evaluate("el => el.selectedOptions[0].text")
        .startswith("2.")
    )
    assert (
        page.get_by_label("Titel").input_value() == "Gemeinsames Verfahren Ratsinformationssystem"
    )
    # The editor's own body leads, the other body whose contract ends is proposed as partner.
    lead = page.get_by_label("federführende Kommune")
    assert lead.evaluate("el => el.selectedOptions[0].text") == "Samtgemeinde Elbtalaue"
    partner = page.get_by_label("Beteiligte Kommune 1")
    assert partner.evaluate("el => el.selectedOptions[0].text") == "Samtgemeinde Gartow"
    page.get_by_label("Kurzbeschreibung").fill("Ein Ratsinformationssystem für alle.")
    page.get_by_role("button", name="Maßnahme anlegen").click()
    measure = Measure.objects.get(title="Gemeinsames Verfahren Ratsinformationssystem")
    assert measure.field_of_action.number == 2
    assert measure.lead_municipality.slug == "sg-elbtalaue"
    assert [p.municipality.slug for p in measure.partnerships.all()] == ["sg-gartow"]
