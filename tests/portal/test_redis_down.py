"""Redis unreachable (issue 18, item 7): the portal answers, writes commit, nothing is lost.

Cache and Celery broker point at a closed port (``strategy_portal.settings.test_redis_down``,
fixture ``redis_down``); the shared Redis of CI's second run keeps serving the other tests.
Before: errors 500 on the public evaluation, the API, the dashboards, the feedback form and
on saving a measure, whose edit was lost with the failed cache bump.
"""

import datetime
import logging
import time
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.urls import reverse

from core.cache import CacheUnavailable
from measures.models import Measure, Status
from pages.models import AccessibilityFeedback
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.factories import MeasureFactory
from tests.measures.test_races import unchanged_form_data
from tests.redis_down import redis_down  # noqa: F401 - fixture

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("redis_down")]


@pytest.fixture
def evaluated(district):
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"], title="Online-Anträge", status=Status.IN_PROGRESS
    )
    indicator = IndicatorFactory(measure=measure, name="Anteil online")
    MeasurementFactory(indicator=indicator, period=datetime.date(2026, 1, 1), value=D("40"))
    return measure


def test_the_cache_answers_like_an_empty_cache_and_fast():
    started = time.monotonic()
    assert cache.get("x", "leer") == "leer"
    cache.set("x", 1)
    assert cache.add("x", 1) is False
    assert cache.get_many(["x", "y"]) == {}
    assert cache.delete("x") is False
    with pytest.raises(CacheUnavailable):  # a ValueError, as for a missing key
        cache.incr("x")
    assert time.monotonic() - started < 2


def test_the_outage_is_logged_once_not_per_call(caplog):
    with caplog.at_level(logging.ERROR, logger="core.cache"):
        for _ in range(20):
            cache.get("x")
    assert len(caplog.records) == 1
    assert "unreachable" in caplog.records[0].getMessage()


ANONYMOUS_PAGES = [
    "home",
    "evaluation:overview",
    "measures:list",
    "pages:accessibility",
    "pages:feedback",
    "api:measure-list",
    "api:indicator-list",
    "api:assessment-list",
    "api:body-list",
]


def test_main_pages_and_the_api_answer_anonymously(client, evaluated):
    for name in ANONYMOUS_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name


@pytest.mark.parametrize("role", ["editor_own", "coordinator", "council"])
def test_dashboards_answer(as_role, role, evaluated):
    client = as_role(role)
    for url in [
        reverse("dashboard"),
        reverse("measures:dashboard", args=["hitzacker-elbe"]),
        reverse("evaluation:overview"),
        reverse("evaluation:municipality_overview", args=["hitzacker-elbe"]),
        reverse("api:measure-list"),
    ]:
        assert client.get(url, follow=True).status_code == 200, url


def test_health_check_reports_the_cache_without_failing(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200  # the portal serves without Redis: still ready
    assert response.json()["database"] == "ok"
    assert response.json()["cache"].startswith("error")
    assert response.json()["status"] == "degraded"


def test_feedback_is_saved(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pages:feedback"), {"message": "Kontrast zu gering", "page": "/massnahmen/"}
        )
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().message == "Kontrast zu gering"


def test_saving_a_measure_commits_the_edit(as_role, district, django_capture_on_commit_callbacks):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Alter Titel")
    data = unchanged_form_data(measure, title="Neuer Titel", description="Lange getippt")
    client = as_role("editor_own")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 302
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.title, measure.description) == ("Neuer Titel", "Lange getippt")
