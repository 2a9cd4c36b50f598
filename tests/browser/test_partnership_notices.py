"""Issue 19 in Chromium: the coordinator finds the requests nobody can answer, records an
answer on a body's behalf with its source, and presents a version without an Abstimmung only
after ticking the confirmation; axe-core at 1280 and 320 px."""

import datetime
import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from drafts.models import StrategyDraft
from drafts.workflow import freeze, store_pdf
from measures.models import Partnership
from measures.review import ReviewState, transition_to
from tests.drafts.conftest import media_root  # noqa: F401 - autouse fixture
from tests.factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")  # a folder: keep screenshots to look at


def _shot(page, name, width):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_coordinator_records_an_answer_for_a_body_nobody_acts_for(
    page, users, district, login, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Gemeinsames WLAN")
    Partnership.objects.create(measure=measure, municipality=district["gartow"])
    login("koordination")
    page.goto(reverse("measures:dashboard", args=[district["district"].slug]))
    expect(page.get_by_text("1 offene Anfrage zur Beteiligung")).to_be_visible()
    page.get_by_role("link", name="Diese Anfragen anzeigen").click()
    page.wait_for_url("**/beteiligung/offen/?niemand=1")
    expect(
        page.get_by_text("Niemand kann derzeit für Samtgemeinde Gartow antworten.")
    ).to_be_visible()
    assert_accessible(page)
    _shot(page, "offene-anfragen", width)
    page.get_by_role("link", name="Antwort mit Quelle eintragen").click()
    page.wait_for_url("**/eintragen/")
    assert_accessible(page)
    _shot(page, "antwort-eintragen", width)
    page.get_by_label("Die Kommune stimmt der Beteiligung zu").check()
    page.get_by_label("Schreiben vom").check()
    page.get_by_label("Datum der Quelle").fill("2026-12-01")
    page.get_by_role("button", name="Antwort mit Quelle eintragen").click()
    page.wait_for_url(f"**{measure.get_absolute_url()}")
    expect(page.get_by_text("Für Samtgemeinde Gartow eingetragen")).to_be_visible()
    assert page.get_by_text(
        "eingetragen von der Koordinierungsstelle auf Grund: Schreiben vom 1. Dezember 2026"
    ).first.is_visible()
    assert_accessible(page)
    _shot(page, "massnahme-im-auftrag", width)


@pytest.fixture
def draft(users, district):
    """A version with one accepted measure, frozen, with a stand-in PDF of 2,4 MB."""
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Dorf-App")
    transition_to(measure, ReviewState.SUBMITTED, users["coordinator"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    draft = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date(2026, 6, 18),
        introduction="Der Kreistag hat die Kreisverwaltung beauftragt.",
        created_by=users["coordinator"],
    )
    freeze(draft, users["coordinator"], render=False)
    return store_pdf(StrategyDraft.objects.get(pk=draft.pk), b"%PDF-1.7\n" + b"0" * 2_500_000, 3)


@pytest.mark.parametrize("width", [1280, 320])
def test_presenting_without_an_abstimmung_needs_the_checkbox(
    page, users, draft, login, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login("koordination")
    page.goto(reverse("drafts:publish", args=[draft.pk]))
    expect(page.get_by_text("(PDF, 2,4 MB)")).to_be_visible()
    assert_accessible(page)
    _shot(page, "vorlegen", width)
    page.get_by_label("Ich lege diese Version ohne Abstimmung mit den Kommunen vor.").check()
    page.get_by_role("button", name="Jetzt dem Kreistag vorlegen").click()
    page.wait_for_url(f"**{draft.get_absolute_url()}")
    expect(
        page.get_by_text("E-Mails werden verschickt: an 1 Mitglied des Kreistags")
    ).to_be_visible()
    assert_accessible(page)
    _shot(page, "vorgelegt", width)
