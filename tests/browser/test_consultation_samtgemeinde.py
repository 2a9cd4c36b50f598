"""The Samtgemeinde Elbtalaue's editor answers the Abstimmung for the Samtgemeinde and its
ten members in one submit, one member deviating (issue 19 §3): axe at 1280 and 320 px."""

import datetime
import os
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from drafts.consultation import open_consultation
from drafts.models import EntryKind, Position, Stance, StrategyDraft
from drafts.workflow import freeze
from fields_of_action.models import FieldOfAction
from measures.review import ReviewState, transition_to
from municipalities.models import Municipality, MunicipalityKind, Role
from tests.conftest import GV_CSV, SEATS
from tests.factories import MeasureFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")  # a directory to keep screenshots in


@pytest.fixture
def consulted(fields_of_action):
    """The real district, two accepted measures with the same title, an open Abstimmung."""
    call_command("import_municipalities", GV_CSV, seats=SEATS)
    district = Municipality.objects.get(kind=MunicipalityKind.DISTRICT)
    elbtalaue = Municipality.objects.get(ars="033545406")
    gartow = Municipality.objects.get(ars="033545403")
    coordinator = UserFactory(username="koordination")
    MembershipFactory(user=coordinator, municipality=district, role=Role.COORDINATOR)
    editor = UserFactory(username="sg-elbtalaue", first_name="Miriam", last_name="Schulze")
    MembershipFactory(user=editor, municipality=elbtalaue, role=Role.EDITOR)
    field = FieldOfAction.objects.order_by("number").first()
    for lead in (elbtalaue, gartow):
        measure = MeasureFactory(
            lead_municipality=lead,
            field_of_action=field,
            title="Papierlose Gremienarbeit mit Tablets",
        )
        transition_to(measure, ReviewState.SUBMITTED, coordinator)
        transition_to(measure, ReviewState.ACCEPTED, coordinator)
    draft = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date.today() - datetime.timedelta(days=60),
    )
    draft = freeze(draft, coordinator, render=False)
    open_consultation(draft, coordinator, datetime.date.today() + datetime.timedelta(days=14))
    return draft, elbtalaue


def _coordinator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="koordination")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


@pytest.mark.parametrize("width", [1280, 320])
def test_the_elbtalaue_editor_answers_for_all_eleven_bodies_in_one_submit(
    page, consulted, login, assert_accessible, width
):
    draft, elbtalaue = consulted
    members = list(Municipality.objects.filter(parent=elbtalaue).order_by("tree_path"))
    assert len(members) == 10
    dannenberg = next(m for m in members if m.ars == "033545406004")
    page.set_viewport_size({"width": width, "height": 900})
    login("sg-elbtalaue")
    page.goto(reverse("drafts:consultation", args=[draft.pk]))
    page.get_by_role(
        "heading", name="Stellungnahmen der Samtgemeinde Elbtalaue und ihrer Mitgliedsgemeinden"
    ).wait_for()
    assert_accessible(page)
    _shot(page, f"form-{width}.png")
    # The remark's measure list tells the two measures of the same title apart.
    options = page.get_by_label("Maßnahme").first.locator("option").all_inner_texts()
    assert any(
        o.endswith("· Papierlose Gremienarbeit mit Tablets · Samtgemeinde Gartow") for o in options
    )
    assert any(
        o.endswith("· Papierlose Gremienarbeit mit Tablets · Samtgemeinde Elbtalaue")
        for o in options
    )

    page.get_by_role("group", name="Stellungnahme der Samtgemeinde Elbtalaue").get_by_label(
        "Zustimmung", exact=True
    ).check()
    deviating = page.get_by_role("group", name=f"Stellungnahme von {dannenberg}")
    deviating.get_by_label("Ablehnung").check()
    page.get_by_label(f"Begründung von {dannenberg}").fill(
        "Der Rat der Stadt hat am 1. Dezember abgelehnt."
    )
    page.get_by_role("button", name="Stellungnahmen speichern").click()
    page.get_by_text(
        "Die Stellungnahmen für die Samtgemeinde Elbtalaue und 10 Mitgliedsgemeinden sind "
        "gespeichert."
    ).wait_for()
    assert_accessible(page)
    _shot(page, f"saved-{width}.png")

    positions = {p.municipality_id: p for p in Position.objects.all()}
    assert len(positions) == 11
    assert positions[elbtalaue.pk].stance == Stance.AGREE
    assert positions[dannenberg.pk].stance == Stance.OBJECT
    assert positions[dannenberg.pk].entered_as == EntryKind.ADMINISTRATION
    followers = [positions[m.pk] for m in members if m.pk != dannenberg.pk]
    assert all(p.follows_samtgemeinde and p.stance == Stance.AGREE for p in followers)
    # The status table marks who entered the members' positions.
    assert page.get_by_text(
        f"eingetragen von der Samtgemeinde Elbtalaue für {dannenberg}"
    ).is_visible()


