"""End to end in headless Chromium: review and publication flow, zero axe-core violations.

Uses the shared ``browser`` and ``assert_accessible`` fixtures of tests/browser/conftest.py;
each role gets its own browser context, logged in with a session from Django's test client.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client

from drafts.models import DraftState, StrategyDraft
from measures.models import Measure
from measures.review import ReviewState
from tests.factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page_as(browser, live_server, users):
    """A new page logged in as the given role (session cookie from Django's test client)."""
    contexts = []

    def open_page(role):
        context = browser.new_context(locale="de-DE", base_url=live_server.url)
        context.set_default_timeout(15_000)
        contexts.append(context)
        user = users[role]
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
            context.add_cookies(
                [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
            )
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_review_and_publication_flow(
    page_as, assert_accessible, district, users, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"],
        title="Digitaler Bauantrag",
        contact_name="Erika Geheimname",
        contact_role="Bauamt",
    )

    # The editor submits the measure.
    editor = page_as("editor_own")
    editor.goto(f"/massnahmen/{measure.pk}/")
    assert_accessible(editor)
    editor.get_by_role("button", name="Zur Prüfung einreichen").click()
    editor.get_by_text("zur Prüfung eingereicht").first.wait_for()

    # The coordinator finds it in the queue and returns it with a comment.
    coordinator = page_as("coordinator")
    coordinator.goto("/massnahmen/pruefung/")
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name="Digitaler Bauantrag").click()
    coordinator.get_by_label("Was soll geändert werden? (Pflichtangabe)").fill(
        "Bitte den Zeitplan ergänzen."
    )
    coordinator.get_by_role("button", name="Änderungen erbitten").click()
    coordinator.get_by_text("mit der Bitte um Änderungen zurückgegeben").wait_for()
    assert_accessible(coordinator)
    coordinator.goto("/massnahmen/pruefung/uebersicht/")
    assert_accessible(coordinator)

    # The editor sees on the dashboard what was returned and why, and submits again.
    editor.goto("/massnahmen/kommune/hitzacker-elbe/")
    returned = editor.get_by_role("region", name=re.compile("zurückgegeben"))
    assert "Bitte den Zeitplan ergänzen." in returned.inner_text()
    assert_accessible(editor)
    returned.get_by_role("link", name="Digitaler Bauantrag").click()
    editor.get_by_role("button", name="Zur Prüfung einreichen").click()
    editor.get_by_text("zur Prüfung eingereicht").first.wait_for()

    # The coordinator accepts it.
    coordinator.goto(f"/massnahmen/{measure.pk}/")
    coordinator.get_by_role("button", name="Annehmen").click()
    coordinator.get_by_text("Die Maßnahme wurde angenommen.").wait_for()
    assert Measure.objects.get(pk=measure.pk).review_state == ReviewState.ACCEPTED

    # The coordinator creates a draft, freezes it, waits for the PDF and publishes it.
    coordinator.goto("/entwurf/")
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name="Neue Version anlegen").click()
    coordinator.get_by_label("Titel").fill("Interkommunale Digitalisierungsstrategie")
    coordinator.get_by_label("Versionsbezeichnung").fill("Entwurf 1")
    coordinator.get_by_label("Datum des Kreistagsbeschlusses").fill("2026-06-18")
    coordinator.get_by_label("Sachverhalt und Begründung").fill("Gemeinsam digital.")
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Speichern").click()
    coordinator.get_by_role("link", name="Entwurf einfrieren …").click()
    coordinator.get_by_text("in ihrer angenommenen Fassung übernommen").wait_for()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Jetzt einfrieren und PDF erzeugen").click()
    coordinator.get_by_role("link", name=re.compile("PDF herunterladen")).wait_for(timeout=120_000)
    assert_accessible(coordinator)

    # The Abstimmung: the coordinator opens it, Hitzacker agrees with remarks, it is closed.
    coordinator.get_by_role("link", name="Abstimmung eröffnen").click()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Abstimmung eröffnen").click()
    coordinator.get_by_text("Die Abstimmung ist eröffnet").wait_for()
    assert_accessible(coordinator)
    editor.goto("/massnahmen/kommune/hitzacker-elbe/")
    tasks = editor.get_by_role("region", name="Meine Aufgaben")
    tasks.get_by_role("link", name="Stellungnahme abgeben").click()
    assert_accessible(editor)
    editor.get_by_label("Zustimmung mit Anmerkungen").check()
    editor.get_by_label("Begründung und Anmerkungen").fill("Bitte den Zeitplan straffen.")
    editor.get_by_role("button", name="Stellungnahme speichern").click()
    editor.get_by_text("Die Stellungnahme für Hitzacker (Elbe) ist gespeichert.").wait_for()
    assert_accessible(editor)
    coordinator.goto(f"/entwurf/{StrategyDraft.objects.get().pk}/abstimmung/")
    coordinator.get_by_role("link", name="Abstimmung abschließen").click()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Abstimmung abschließen").click()
    coordinator.get_by_text("Die Abstimmung ist abgeschlossen.").wait_for()
    coordinator.goto(f"/entwurf/{StrategyDraft.objects.get().pk}/")
    coordinator.get_by_role("link", name=re.compile("PDF herunterladen")).wait_for(timeout=120_000)
    coordinator.get_by_role("link", name="Dem Kreistag vorlegen …").click()
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Jetzt dem Kreistag vorlegen").click()
    coordinator.get_by_label("Beschluss des Kreistags am").fill("2026-12-10")
    coordinator.get_by_label("Drucksachennummer").fill("2026/123")
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="Beschluss speichern").click()
    coordinator.get_by_text("Der Beschluss des Kreistags wurde eingetragen.").wait_for()
    draft = StrategyDraft.objects.get()
    assert draft.state == DraftState.DECIDED and draft.drucksache_number == "2026/123"

    # The council and the public download the PDF; the public reads the measure.
    for role in ("council", "anonymous"):
        reader = page_as(role)
        reader.goto("/entwurf/")
        assert_accessible(reader)
        response = reader.request.get(f"/entwurf/{draft.pk}/pdf/")
        assert response.status == 200 and response.body().startswith(b"%PDF")
    public = page_as("anonymous")
    public.goto(f"/massnahmen/{measure.pk}/")
    assert "Digitaler Bauantrag" in public.content() and "Geheimname" not in public.content()
    assert_accessible(public)
