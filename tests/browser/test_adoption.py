"""The adoption pages in the browser (issue 20): the coordinator sets up the deciding councils,
the Samtgemeinde Elbtalaue's editor fills in its Beratungsfolge and records its council's
decision with the Beschlussauszug; the public sees the decision. axe at 1280 and 320 px."""

import datetime
import io
import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfWriter

from drafts import adoption
from drafts.adoption_models import CouncilDecision, DecisionProcedure, Outcome
from drafts.models import DraftState, StrategyDraft
from drafts.workflow import freeze
from fields_of_action.models import FieldOfAction
from measures.review import ReviewState, transition_to
from municipalities.models import Municipality, MunicipalityKind, Role
from tests.conftest import GV_CSV, SEATS
from tests.factories import MeasureFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")  # a directory to keep screenshots in


@pytest.fixture
def presented(fields_of_action, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("import_municipalities", GV_CSV, seats=SEATS)
    district = Municipality.objects.get(kind=MunicipalityKind.DISTRICT)
    elbtalaue = Municipality.objects.get(ars="033545406")
    coordinator = UserFactory(username="koordination")
    MembershipFactory(user=coordinator, municipality=district, role=Role.COORDINATOR)
    editor = UserFactory(username="sg-elbtalaue")
    MembershipFactory(user=editor, municipality=elbtalaue, role=Role.EDITOR)
    for lead in (elbtalaue, Municipality.objects.get(ars="033545406009")):
        measure = MeasureFactory(
            lead_municipality=lead, field_of_action=FieldOfAction.objects.first()
        )
        transition_to(measure, ReviewState.SUBMITTED, coordinator)
        transition_to(measure, ReviewState.ACCEPTED, coordinator)
    draft = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date.today() - datetime.timedelta(days=90),
    )
    draft = freeze(draft, coordinator, render=False)
    StrategyDraft.objects.filter(pk=draft.pk).update(
        state=DraftState.PUBLISHED,
        published_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=20),
    )
    return draft, elbtalaue


def _shot(page, name, width):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_setting_up_keeping_and_recording_the_adoption(
    page, presented, login, assert_accessible, width, tmp_path
):
    draft, elbtalaue = presented
    page.set_viewport_size({"width": width, "height": 900})
    login("koordination")
    page.goto(reverse("drafts:adoption", args=[draft.pk]))
    page.get_by_role("button", name="Kreistag und Samtgemeinderäte eintragen").click()
    page.wait_for_load_state()
    assert DecisionProcedure.objects.filter(draft=draft).count() == 4
    hitzacker = Municipality.objects.get(ars="033545406009")
    page.get_by_label("Weitere beschließende Kommune").select_option(value=str(hitzacker.pk))
    page.get_by_role("button", name="Hinzufügen").click()
    page.wait_for_load_state()
    assert f"Beschlussverfahren: {hitzacker}" in page.content()
    assert_accessible(page)
    _shot(page, "adoption-procedure", width)
    page.context.clear_cookies()

    login("sg-elbtalaue")
    page.goto(reverse("drafts:procedure", args=[draft.pk, elbtalaue.slug]))
    page.get_by_label("Vorlage Nr.").fill("SG-2027/17")
    page.locator("#id_schritte-0-meeting_date").fill(
        (datetime.date.today() - datetime.timedelta(days=10)).isoformat()
    )
    page.locator("#id_schritte-1-meeting_date").fill(
        (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    )
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()
    assert "ist gespeichert" in page.content()
    page.goto(reverse("drafts:decision_record", args=[draft.pk, elbtalaue.slug]))
    assert_accessible(page)
    _shot(page, "adoption-decision-form", width)
    extract = tmp_path / "auszug.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    extract.write_bytes(buffer.getvalue())
    page.get_by_label("Beschluss vom").fill(
        (datetime.date.today() - datetime.timedelta(days=2)).isoformat()
    )
    page.get_by_label("Ergebnis").select_option(label="beschlossen")
    page.get_by_label("Beschlussauszug (PDF, höchstens 20 MB)").set_input_files(str(extract))
    page.get_by_role("button", name="Beschluss eintragen").click()
    page.wait_for_load_state()
    decision = CouncilDecision.objects.get()
    assert decision.outcome == Outcome.ADOPTED and decision.extract_sha256
    assert "in Kraft" in page.content()
    assert_accessible(page)
    _shot(page, "adoption-overview-editor", width)
    page.context.clear_cookies()

    page.goto(reverse("drafts:adoption", args=[draft.pk]))
    assert "Beschlussauszug" not in page.content()
    assert_accessible(page)
    _shot(page, "adoption-overview-public", width)
    page.goto(draft.get_absolute_url())
    assert_accessible(page)
    _shot(page, "draft-detail-public", width)
    page.goto(reverse("measures:dashboard", args=[elbtalaue.slug]))
    assert "ist für Samtgemeinde Elbtalaue in Kraft" in page.content()
    assert_accessible(page)
    assert adoption.in_force()