@pytest.mark.parametrize("width", [1280, 320])
def test_the_coordinator_enters_a_letter_reminds_and_confirms_a_late_deadline(
    page, consulted, login, assert_accessible, width
):
    draft, _elbtalaue = consulted
    gartow = Municipality.objects.get(ars="033545403")
    page.set_viewport_size({"width": width, "height": 900})
    login("koordination")
    page.goto(reverse("drafts:consultation", args=[draft.pk]) + f"?kommune={gartow.pk}")
    page.get_by_role(
        "heading", name="Stellungnahme im Auftrag von Samtgemeinde Gartow eintragen"
    ).wait_for()
    assert_accessible(page)
    _shot(page, f"on-behalf-{width}.png")
    page.get_by_label("Ablehnung").check()
    page.get_by_label("Begründung und Anmerkungen").fill("Laut Schreiben zu teuer.")
    page.get_by_role("combobox", name=re.compile("^Quelle")).select_option(label="Schreiben vom")
    page.get_by_label("vom (Datum)").fill((datetime.date.today()).isoformat())
    page.get_by_role("button", name="Stellungnahme speichern").click()
    page.get_by_text("Die Stellungnahme für Samtgemeinde Gartow ist gespeichert.").wait_for()
    assert page.get_by_text(
        "eingetragen von der Koordinierungsstelle für Samtgemeinde Gartow"
    ).first.is_visible()

    page.get_by_role("link", name="Kommunen ohne Stellungnahme erinnern").click()
    page.get_by_role("heading", name="An die Abstimmung erinnern?").wait_for()
    expect(page.get_by_text("Niemand wird benachrichtigt für")).to_be_visible()
    assert_accessible(page)
    _shot(page, f"remind-{width}.png")
    page.get_by_role("button", name="Erinnerung senden").click()
    page.get_by_text("Erinnerung verschickt: 1 E-Mail an 1 Person").wait_for()

    # A second version: its deadline after the Kreistag deadline needs a confirmation.
    second = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 2",
        resolution_date=datetime.date.today() - datetime.timedelta(days=30),
        council_meeting_date=datetime.date.today() + datetime.timedelta(days=20),
    )
    freeze(second, _coordinator(), render=False)
    page.goto(reverse("drafts:consultation_open", args=[second.pk]))
    late = datetime.date.today() + datetime.timedelta(days=40)
    page.get_by_label("Frist für die Stellungnahmen").fill(late.isoformat())
    page.get_by_role("button", name="Abstimmung eröffnen").click()
    page.get_by_text("Ja, die Frist soll trotzdem erst am").wait_for()
    assert_accessible(page)
    _shot(page, f"late-deadline-{width}.png")
    page.get_by_label(re.compile("Ja, die Frist soll trotzdem")).check()
    page.get_by_role("button", name="Abstimmung eröffnen").click()
    page.get_by_text("Die Abstimmung ist eröffnet.").wait_for()
