"""The coordinator records a body's answer to a partnership request on its behalf only with
its source; such answers are marked wherever they are shown and logged (issue 19, section 2)."""

import datetime
import logging

import pytest
from django.test import Client
from django.urls import reverse

from drafts.pdf import _measure_view
from measures.models import AnswerSource, Partnership, PartnershipState, ReviewComment
from measures.partnerships import Source, confirm
from measures.review import ReviewError, ReviewState, review_snapshot, transition_to

from ..factories import MeasureFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
TODAY = datetime.date(2026, 12, 6)
MARK = "eingetragen von der Koordinierungsstelle auf Grund: Schreiben vom 1. Dezember 2026"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def request_(district):
    """Hitzacker asks Samtgemeinde Gartow, for which nobody can answer."""
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Gemeinsames WLAN")
    return Partnership.objects.create(measure=measure, municipality=district["gartow"])


def _client(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _data(partnership, **overrides):
    data = {
        "body": partnership.municipality_id,
        "action": "confirm",
        "source": AnswerSource.LETTER,
        "source_date": "2026-12-01",
        "reason": "",
    }
    data.update(overrides)
    return data


def _url(partnership):
    return reverse("measures:partnership_record", args=[partnership.pk])


def _unchanged(partnership):
    partnership.refresh_from_db()
    assert partnership.state == PartnershipState.REQUESTED
    assert partnership.on_behalf_source == "" and partnership.on_behalf_date is None
    assert not ReviewComment.objects.filter(measure=partnership.measure).exists()


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(users, request_, role):
    client = _client(users[role])
    expected = {"anonymous": 302, "coordinator": 200}.get(role, 403)
    assert client.get(_url(request_)).status_code == expected
    response = client.post(_url(request_), _data(request_))
    assert response.status_code == (302 if role in ("anonymous", "coordinator") else 403)
    request_.refresh_from_db()
    if role == "coordinator":
        assert request_.state == PartnershipState.CONFIRMED
        assert request_.decided_by == users["coordinator"]
        assert request_.on_behalf_source == AnswerSource.LETTER
        assert request_.on_behalf_date == datetime.date(2026, 12, 1)
    else:
        _unchanged(request_)


def test_the_partners_editor_cannot_record_on_behalf_of_itself(users, district):
    """Gorleben's editor answers on the answer page; the on-behalf form is the coordinator's."""
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    partnership = Partnership.objects.create(measure=measure, municipality=district["gorleben"])
    response = _client(users["editor_other"]).post(_url(partnership), _data(partnership))
    assert response.status_code == 403
    _unchanged(partnership)


def test_without_a_source_the_coordinator_is_still_refused(users, request_):
    # The plain answer page: as before, 403.
    answer = reverse("measures:partnership_answer", args=[request_.pk])
    assert _client(users["coordinator"]).post(answer, {"action": "confirm"}).status_code == 403
    # The service: no source, no consent in the body's name.
    with pytest.raises(ReviewError, match="Nur die Redaktion"):
        confirm(request_, users["coordinator"])
    # The form without a source or date.
    client = _client(users["coordinator"])
    for missing in ("source", "source_date"):
        response = client.post(_url(request_), _data(request_, **{missing: ""}))
        assert response.status_code == 400
        assert "Bitte" in response.content.decode()
    _unchanged(request_)


def test_an_editor_cannot_pass_a_source_to_the_service(users, district):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    partnership = Partnership.objects.create(measure=measure, municipality=district["gorleben"])
    source = Source(kind=AnswerSource.LETTER, date=datetime.date(2026, 12, 1))
    with pytest.raises(ReviewError, match="Nur die Koordinierungsstelle"):
        confirm(partnership, users["editor_other"], source=source)
    _unchanged(partnership)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"source_date": "9999-12-31"}, "liegt in der Zukunft"),
        ({"source_date": "2026-12-07"}, "liegt in der Zukunft"),
        ({"source_date": "1899-12-31"}, "liegt vor 1900"),
        ({"source_date": "2026-12-\x0001"}, "Bitte geben Sie ein Datum ein"),
        ({"source": "letter\x00"}, "Bitte wählen Sie einen der angebotenen Einträge"),
        ({"source": "telefon"}, "Bitte wählen Sie einen der angebotenen Einträge"),
        ({"action": "decline", "reason": "Kein\x00 Geld"}, "Nullzeichen"),
        ({"action": "decline", "reason": "x" * 100_000}, "zu lang"),
        ({"action": "decline", "reason": "   "}, "Bitte geben Sie die Begründung"),
        ({"action": "zustimmen"}, "Bitte wählen Sie einen der angebotenen Einträge"),
    ],
)
def test_bad_input_gets_a_german_message_and_stores_nothing(users, request_, overrides, message):
    response = _client(users["coordinator"]).post(_url(request_), _data(request_, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    _unchanged(request_)


def test_another_bodys_id_in_a_crafted_post_is_refused(users, district, request_):
    response = _client(users["coordinator"]).post(
        _url(request_), _data(request_, body=district["gorleben"].pk)
    )
    assert response.status_code == 400
    assert "Die Anfrage gilt Samtgemeinde Gartow" in response.content.decode()
    _unchanged(request_)
    assert not Partnership.objects.filter(municipality=district["gorleben"]).exists()


def test_an_answer_on_behalf_is_marked_everywhere_and_logged(
    users, district, request_, caplog, django_capture_on_commit_callbacks
):
    coordinator = _client(users["coordinator"])
    with (
        caplog.at_level(logging.INFO, logger="portal.security"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = coordinator.post(_url(request_), _data(request_))
    assert response.status_code == 302
    # The security (JSON) log.
    [record] = [
        r
        for r in caplog.records
        if getattr(r, "security", {}).get("event") == "partnership_answered_on_behalf"
    ]
    assert record.security["partnership_id"] == request_.pk
    assert record.security["municipality_id"] == district["gartow"].pk
    assert record.security["source"] == "letter"
    assert record.security["source_date"] == "2026-12-01"
    assert record.security["actor"] == users["coordinator"].username

    measure = request_.measure
    reader = _client(users["editor_own"])
    # The measure page and its thread.
    page = reader.get(measure.get_absolute_url()).content.decode()
    assert f"<strong>Im Auftrag:</strong> {MARK}" in page
    assert f"Im Auftrag ({MARK}): Samtgemeinde Gartow hat die Beteiligung bestätigt." in page
    # The measure form's partner row.
    form = reader.get(reverse("measures:update", args=[measure.pk])).content.decode()
    assert f"im Auftrag {MARK}" in form
    # The history.
    history = reader.get(reverse("measures:history", args=[measure.pk])).content.decode()
    assert f"Samtgemeinde Gartow hat die Beteiligung bestätigt – {MARK}" in history
    # Lists.
    listing = reader.get(reverse("measures:list")).content.decode()
    assert "Samtgemeinde Gartow (Zustimmung im Auftrag)" in listing
    # The API (internal reader).
    api = reader.get(f"/api/v1/measures/{measure.pk}/").json()
    [partner] = api["partners"]
    assert partner["on_behalf"] == {"source": "letter", "date": "2026-12-01", "text": MARK}
    # The draft PDF's measure block and table (from the accepted version).
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    measure.refresh_from_db()
    snapshot = dict(review_snapshot(measure), id=measure.pk)
    snapshot["partners"][0]["label"] = "Samtgemeinde Gartow"
    view = _measure_view(snapshot)
    assert view["partners"] == [f"Samtgemeinde Gartow (Zustimmung {MARK})"]
    assert view["partner_names"] == ["Samtgemeinde Gartow (Zustimmung im Auftrag)"]


def test_a_partner_answering_itself_is_not_marked(users, district, request_):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    partnership = Partnership.objects.create(measure=measure, municipality=district["gorleben"])
    confirm(partnership, users["editor_other"])
    page = _client(users["editor_own"]).get(measure.get_absolute_url()).content.decode()
    assert "Im Auftrag" not in page
    api = _client(users["editor_own"]).get(f"/api/v1/measures/{measure.pk}/").json()
    assert api["partners"][0]["on_behalf"] is None


def test_decline_on_behalf_keeps_the_reason_and_the_source(users, request_):
    response = _client(users["coordinator"]).post(
        _url(request_),
        _data(
            request_,
            action="decline",
            source=AnswerSource.COUNCIL_DECISION,
            source_date="2026-11-20",
            reason="Der Samtgemeinderat sieht keine Mittel vor.",
        ),
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.state == PartnershipState.DECLINED
    assert request_.decline_reason == "Der Samtgemeinderat sieht keine Mittel vor."
    page = _client(users["editor_own"]).get(request_.measure.get_absolute_url()).content.decode()
    assert "auf Grund: Beschluss des Rates vom 20. November 2026" in page


def test_a_join_confirmed_on_behalf_withdraws_the_bodys_own_measure(users, district):
    joint = MeasureFactory(lead_municipality=district["hitzacker"], title="Gemeinsame App")
    own = MeasureFactory(lead_municipality=district["gartow"], title="Gartower App")
    partnership = Partnership.objects.create(
        measure=joint, municipality=district["gartow"], merges_measure=own
    )
    response = _client(users["coordinator"]).post(
        _url(partnership), _data(partnership, source=AnswerSource.EMAIL)
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.review_state == ReviewState.WITHDRAWN and own.joined_into_id == joint.pk


def test_asking_again_clears_the_on_behalf_marking(users, district, request_):
    coordinator = _client(users["coordinator"])
    coordinator.post(_url(request_), _data(request_))
    measure = request_.measure
    data = {
        "title": measure.title,
        "summary": measure.summary,
        "description": "",
        "lead_municipality": district["hitzacker"].pk,
        "field_of_action": measure.field_of_action_id,
        "status": "planned",
        "priority": "medium",
        "version": measure.version,
        "partners-TOTAL_FORMS": "1",
        "partners-INITIAL_FORMS": "1",
        "partners-0-id": request_.pk,
        "partners-0-measure": measure.pk,
        "partners-0-municipality": district["gartow"].pk,
        "partners-0-cost_share_percent": "40",
    }
    response = _client(users["editor_own"]).post(
        reverse("measures:update", args=[measure.pk]), data
    )
    assert response.status_code == 302
    request_.refresh_from_db()
    assert request_.state == PartnershipState.REQUESTED
    assert not request_.on_behalf and request_.reminded_at is None


def test_the_public_sees_the_marking_once_published(users, request_):
    from tests.factories import publish_now

    _client(users["coordinator"]).post(_url(request_), _data(request_))
    measure = request_.measure
    publish_now(measure)
    page = Client().get(measure.get_absolute_url()).content.decode()
    assert f"Zustimmung {MARK}" in page
    api = Client().get(f"/api/v1/measures/{measure.pk}/").json()
    assert api["partners"][0]["on_behalf"]["text"] == MARK
    listing = Client().get(reverse("measures:list")).content.decode()
    assert "Samtgemeinde Gartow (Zustimmung im Auftrag)" in listing
