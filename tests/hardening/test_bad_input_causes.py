"""The four causes of error 500 on bad input found in the attack (issue 7, section 2).

Each gets a clear German error and stores nothing. NUL bytes only fail at the database on
PostgreSQL; CI runs this module there too.
"""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drafts.models import StrategyDraft
from evaluation.models import Measurement
from measures.review import ReviewComment, ReviewState, transition_to
from tests.evaluation.factories import IndicatorFactory
from tests.factories import MeasureFactory


@pytest.fixture
def measure(district, fields_of_action):
    return MeasureFactory(lead_municipality=district["hitzacker"], title="Online-Anträge")


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_nul_byte_in_a_review_comment_is_refused(as_role, measure):
    client = as_role("coordinator")
    response = client.post(reverse("measures:comment", args=[measure.pk]), {"text": "A\x00B"})
    assert response.status_code == 302
    assert any("Steuerzeichen" in m for m in _messages(response))
    assert not ReviewComment.objects.exists()


def test_nul_byte_in_a_transition_comment_is_refused(as_role, measure, users):
    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    client = as_role("coordinator")
    response = client.post(
        reverse("measures:transition", args=[measure.pk]),
        {"target": ReviewState.CHANGES_REQUESTED, "comment": "Bitte\x00 ergänzen"},
    )
    assert response.status_code == 302
    assert any("Steuerzeichen" in m for m in _messages(response))
    measure.refresh_from_db()
    assert measure.review_state == ReviewState.SUBMITTED
    assert ReviewComment.objects.count() == 1  # only the submission


def _import(client, content):
    upload = SimpleUploadedFile("werte.csv", content, content_type="text/csv")
    return client.post(reverse("evaluation:import"), {"file": upload})


def test_nul_byte_in_a_csv_note_is_refused(as_role, measure):
    indicator = IndicatorFactory(measure=measure)
    # A NUL at the start is a file in another encoding (refused as a whole, with advice) ...
    content = f"indikator_id;zeitraum;wert;notiz\n{indicator.pk};2025;12,5;Not\x00iz\n".encode()
    response = _import(as_role("editor_own"), content)
    assert response.status_code == 400
    assert "Nullbytes" in response.content.decode()
    assert not Measurement.objects.exists()
    # ... one further down is named with its line.
    rows = "".join(f"{indicator.pk};{year};1;{'x' * 200}\n" for year in range(2000, 2025))
    content = (
        f"indikator_id;zeitraum;wert;notiz\n{rows}{indicator.pk};2025;12,5;Not\x00iz\n".encode()
    )
    response = _import(as_role("editor_own"), content)
    assert response.status_code == 400
    assert '<th scope="row">27</th>' in response.content.decode()
    assert "Steuerzeichen" in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    "indicator_id",
    ["1" * 100_000, "9" * 19, "²", "-1"],
    ids=["100000-digits", "bigint-overflow", "superscript", "negative"],
)
def test_absurd_indicator_id_in_the_csv_import_is_refused(as_role, measure, indicator_id):
    IndicatorFactory(measure=measure)
    content = f"indikator_id;zeitraum;wert\n{indicator_id};2025;12,5\n".encode()
    response = _import(as_role("editor_own"), content)
    assert response.status_code == 400
    text = response.content.decode()
    assert '<th scope="row">2</th>' in text
    assert "gibt es nicht" in text
    assert len(text) < 100_000, "the page must not repeat the 100,000 digits"
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "make_args"),
    [("drafts:create", lambda: []), ("drafts:update", lambda: [StrategyDraft.objects.get().pk])],
)
def test_resolution_date_without_room_for_the_default_deadline_is_refused(
    as_role, fields_of_action, url_name, make_args
):
    StrategyDraft.objects.create(
        title="Bestehend", version_label="Entwurf 1", resolution_date=datetime.date(2026, 3, 1)
    )
    response = as_role("coordinator").post(
        reverse(url_name, args=make_args()),
        {
            "title": "Digitalstrategie",
            "version_label": "Entwurf 2",
            "resolution_date": "9999-12-31",
            "deadline": "",
        },
    )
    assert response.status_code == 200
    assert "Bitte geben Sie die Frist an" in response.content.decode()
    draft = StrategyDraft.objects.get()
    assert (draft.title, draft.resolution_date) == ("Bestehend", datetime.date(2026, 3, 1))


def test_the_default_deadline_still_fills_in(as_role, fields_of_action):
    as_role("coordinator").post(
        reverse("drafts:create"),
        {
            "title": "Digitalstrategie",
            "version_label": "Entwurf 1",
            "resolution_date": "2026-08-31",
            "deadline": "",
        },
    )
    assert StrategyDraft.objects.get().deadline == datetime.date(2027, 2, 28)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_non_numeric_indicator_id_in_the_api_address_is_a_404(client, method):
    """Was a ValueError (500) in the lookup of /api/v1/indicators/<id>/measurements/."""
    response = getattr(client, method)("/api/v1/indicators/abc/measurements/")
    assert response.status_code == 404
    assert client.get("/api/v1/indicators/abc/").status_code == 404


@pytest.mark.parametrize("partner", ["9" * 30, "²"], ids=["overflow", "superscript"])
def test_an_absurd_partner_in_the_prefill_address_is_ignored(as_role, district, partner):
    """?partner=999…9 was an OverflowError at the database, ?partner=² a ValueError (500)."""
    url = reverse("measures:create")
    response = as_role("editor_own").get(f"{url}?partner={partner}&handlungsfeld={partner}")
    assert response.status_code == 200


