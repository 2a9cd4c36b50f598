"""'Meine Aufgaben' on an editor's dashboard (issue 8 §5): measures and evaluation providers."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from core import data_version
from evaluation.models import CollectionRound
from measures.models import Status
from measures.review import ReviewState
from tests.factories import MeasureFactory

from .factories import AssessmentFactory, IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def dashboard(client, slug="hitzacker-elbe"):
    return client.get(reverse("measures:dashboard", args=[slug]))


def tasks_text(response):
    return " ".join(f"{t.title}: {t.text}" for t in response.context["tasks"])


@pytest.fixture
def setup(district, users, time_machine):
    time_machine.move_to(TODAY)
    hitzacker = district["hitzacker"]
    MeasureFactory(lead_municipality=hitzacker, title="Entwurf A")
    MeasureFactory(lead_municipality=hitzacker, title="Entwurf B")
    returned = MeasureFactory(
        lead_municipality=hitzacker,
        title="Zurückgegeben",
        review_state=ReviewState.CHANGES_REQUESTED,
    )
    active = MeasureFactory(
        lead_municipality=hitzacker,
        title="Online-Anträge",
        status=Status.IN_PROGRESS,
        review_state=ReviewState.SUBMITTED,
    )
    # Created two years ago and never assessed: overdue.
    type(active).objects.filter(pk=active.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=730)
    )
    share = IndicatorFactory(
        measure=active, name="Anteil online", baseline_date=datetime.date(2023, 1, 1)
    )
    days = IndicatorFactory(measure=active, name="Bearbeitungszeit", unit="Tage")
    MeasurementFactory(indicator=days, period=datetime.date(2026, 1, 1), value=D("9"))
    collection_round = CollectionRound.objects.create(
        title="Jahreswerte 2026",
        period=datetime.date(2026, 6, 30),
        deadline=datetime.date(2027, 1, 25),
        opened_by=users["coordinator"],
    )
    # Another body's measure never shows up on Hitzacker's list.
    MeasureFactory(lead_municipality=district["gorleben"], title="Gorlebener Entwurf")
    return {"returned": returned, "active": active, "share": share, "round": collection_round}


def test_editor_sees_all_their_tasks(as_role, setup):
    response = dashboard(as_role("editor_own"))
    text = tasks_text(response)
    assert "Noch nicht eingereicht: 2 Maßnahmen sind noch Entwürfe" in text
    assert "Zurückgegeben: 1 Maßnahme hat die Koordinierungsstelle" in text
    assert "Datenerhebungsrunde „Jahreswerte 2026“" in text
    assert "fehlen noch 1 von 2 Werten: Anteil online (2026). Frist: 25. Januar 2027." in text
    assert "Bewertung fällig: 1 Maßnahme wurde seit über einem Jahr nicht bewertet" in text
    assert "Wert fehlt: 1 Indikator hat keinen aktuellen Wert" in text and "Anteil online" in text
    page = response.content.decode()
    assert "Meine Aufgaben" in page
    assert reverse("measures:list") + "?municipality=hitzacker-elbe&amp;review=draft" in page
    assert 'href="#zurueckgegeben-titel"' in page and 'id="zurueckgegeben-titel"' in page
    assert reverse("evaluation:round_entry", args=[setup["round"].pk, "hitzacker-elbe"]) in page
    # The round comes first: it has a deadline.
    assert response.context["tasks"][0].title.startswith("Datenerhebungsrunde")


def test_samtgemeinde_editor_sees_the_tasks_of_its_members(as_role, setup):
    text = tasks_text(dashboard(as_role("samtgemeinde_editor"), "sg-elbtalaue"))
    assert "2 Maßnahmen sind noch Entwürfe" in text
    assert "Für Hitzacker (Elbe) fehlen noch 1 von 2 Werten" in text


@pytest.mark.parametrize("role", ["anonymous", "editor_other", "council", "coordinator"])
def test_others_see_no_tasks_of_hitzacker(as_role, role, setup):
    assert dashboard(as_role(role)).context["tasks"] == []


def test_a_complete_body_is_thanked_and_assessed_measures_are_not_overdue(as_role, setup):
    MeasurementFactory(indicator=setup["share"], period=datetime.date(2026, 1, 1), value=D("40"))
    AssessmentFactory(measure=setup["active"], assessed_on=datetime.date(2026, 11, 1))
    text = tasks_text(dashboard(as_role("editor_own")))
    assert "Alle 2 Werte von Hitzacker (Elbe) liegen vor" in text
    assert "Bewertung fällig" not in text and "Wert fehlt" not in text


def test_task_queries_are_constant(as_role, setup, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_role("editor_own")
    dashboard(client)  # warm the session

    def count():
        data_version.changed()  # both requests compute the dashboard's counts afresh
        with CaptureQueriesContext(connection) as captured:
            assert dashboard(client).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for i in range(8):
        measure = MeasureFactory(
            lead_municipality=setup["active"].lead_municipality,
            status=Status.IN_PROGRESS,
            title=f"Weitere {i}",
        )
        IndicatorFactory(measure=measure, baseline_date=datetime.date(2023, 1, 1))
        CollectionRound.objects.create(
            title=f"Runde {i}",
            period=datetime.date(2026, 3, 31),
            deadline=datetime.date(2027, 2, 1),
            opened_by=users["coordinator"],
        )
    assert count() == before


def test_returned_count_matches_the_returned_block(as_role, setup, district):
    # Led by Dannenberg with Hitzacker as partner: the Samtgemeinde editor maintains it.
    from measures.models import Partnership, PartnershipState

    partnered = MeasureFactory(
        lead_municipality=district["dannenberg"],
        title="Gemeinsam zurückgegeben",
        review_state=ReviewState.CHANGES_REQUESTED,
    )
    Partnership.objects.create(
        measure=partnered, municipality=district["hitzacker"], state=PartnershipState.CONFIRMED
    )
    response = dashboard(as_role("samtgemeinde_editor"))
    assert len(response.context["returned"]) == 2
    assert "Zurückgegeben: 2 Maßnahmen hat die Koordinierungsstelle" in tasks_text(response)
