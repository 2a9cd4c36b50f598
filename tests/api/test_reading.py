"""Reading: filters, the published version for the public, pagination, constant queries."""

import datetime

import pytest
from django.utils import timezone

from fields_of_action.models import FieldOfAction
from measures.models import Status
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.factories import MeasureFactory

from .conftest import publish_measure


def _ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_public_reads_the_published_version_not_later_edits(api_as, data):
    measure = data["published"]
    measure.title = "Unveröffentlichter neuer Titel"
    measure.status = Status.COMPLETED
    measure.save()
    public = api_as("anonymous").get(f"/api/v1/measures/{measure.pk}/").json()
    assert public["title"] == "Online-Anträge im Bürgerbüro"
    assert public["status"] == Status.PLANNED
    assert public["lead"] == {"id": measure.lead_municipality_id, "name": "Hitzacker (Elbe)"}
    assert public["partners"][0]["cost_share_percent"] == "25.00"
    internal = api_as("council").get(f"/api/v1/measures/{measure.pk}/").json()
    assert internal["title"] == "Unveröffentlichter neuer Titel"
    # Filters work on the published values for the public.
    anonymous = api_as("anonymous")
    assert measure.pk in _ids(anonymous.get("/api/v1/measures/?status=planned"))
    assert measure.pk not in _ids(anonymous.get("/api/v1/measures/?status=completed"))
    assert measure.pk not in _ids(anonymous.get("/api/v1/measures/?q=Unveröffentlichter"))


def test_measure_filters(api_as, data, district):
    client = api_as("coordinator")
    published, unpublished, other = data["published"], data["unpublished"], data["other"]
    field_two = FieldOfAction.objects.get(number=2)
    other.field_of_action = field_two
    other.save()
    assert _ids(client.get("/api/v1/measures/?field=2")) == [other.pk]
    hitzacker = district["hitzacker"].pk
    assert _ids(client.get(f"/api/v1/measures/?body={hitzacker}")) == [published.pk, unpublished.pk]
    # Partner bodies count: Dannenberg takes part in the published measure.
    dannenberg = district["dannenberg"].pk
    assert _ids(client.get(f"/api/v1/measures/?body={dannenberg}")) == [published.pk]
    assert _ids(client.get("/api/v1/measures/?status=planned&body=" + str(hitzacker))) == [
        published.pk,
        unpublished.pk,
    ]
    later = timezone.now() + datetime.timedelta(minutes=1)
    assert _ids(client.get("/api/v1/measures/", {"changed_since": later.isoformat()})) == []
    assert len(_ids(client.get("/api/v1/measures/?changed_since=2020-01-01"))) == 3


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("field=eins", "field", "keine gültige Nummer"),
        ("body=999999", "body", "keine Kommune mit der Nummer 999999"),
        ("status=fertig", "status", "Unbekannter Umsetzungsstand"),
        ("changed_since=gestern", "changed_since", "ist kein Datum"),
        ("changed_since=2026-13-45", "changed_since", "ist kein Datum"),
    ],
)
def test_bad_filters_are_400_in_german(api_as, data, query, field, message):
    response = api_as("anonymous").get(f"/api/v1/measures/?{query}")
    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_public_changed_since_means_published_since(api_as, data):
    anonymous = api_as("anonymous")
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    assert _ids(anonymous.get("/api/v1/measures/", {"changed_since": later})) == []


def test_indicator_has_status_and_series_and_filters(api_as, data, district):
    client = api_as("anonymous")
    indicator = data["indicator"]
    body = client.get(f"/api/v1/indicators/{indicator.pk}/").json()
    assert body["measure"] == data["published"].pk
    assert body["status"]["status"] in {"on_track", "at_risk", "off_track", "stale", "no_data"}
    assert body["status"]["label"]
    assert [m["period"] for m in body["measurements"]] == ["2025-01-01"]
    assert _ids(client.get(f"/api/v1/indicators/?measure={data['other'].pk}")) == [
        data["other_indicator"].pk
    ]
    assert _ids(client.get(f"/api/v1/indicators/?body={district['gorleben'].pk}")) == [
        data["other_indicator"].pk
    ]
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    assert _ids(client.get("/api/v1/indicators/", {"changed_since": later})) == []


def test_fields_carry_goals_and_are_addressed_by_number(api_as, data):
    from tests.factories import GoalFactory

    goal = GoalFactory(title="Alle Anträge online")
    field = api_as("anonymous").get("/api/v1/fields/1/").json()
    assert field["number"] == 1
    assert {"id": goal.pk, "field_of_action": 1, "title": "Alle Anträge online"}.items() <= (
        field["goals"][0].items()
    )
    assert len(api_as("anonymous").get("/api/v1/fields/").json()["results"]) == 6


def test_pagination_is_stable_by_id(api_as, data, settings):
    settings.API_PAGE_SIZE = 2
    client = api_as("coordinator")
    first = client.get("/api/v1/measures/").json()
    assert first["count"] == 3 and len(first["results"]) == 2
    second = client.get(first["next"]).json()
    ids = [m["id"] for m in first["results"] + second["results"]]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert len(client.get("/api/v1/measures/?page_size=1").json()["results"]) == 1
    assert client.get("/api/v1/measures/?page=99").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "token_own"])
def test_constant_queries(api_as, data, role):
    client = api_as(role)

    def counted(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    before = {url: counted(url) for url in ("/api/v1/measures/", "/api/v1/indicators/")}
    for i in range(5):
        measure = publish_measure(MeasureFactory(lead_municipality=data["other"].lead_municipality))
        indicator = IndicatorFactory(measure=measure, name=f"Weiterer Indikator {i}")
        MeasurementFactory(indicator=indicator)
    after = {url: counted(url) for url in before}
    assert after == before


def test_assessments_filter(api_as, data):
    client = api_as("coordinator")
    assert _ids(client.get(f"/api/v1/assessments/?measure={data['published'].pk}")) == [
        data["assessment"].pk
    ]
    later = (timezone.now() + datetime.timedelta(minutes=1)).isoformat()
    assert _ids(client.get("/api/v1/assessments/", {"changed_since": later})) == []


def test_public_reading_is_open_to_other_origins(client, data, district):
    for url in ("/api/v1/measures/", "/opendata/catalog.ttl", "/entwurf/oparl/"):
        response = client.get(url, HTTP_ORIGIN="https://partner.example.org")
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
    push = client.post(
        f"/api/v1/indicators/{data['indicator'].pk}/measurements/",
        {"period": "2026", "value": "1"},
        content_type="application/json",
    )
    assert "Access-Control-Allow-Origin" not in push
