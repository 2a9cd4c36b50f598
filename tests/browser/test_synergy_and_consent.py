"""End to end in headless Chromium: synergies, joining, consent, withdrawal; zero axe-core
violations on every page visited, and no horizontal scrolling at 320 CSS px."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from measures import synergy
from measures.models import Measure, Partnership, PartnershipState
from measures.review import ReviewState, transition_to
from tests.factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_as(browser, live_server, users):
    """A new page logged in as the given role; fails on JavaScript or CSP errors."""
    contexts, errors = [], []

    def open_page(role):
        context = browser.new_context(locale="de-DE", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        client = Client()
        client.force_login(users[role])
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"Fehler im Browser: {errors}"


def check(page, assert_accessible):
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} ist bei 320 px {width} px breit"
    page.set_viewport_size({"width": 1280, "height": 800})


def test_synergy_join_and_consent(page_as, assert_accessible, district, users):
    apps = {}
    for key in ("hitzacker", "gorleben"):
        apps[key] = MeasureFactory(
            lead_municipality=district[key],
            title=f"Dorf-App für {district[key].name}",
            summary="Neuigkeiten, Termine und Nachbarschaftshilfe in einer App.",
        )
    transition_to(apps["gorleben"], ReviewState.SUBMITTED, users["editor_other"])
    synergy.recompute_all()

    # The coordinator sees the cluster and proposes the join.
    coordinator = page_as("coordinator")
    coordinator.goto("/massnahmen/synergien/")
    check(coordinator, assert_accessible)
    coordinator.get_by_role("link", name="Zusammenlegen vorschlagen (Gruppe 1)").click()
    coordinator.wait_for_url("**/synergien/zusammenlegen/**")
    check(coordinator, assert_accessible)
    coordinator.get_by_label("Federführung Hitzacker (Elbe)").check()
    coordinator.get_by_role("button", name="Kommunen um Zustimmung bitten").click()
    coordinator.wait_for_url(f"**/massnahmen/{apps['hitzacker'].pk}/")
    assert "um Zustimmung gebeten" in coordinator.content()
    check(coordinator, assert_accessible)
    partnership = Partnership.objects.get(measure=apps["hitzacker"])
    assert partnership.state == PartnershipState.REQUESTED

    # Gorleben's editor finds the request on the dashboard and confirms it.
    partner = page_as("editor_other")
    partner.goto("/massnahmen/kommune/gorleben/")
    check(partner, assert_accessible)
    partner.get_by_role("link", name="Anfrage beantworten").first.click()
    partner.wait_for_url("**/beteiligung/**")
    check(partner, assert_accessible)
    partner.get_by_role("button", name="Beteiligung bestätigen").click()
    partner.wait_for_url(f"**/massnahmen/{apps['hitzacker'].pk}/")
    assert "ist jetzt an der Maßnahme beteiligt" in partner.content()
    check(partner, assert_accessible)
    own = Measure.objects.get(pk=apps["gorleben"].pk)
    assert own.review_state == ReviewState.WITHDRAWN and own.joined_into_id == apps["hitzacker"].pk

    # The withdrawn measure points to the joint one.
    partner.goto(f"/massnahmen/{own.pk}/")
    assert "aufgegangen in der gemeinsamen Maßnahme" in partner.content()
    check(partner, assert_accessible)


def test_withdraw_and_delete_confirmation_pages(page_as, assert_accessible, district, users):
    submitted = MeasureFactory(lead_municipality=district["hitzacker"], title="Doppelt angelegt")
    transition_to(submitted, ReviewState.SUBMITTED, users["editor_own"])
    draft = MeasureFactory(lead_municipality=district["hitzacker"], title="Testeintrag")
    editor = page_as("editor_own")

    editor.goto(f"/massnahmen/{submitted.pk}/")
    editor.get_by_role("link", name="Maßnahme zurückziehen …").click()
    editor.wait_for_url("**/zurueckziehen/")
    check(editor, assert_accessible)
    editor.get_by_role("button", name="Maßnahme zurückziehen").click()
    editor.locator("#grund-fehler").wait_for()
    assert "Bitte geben Sie an, warum" in editor.content()
    check(editor, assert_accessible)
    editor.get_by_label("Warum wird die Maßnahme zurückgezogen? (Pflichtangabe)").fill(
        "Versehentlich doppelt angelegt."
    )
    editor.get_by_role("button", name="Maßnahme zurückziehen").click()
    editor.wait_for_url(f"**/massnahmen/{submitted.pk}/")
    assert "Diese Maßnahme ist zurückgezogen" in editor.content()

    editor.goto(f"/massnahmen/{draft.pk}/loeschen/")
    check(editor, assert_accessible)
    editor.get_by_role("button", name="Endgültig löschen").click()
    editor.wait_for_url("**/kommune/hitzacker-elbe/")
    assert not Measure.objects.filter(pk=draft.pk).exists()
