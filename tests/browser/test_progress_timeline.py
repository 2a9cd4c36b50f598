"""The Sachstand form and the measure's timeline: accessible, no sideways scroll at 320 px."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from evaluation.models import ProgressNote
from measures.models import Status

from ..evaluation.factories import AssessmentFactory, IndicatorFactory, MeasurementFactory
from ..factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


def test_write_a_note_and_read_the_timeline(page, login, district, users, assert_accessible):
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"], status=Status.IN_PROGRESS, title="Online-Anträge"
    )
    indicator = IndicatorFactory(measure=measure, name="Anteil online gestellter Anträge")
    MeasurementFactory(indicator=indicator, period=datetime.date(2025, 1, 1), value=45)
    AssessmentFactory(measure=measure, assessed_on=datetime.date(2026, 11, 1))
    ProgressNote.objects.create(
        measure=measure,
        noted_on=datetime.date(2026, 10, 1),
        status=Status.IN_PROGRESS,
        percent_done=30,
        text="Ausschreibung abgeschlossen; Zuschlag an einen Dienstleister aus der Region. "
        + "Ein sehr langes Wort: Donaudampfschifffahrtsgesellschaftskapitänsmützenhalter.",
        written_by=users["editor_own"],
    )
    login("hitzacker")
    page.goto(f"/evaluierung/massnahme/{measure.pk}/sachstand/neu/")
    page.get_by_label("Sachstand").fill("Schnittstelle zum Fachverfahren ist in Arbeit.")
    page.get_by_label("Fortschritt in Prozent").fill("101")
    page.get_by_role("button", name="Sachstand speichern").click()
    expect(page.get_by_text("zwischen 0 und 100 Prozent")).to_be_visible()
    assert_accessible(page)
    _shot(page, "progress-form-error.png")
    page.get_by_label("Fortschritt in Prozent").fill("45")
    page.get_by_role("button", name="Sachstand speichern").click()
    expect(page.get_by_text("Der Sachstand wurde gespeichert.")).to_be_visible()
    timeline = page.locator("#verlauf").locator("xpath=..")
    expect(timeline.get_by_text("Sachstand: in Umsetzung, 45\u00a0% umgesetzt")).to_be_visible()
    assert_accessible(page)
    _shot(page, "timeline-1280.png")
    page.set_viewport_size({"width": 320, "height": 900})
    _shot(page, "timeline-320.png")
