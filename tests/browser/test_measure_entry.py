"""An editor logs in, creates a measure through the form and finds it in the list."""

import pytest
from playwright.sync_api import expect

from measures.models import Measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_creates_and_finds_a_measure(page, login, users, assert_accessible):
    page.goto("/")
    assert_accessible(page)
    login("hitzacker")
    # The editor lands on the dashboard of Hitzacker (Elbe), empty for now.
    assert page.get_by_role("heading", level=1).inner_text() == "Stadt Hitzacker (Elbe)"
    expect(page.get_by_text("noch keine Maßnahmen erfasst")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Neue Maßnahme anlegen").click()
    assert_accessible(page)
    # Submitting empty shows German errors next to the fields, and the page stays accessible.
    page.get_by_role("button", name="Maßnahme anlegen").click()
    expect(page.get_by_text("Bitte prüfen Sie die markierten Angaben.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Titel").fill("Digitale Sprechstunde für Seniorinnen und Senioren")
    page.get_by_label("Kurzbeschreibung").fill("Ehrenamtliche Digitallotsen helfen im Rathaus.")
    page.get_by_role("combobox", name="Handlungsfeld").select_option(
        label="6. Digitale Teilhabe und Barrierefreiheit"
    )
    page.get_by_label("Bürgerinnen und Bürger").check()
    page.get_by_label("Umsetzungsstand").select_option(label="in Umsetzung")
    page.get_by_label("geplanter Beginn").fill("2027-02")
    page.get_by_label("Haushaltsjahr (Zeile 1)").fill("2027")
    page.get_by_label("laufender Aufwand geplant (EUR)").fill("4.800,00")
    page.get_by_label("Beteiligte Kommune 1").select_option(label="Gorleben")
    page.get_by_role("button", name="Maßnahme anlegen").click()

    assert page.get_by_role("heading", level=1).inner_text() == (
        "Digitale Sprechstunde für Seniorinnen und Senioren"
    )
    expect(page.get_by_text("4.800,00 € geplant")).to_be_visible()
    # Gorleben is only asked; it counts once it has agreed.
    assert page.locator(".partnership-requested").inner_text() == "angefragt"
    assert_accessible(page)

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Maßnahmen"
    ).click()
    page.get_by_label("Suche").fill("Sprechstunde")
    page.get_by_role("combobox", name="Handlungsfeld").select_option(
        label="6. Digitale Teilhabe und Barrierefreiheit"
    )
    page.get_by_role("button", name="Anwenden").click()
    page.wait_for_url("**q=Sprechstunde**")
    link = page.get_by_role("link", name="Digitale Sprechstunde für Seniorinnen und Senioren")
    expect(link).to_be_visible()
    assert page.get_by_text("gemeinsam mit: Gorleben").count() == 0
    assert_accessible(page)

    measure = Measure.objects.get()
    assert measure.lead_municipality.slug == "hitzacker-elbe"
    assert measure.status == "in_progress"


def test_keyboard_user_reaches_content_through_the_skip_link(page, users):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    assert skip.evaluate("el => el === document.activeElement")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#inhalt"


def test_partner_rows_and_goal_filter_with_javascript(page, login, users, assert_accessible):
    from fields_of_action.models import FieldOfAction, Goal

    Goal.objects.create(field_of_action=FieldOfAction.objects.get(number=1), title="Alles online")
    Goal.objects.create(field_of_action=FieldOfAction.objects.get(number=6), title="Digitallotsen")
    login("sg-elbtalaue")
    page.goto("/massnahmen/neu/")
    page.get_by_role("combobox", name="Handlungsfeld").select_option(
        label="6. Digitale Teilhabe und Barrierefreiheit"
    )
    expect(page.get_by_label("Handlungsfeld 6: Digitallotsen")).to_be_visible()
    expect(page.get_by_label("Handlungsfeld 1: Alles online")).to_be_hidden()
    page.get_by_role("button", name="Weitere beteiligte Kommune").click()
    expect(page.get_by_label("Beteiligte Kommune 3", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Digitallotsen in allen Mitgliedsgemeinden")
    page.get_by_label("Kurzbeschreibung").fill("Sprechstunden in Dorfgemeinschaftshäusern.")
    page.get_by_label("Federführende Kommune").select_option(label="Samtgemeinde Elbtalaue")
    page.get_by_label("Handlungsfeld 6: Digitallotsen").check()
    page.get_by_label("Beteiligte Kommune 1", exact=True).select_option(label="Hitzacker (Elbe)")
    page.get_by_label("Beteiligte Kommune 3", exact=True).select_option(label="Dannenberg (Elbe)")
    page.get_by_label("Kostenanteil in % (Kommune 3)").fill("25")
    page.get_by_role("button", name="Maßnahme anlegen").click()
    expect(page.get_by_text("Dannenberg (Elbe) (25 % der Kosten)")).to_be_visible()
    expect(page.locator("dd li", has_text="Hitzacker (Elbe)").first).to_be_visible()
