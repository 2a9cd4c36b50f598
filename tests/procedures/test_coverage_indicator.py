"""The OZG coverage as a portal indicator: selectable in the form, gathered into values."""

import datetime
from decimal import Decimal as D

import time_machine
from django.urls import reverse

from evaluation.gathering import gather
from evaluation.models import Indicator, Measurement
from procedures.models import OnlineStatus, ServiceOffer
from tests.evaluation.factories import IndicatorFactory
from tests.factories import MeasureFactory

from .conftest import GEWERBE


def _offer(body, service, status):
    return ServiceOffer.objects.create(
        municipality=body, service=service, status=status, url="https://example.org/x"
    )


@time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_gathering_writes_the_coverage_share(district, fields_of_action, catalogue):
    gewerbe = catalogue[GEWERBE]
    _offer(district["elbtalaue"], gewerbe, OnlineStatus.ONLINE)
    measure = MeasureFactory(lead_municipality=district["district"])
    by_service = IndicatorFactory(
        measure=measure,
        source_kind="portal",
        frequency="yearly",
        source_options={"metric": "ozg_coverage_service", "leika_key": GEWERBE},
    )
    by_topic = IndicatorFactory(
        measure=measure,
        source_kind="portal",
        frequency="yearly",
        source_options={"metric": "ozg_coverage_topic", "topic": "Bauen & Wohnen"},
    )
    assert gather(by_service)[0] is True
    value = Measurement.objects.get(indicator=by_service)
    assert value.value == D("50") and value.period == datetime.date(2026, 1, 1)
    # Bauen & Wohnen: two district services, none online yet.
    assert gather(by_topic)[0] is True
    assert Measurement.objects.get(indicator=by_topic).value == D("0")
    _offer(district["district"], catalogue["99107023037000"], OnlineStatus.ONLINE)
    gather(by_topic)
    assert Measurement.objects.get(indicator=by_topic).value == D("50")


def test_unknown_service_is_a_recorded_error(district, fields_of_action, catalogue):
    indicator = IndicatorFactory(
        measure=MeasureFactory(lead_municipality=district["district"]),
        source_kind="portal",
        source_options={"metric": "ozg_coverage_service", "leika_key": "99999999999999"},
    )
    ok, _created, _updated, error = gather(indicator)
    assert not ok and "nicht im Leistungskatalog" in error


def _post(**overrides):
    data = {
        "name": "Gewerbe anmelden online",
        "unit": "%",
        "kind": "output",
        "direction": "increase",
        "baseline_value": "0",
        "baseline_date": "2025-01-01",
        "target_value": "100",
        "target_date": "2028-12-31",
        "frequency": "yearly",
        "source_kind": "portal",
        "portal_metric": "ozg_coverage_service",
        "coverage_service": GEWERBE,
    }
    data.update(overrides)
    return data


def test_indicator_form_offers_service_and_topic(as_role, district, fields_of_action, catalogue):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    client = as_role("editor_own")
    url = reverse("evaluation:indicator_create", args=[measure.pk])
    page = client.get(url).content.decode()
    assert "OZG-Leistung online" in page and "Bauen &amp; Wohnen" in page
    response = client.post(url, _post(coverage_service=""))
    assert response.status_code == 200
    assert "Bitte wählen Sie die OZG-Leistung." in response.content.decode()
    assert client.post(url, _post()).status_code == 302
    assert Indicator.objects.get().source_options == {
        "metric": "ozg_coverage_service",
        "leika_key": GEWERBE,
    }
    client.post(url, _post(portal_metric="ozg_coverage_topic", coverage_topic="Bauen & Wohnen"))
    assert Indicator.objects.filter(source_options__topic="Bauen & Wohnen").exists()
