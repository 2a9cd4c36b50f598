"""Issue 23 §2 and §3 in Chromium at 1280 and 320 px, axe-clean: a council member follows the
home page's link to the measures of the Vorlage and reads a measure changed since, the Vorlage's
version first; the coordinator's Übersicht shows what waits."""

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from drafts import adoption
from drafts.adoption_models import DeliberationStep, StepRole
from drafts.consultation import open_consultation
from drafts.models import RenderState, StrategyDraft
from drafts.workflow import freeze, publish
from evaluation.models import CollectionRound
from measures.models import Measure, Partnership, ReviewState
from tests.drafts.conftest import accept, media_root  # noqa: F401 - autouse fixture
from tests.factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")  # a folder: keep screenshots to look at


def _shot(page, name, width):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)


@pytest.fixture
def world(district, users):
    """Entwurf 1 presented with two measures, one of them edited since; a second version
    frozen with an open Abstimmung, a council that has met, a round, a request nobody
    answers and a measure waiting for review."""
    kept = accept(
        MeasureFactory(lead_municipality=district["hitzacker"], title="Breitband im Rathaus"),
        users,
    )
    changed = accept(
        MeasureFactory(lead_municipality=district["gorleben"], title="Dorf-App in der Vorlage"),
        users,
    )
    coordinator = users["coordinator"]
    first = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date(2026, 6, 18),
        created_by=coordinator,
    )
    freeze(first, coordinator, render=False)
    StrategyDraft.objects.filter(pk=first.pk).update(
        render_state=RenderState.READY, pdf="entwuerfe/test.pdf"
    )
    publish(StrategyDraft.objects.get(pk=first.pk), coordinator, without_consultation=True)
    Measure.objects.filter(pk=changed.pk).update(
        title="Dorf-App, überarbeitet",
        review_state=ReviewState.SUBMITTED,
        updated_at=timezone.now(),
    )
    MeasureFactory(lead_municipality=district["hitzacker"], title="Noch nicht vorgelegt")
    second = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 2",
        resolution_date=datetime.date(2026, 6, 18),
        created_by=coordinator,
    )
    second = freeze(second, coordinator, render=False)
    open_consultation(second, coordinator, timezone.localdate() + datetime.timedelta(days=10))
    adoption.set_up(second, coordinator)
    DeliberationStep.objects.filter(
        procedure__municipality=district["gartow"], role=StepRole.DECIDES
    ).update(meeting_date=timezone.localdate() - datetime.timedelta(days=1))
    CollectionRound.objects.create(
        title="Jahreswerte 2026",
        period=datetime.date(2026, 12, 31),
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        opened_by=coordinator,
    )
    Partnership.objects.create(measure=kept, municipality=district["gartow"])
    return {"kept": kept, "changed": changed}


@pytest.mark.parametrize("width", [1280, 320])
def test_the_council_reads_the_vorlage_and_the_coordinator_what_waits(
    page, world, login, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login("kreistag")
    page.goto(reverse("home"))
    page.get_by_role("link", name="Die 2 Maßnahmen der Vorlage ansehen").click()
    page.wait_for_url("**/massnahmen/?vorgelegt=1")
    expect(page.get_by_text("2 Maßnahmen der Vorlage")).to_be_visible()
    assert page.get_by_label("Vorlage an den Kreistag").input_value() == "1"
    expect(page.get_by_role("link", name="Dorf-App in der Vorlage")).to_be_visible()
    assert page.get_by_text("Noch nicht vorgelegt").count() == 0
    assert_accessible(page)
    _shot(page, "vorlage-liste", width)
    page.get_by_role("link", name="Dorf-App in der Vorlage").click()
    page.wait_for_url(f"**{world['changed'].get_absolute_url()}")
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    vorlage = next(i for i, h in enumerate(headings) if h.startswith("Fassung der Vorlage"))
    current = next(i for i, h in enumerate(headings) if h.startswith("Aktuelle Bearbeitung"))
    assert vorlage < current
    assert_accessible(page)
    _shot(page, "vorlage-massnahme", width)
    page.context.clear_cookies()
    login("koordination")
    page.goto(reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"]))
    cockpit = page.get_by_role("region", name="Was auf Sie wartet")
    expect(cockpit.get_by_text("1 Maßnahme wartet auf Ihre Prüfung")).to_be_visible()
    expect(cockpit.get_by_text("Offen bis")).to_be_visible()
    expect(cockpit.get_by_text("1 Rat hat über die Strategie beraten")).to_be_visible()
    expect(cockpit.get_by_role("link", name="Diese Anfragen anzeigen")).to_be_visible()
    expect(cockpit.get_by_text("Datenerhebungsrunde „Jahreswerte 2026“")).to_be_visible()
    assert_accessible(page)
    _shot(page, "cockpit", width)
    cockpit.get_by_role("link", name="Zur Prüfliste").click()
    page.wait_for_url("**/massnahmen/pruefung/")
