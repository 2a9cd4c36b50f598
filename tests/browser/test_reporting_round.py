"""A Berichtsrunde's pages: accessible, no sideways scroll at 320 px."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from evaluation.models import ProgressNote, ReportingRound, SourceKind
from measures.models import Status

from ..evaluation.factories import IndicatorFactory
from ..factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PORTAL_SCREENSHOTS")


def test_open_a_round_and_read_its_completeness(page, login, district, users, assert_accessible):
    hitzacker = MeasureFactory(
        lead_municipality=district["hitzacker"], status=Status.IN_PROGRESS, title="Online-Anträge"
    )
    IndicatorFactory(measure=hitzacker, name="Anteil online", source_kind=SourceKind.MANUAL)
    gorleben = MeasureFactory(
        lead_municipality=district["gorleben"], status=Status.PLANNED, title="Digitale Bauakte"
    )
    ProgressNote.objects.create(
        measure=gorleben,
        noted_on=datetime.date.today(),
        status=Status.PLANNED,
        percent_done=10,
        text="Ausschreibung vorbereitet.",
    )
    login("koordination")
    page.goto("/evaluierung/berichtsrunden/")
    page.get_by_label("Berichtszeitraum bis").fill("2000-01-01")
    page.get_by_role("button", name="Berichtsrunde eröffnen").click()
    expect(page.get_by_text("Der Berichtszeitraum endet vor seinem Beginn.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Berichtszeitraum bis").fill(f"{datetime.date.today().year}-12-31")
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    page.locator("#id_deadline").fill(deadline.isoformat())
    page.get_by_role("button", name="Berichtsrunde eröffnen").click()
    assert ReportingRound.objects.count() == 1
    expect(page.get_by_role("heading", name="Gorleben: vollständig")).to_be_visible()
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "round-1280.png"), full_page=True)
        page.set_viewport_size({"width": 320, "height": 900})
        page.screenshot(path=os.path.join(SHOTS, "round-320.png"), full_page=True)
