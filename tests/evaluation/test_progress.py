"""Sachstand: dated progress notes per measure and the measure's timeline."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from evaluation.models import ProgressNote
from measures.models import Status
from measures.review import ReviewState, transition_to

from .factories import AssessmentFactory, IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
# Those who answer for Hitzacker (Elbe): its editor and SG Elbtalaue's (municipalities.acting).
WRITERS = {"editor_own", "samtgemeinde_editor"}
TODAY = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _note(**changes):
    data = {
        "noted_on": "2027-02-28",
        "status": "in_progress",
        "percent_done": "40",
        "text": "Das Bürgerbüro nimmt Anträge online an; die Schnittstelle fehlt.",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(as_role, role, measure):
    client = as_role(role)
    url = reverse("evaluation:progress_create", args=[measure.pk])
    form = client.get(url)
    response = client.post(url, _note())
    if role in WRITERS:
        assert form.status_code == 200
        assert response.status_code == 302
        note = ProgressNote.objects.get()
        assert (note.measure, note.percent_done, note.status) == (measure, 40, "in_progress")
        assert note.written_by.username in ("hitzacker", "sg-elbtalaue")
    elif role == "coordinator":
        # On the body's behalf, and only with a source (test_on_behalf_...).
        assert form.status_code == 200
        assert "Sachstand im Auftrag eintragen" in form.content.decode()
        assert response.status_code == 200
        assert not ProgressNote.objects.exists()
    else:
        expected = 302 if role == "anonymous" else 403
        assert (form.status_code, response.status_code) == (expected, expected)
        assert not ProgressNote.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_timeline_and_its_button(as_role, role, measure, users):
    ProgressNote.objects.create(
        measure=measure,
        noted_on=datetime.date(2027, 1, 15),
        status=Status.IN_PROGRESS,
        text="Ausschreibung läuft.",
        written_by=users["editor_own"],
    )
    if role == "anonymous":
        transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
        transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
        from tests.factories import publish_now

        publish_now(measure)
    html = as_role(role).get(measure.get_absolute_url()).content.decode()
    button = reverse("evaluation:progress_create", args=[measure.pk])
    assert (button in html) == (role in WRITERS | {"coordinator"})
    assert ("Sachstand im Auftrag der Kommune eintragen" in html) == (role == "coordinator")
    # Notes are internal (not part of the reviewed, published version).
    assert ("Ausschreibung läuft." in html) == (role != "anonymous")


def test_crafted_post_for_another_bodys_measure_is_refused(as_role, measure, other_measure):
    client = as_role("editor_own")
    response = client.post(
        reverse("evaluation:progress_create", args=[other_measure.pk]),
        _note(measure=str(measure.pk)),
    )
    assert response.status_code == 403
    # A measure field smuggled into the own measure's form changes nothing either.
    response = client.post(
        reverse("evaluation:progress_create", args=[measure.pk]), _note(measure=other_measure.pk)
    )
    assert response.status_code == 302
    assert list(ProgressNote.objects.values_list("measure_id", flat=True)) == [measure.pk]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": "x" * 100_000}, "Höchstens 5000 Zeichen"),
        ({"text": "Schnitt\x00stelle"}, "Null"),
        ({"percent_done": "101"}, "zwischen 0 und 100 Prozent"),
        ({"percent_done": "-1"}, "0 und 100"),
        ({"percent_done": "viel"}, "ganze Zahl"),
        ({"noted_on": "9999-12-31"}, "außerhalb der Jahre 1900 bis 2100"),
        ({"noted_on": "2027-03-02"}, "nicht in der Zukunft"),
        ({"noted_on": "31.02.2027"}, "als Datum"),
        ({"status": "exploded"}, "angebotenen"),
        ({"text": ""}, "Sachstand"),
    ],
)
def test_bad_input_gets_a_german_message_and_stores_nothing(as_role, measure, changes, message):
    response = as_role("editor_own").post(
        reverse("evaluation:progress_create", args=[measure.pk]), _note(**changes)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html[html.find("invalid-feedback") - 200 :][:600]
    assert "Nichts wurde gespeichert" in html
    assert not ProgressNote.objects.exists()


def test_form_starts_from_the_measure_and_its_last_note(as_role, measure, users):
    client = as_role("editor_own")
    url = reverse("evaluation:progress_create", args=[measure.pk])
    assert client.get(url).context["form"].initial["status"] == Status.IN_PROGRESS
    client.post(url, _note(percent_done="35"))
    assert client.get(url).context["form"].initial["percent_done"] == 35


def test_timeline_shows_every_kind_newest_first(as_role, measure, users):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC), tick=False):
        measure.status = Status.PLANNED
        measure.save()
        transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
        transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    with time_machine.travel(datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC), tick=False):
        measure.refresh_from_db()
        measure.status = Status.IN_PROGRESS
        measure.save()
    with time_machine.travel(datetime.datetime(2026, 10, 1, 9, tzinfo=datetime.UTC), tick=False):
        indicator = IndicatorFactory(measure=measure, name="Anteil online", unit="%")
        MeasurementFactory(indicator=indicator, period=datetime.date(2026, 1, 1), value=45)
    AssessmentFactory(measure=measure, assessed_on=datetime.date(2026, 12, 1))
    client = as_role("editor_own")
    client.post(reverse("evaluation:progress_create", args=[measure.pk]), _note())
    html = client.get(measure.get_absolute_url()).content.decode()
    section = html[html.index('id="verlauf"') :]
    order = [
        "Sachstand: in Umsetzung, 40\u00a0% umgesetzt",
        "Bewertung der Wirkung: teilweise erreicht",
        "Anteil online: 45 % für 2026",
        "Umsetzungsstand: geplant → in Umsetzung",
        "Prüfstatus: angenommen",
    ]
    positions = [section.index(text) for text in order]
    assert positions == sorted(positions)
    assert 'aria-valuenow="40"' in section


def test_timeline_query_count_is_constant(as_role, measure, users, django_assert_num_queries):
    client = as_role("council")
    client.get(measure.get_absolute_url())

    def grow(n):
        indicator = IndicatorFactory(measure=measure)
        for i in range(n):
            MeasurementFactory(indicator=indicator, period=datetime.date(2010 + i, 1, 1))
            ProgressNote.objects.create(
                measure=measure,
                noted_on=datetime.date(2026, 1, 1 + i),
                status=Status.IN_PROGRESS,
                text=f"Stand {i}",
                written_by=users["editor_own"],
            )
            AssessmentFactory(measure=measure, assessed_by=users["editor_own"])
            measure.status = Status.PAUSED if i % 2 else Status.IN_PROGRESS
            measure.save()

    grow(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(measure.get_absolute_url())
    grow(20)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(measure.get_absolute_url())
    assert response.content.decode().count('class="timeline-entry') >= 60


def test_on_behalf_the_coordinator_names_the_source(as_role, measure, users):
    client = as_role("coordinator")
    url = reverse("evaluation:progress_create", args=[measure.pk])
    response = client.post(
        url, _note(on_behalf_source="letter", on_behalf_date="2027-02-20"), follow=True
    )
    assert "Der Sachstand für Hitzacker (Elbe), Stadt wurde mit seiner Quelle gespeichert." in (
        response.content.decode()
    )
    note = ProgressNote.objects.get()
    assert (note.on_behalf_source, note.on_behalf_date) == ("letter", datetime.date(2027, 2, 20))
    assert note.written_by == users["coordinator"]
    text = "eingetragen von der Koordinierungsstelle auf Grund: Schreiben vom 20. Februar 2027"
    assert note.on_behalf_text == text
    # The timeline says so.
    page = as_role("council").get(measure.get_absolute_url()).content.decode()
    assert text in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({}, "woher der Sachstand stammt"),
        ({"on_behalf_source": "letter"}, "Bitte geben Sie das Datum der Quelle an."),
        ({"on_behalf_source": "rumour", "on_behalf_date": "2027-02-20"}, "angebotenen"),
        ({"on_behalf_source": "email", "on_behalf_date": "2027-03-05"}, "in der Zukunft"),
        ({"on_behalf_source": "email", "on_behalf_date": "1850-01-01"}, "1900"),
        ({"on_behalf_source": "email", "on_behalf_date": "gestern"}, "Datum der Quelle an"),
    ],
)
def test_on_behalf_without_a_valid_source_stores_nothing(as_role, measure, changes, message):
    response = as_role("coordinator").post(
        reverse("evaluation:progress_create", args=[measure.pk]), _note(**changes)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html[html.find("invalid-feedback") - 200 :][:600]
    assert "Nichts wurde gespeichert" in html
    assert not ProgressNote.objects.exists()


def test_a_body_writing_itself_cannot_claim_a_source(as_role, measure):
    as_role("editor_own").post(
        reverse("evaluation:progress_create", args=[measure.pk]),
        _note(on_behalf_source="letter", on_behalf_date="2027-02-20"),
    )
    note = ProgressNote.objects.get()
    assert (note.on_behalf_source, note.on_behalf_date) == ("", None)
