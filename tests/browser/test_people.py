"""Inviting a colleague in Chromium: axe-core, 320 px, the whole way to the first login."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url}: {width} px breit bei {viewport} px"


@pytest.mark.parametrize("width", [1280, 320])
def test_coordinator_invites_a_person_who_then_logs_in(
    page, users, district, login, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    users["coordinator"].set_password("geheim-123")
    users["coordinator"].save()
    login("koordination")
    page.goto(reverse("people:list"))
    assert_accessible(page)
    _fits(page)
    page.get_by_role("link", name="Person einladen").click()
    assert_accessible(page)
    _fits(page)
    page.get_by_label("Vorname").fill("Greta")
    page.get_by_label("Nachname").fill("Neu")
    page.get_by_label("E-Mail-Adresse").fill("greta@example.org")
    page.get_by_label("Kommune").select_option(label="Hitzacker (Elbe)")
    page.get_by_label("Rolle").select_option(label="Redaktion")
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_url("**/personen/*/")
    expect(page.get_by_text("Die Einladung ist an greta@example.org unterwegs")).to_be_visible()
    link = re.search(r"/personen/einladung/\S+/", mail.outbox[-1].body).group(0)
    # The link to pass on by hand, copied with the keyboard; shown only this once.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    field = page.get_by_label("Einladungslink für Greta Neu")
    assert field.input_value().endswith(link)
    field.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Link kopieren"
    page.keyboard.press("Enter")
    page.get_by_text("Der Link ist kopiert").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").endswith(link)
    assert_accessible(page)
    _fits(page)
    page.reload()
    assert page.get_by_label("Einladungslink für Greta Neu").count() == 0
    page.get_by_role("link", name="Person deaktivieren").click()
    assert_accessible(page)
    page.get_by_role("button", name="Abmelden").click()
    page.goto(link)
    assert_accessible(page)
    _fits(page)
    page.locator("#id_new_password1").fill("Elbe-Deich-2026!")
    page.locator("#id_new_password2").fill("Elbe-Deich-2026!")
    page.get_by_role("button", name="Passwort speichern").click()
    # Logged in at once, on the Übersicht of the body.
    page.get_by_text("Sie sind angemeldet").wait_for()
    assert "hitzacker" in page.url
    assert_accessible(page)
    page.get_by_role("button", name="Abmelden").click()
    page.goto(reverse("login"))
    page.get_by_label("E-Mail-Adresse oder Benutzername").fill("Greta@Example.org")
    page.get_by_label("Passwort").fill("Elbe-Deich-2026!")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    assert "hitzacker" in page.url