def test_json_nested_too_deeply_is_refused_as_invalid_json(as_role, measure):
    """100,000 nested brackets were a RecursionError in the JSON parser (500)."""
    indicator = IndicatorFactory(measure=measure)
    response = as_role("editor_own").post(
        f"/api/v1/indicators/{indicator.pk}/measurements/",
        b"[" * 100_000 + b"]" * 100_000,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("q=" + "x" * 100_000, "q", "höchstens 200 Zeichen"),
        ("q=a%00b", "q", "Steuerzeichen"),
        ("changed_since=0001-01-01", "changed_since", "zwischen den Jahren"),
        ("changed_since=9999-12-31T23:59:59-12:00", "changed_since", "zwischen den Jahren"),
        ("body=" + "9" * 30, "body", "keine gültige Nummer"),
        ("body=²", "body", "keine gültige Nummer"),
    ],
    ids=["huge-search", "nul-search", "year-1", "year-9999", "overflow", "superscript"],
)
def test_absurd_filters_of_the_api_are_a_400_in_german(client, district, query, field, message):
    """Each was an error 500: SQLite's "LIKE or GLOB pattern too complex", an OverflowError
    of the date shifted by the time zone (both ends), of the id, a ValueError of int("²")."""
    response = client.get(f"/api/v1/measures/?{query}")
    assert response.status_code == 400
    assert message in response.json()[field][0]


@pytest.mark.parametrize("service", ["9" * 30, "²"], ids=["overflow", "superscript"])
def test_an_absurd_service_id_in_a_register_entry_is_refused(as_role, district, service):
    """999…9: the services' "id IN (…)" failed at the database (OverflowError, 500); "²"
    was refused already and stays so."""
    from procedures.models import Category, ProcedureEntry

    response = as_role("editor_own").post(
        reverse("procedures:entry_create", args=["hitzacker-elbe"]),
        {
            "category": Category.objects.first().pk,
            "product": "OK.EWO",
            "operating_model": "saas",
            "services": service,
        },
    )
    assert response.status_code == 200
    assert "ist kein gültiger Wert" in response.content.decode()
    assert not ProcedureEntry.objects.exists()


@pytest.mark.parametrize("key", ["ab\x00cd", "x" * 10_000, "²" * 14])
def test_an_absurd_service_key_in_the_offer_prefill_preselects_nothing(as_role, district, key):
    """?leistung=ab%00cd failed at PostgreSQL (NUL in a string literal, 500)."""
    url = reverse("procedures:offer_create", args=["hitzacker-elbe"])
    response = as_role("editor_own").get(url, {"leistung": key})
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["ab\x00cd", "x" * 300])
def test_nul_or_a_huge_kind_in_the_bodies_filter_is_a_400(client, district, kind):
    """?kind=ab%00cd failed at PostgreSQL (NUL in a string literal, 500)."""
    response = client.get("/api/v1/bodies/", {"kind": kind})
    assert response.status_code == 400
    assert response.json()["kind"]


def test_join_with_an_overflowing_measure_id_is_no_500(as_role, measure):
    """?measures=9…9 went straight into "id IN (…)" and overflowed the database integer."""
    response = as_role("coordinator").get(
        "/massnahmen/synergien/zusammenlegen/", {"measures": f"{measure.pk},{'9' * 30}"}
    )
    assert response.status_code in (200, 403)


def test_nul_byte_in_a_withdrawal_reason_is_refused(as_role, users, measure):
    """PostgreSQL cannot store NUL: the reason of a withdrawal gave a DataError (500)."""
    from measures.review import ReviewState, transition_to

    transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    response = as_role("editor_own").post(
        f"/massnahmen/{measure.pk}/zurueckziehen/", {"reason": "Dop\x00pelt"}
    )
    assert response.status_code == 400
    assert "Nullzeichen" in response.content.decode()
    measure.refresh_from_db()
    assert measure.review_state == ReviewState.SUBMITTED


@pytest.mark.parametrize("kommune", ["gor\x00leben", "x" * 300, "gibt-es-nicht"])
def test_an_absurd_body_in_the_funding_due_list_is_named_not_a_500(as_role, district, kommune):
    """A NUL byte in ``?kommune=`` was a DataError (500) on PostgreSQL."""
    response = as_role("editor_own").get(reverse("measures:funding_due"), {"kommune": kommune})
    assert response.status_code == 200
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Diese Kommune kennt das Portal nicht" in t for t in texts) or (
        "Diese Kommune kennt das Portal nicht" in response.content.decode()
    )


def test_a_known_body_still_filters_the_funding_due_list(as_role, district):
    response = as_role("editor_own").get(
        reverse("measures:funding_due"), {"kommune": district["hitzacker"].slug}
    )
    assert response.status_code == 200
    assert response.context["body"] == district["hitzacker"]


def test_a_presented_version_without_its_time_is_not_the_vorlage_on_the_home_page(
    as_role, users, measure
):
    """Found by the battery on PostgreSQL: a version presented without ``published_at``
    (hand-made data) sorted first there (NULLS FIRST when descending) and the home page's count
    of the Vorlage's measures filtered by None (500 after logging in)."""
    from drafts.models import DraftState

    StrategyDraft.objects.create(
        title="Strategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date(2026, 6, 18),
        created_by=users["coordinator"],
        state=DraftState.PUBLISHED,
        published_at=None,
    )
    for role in ("anonymous", "editor_own", "coordinator", "council"):
        response = as_role(role).get(reverse("home"))
        assert response.status_code == 200, role
        assert response.context["presentation"] is None
