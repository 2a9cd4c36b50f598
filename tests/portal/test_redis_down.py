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

from core import data_version
from core.cache import CacheUnavailable
from measures.models import Measure, Status
from pages.models import AccessibilityFeedback
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.factories import MeasureFactory
from tests.measures.test_races import unchanged_form_data
from tests.redis_down import redis_down, redis_unreachable  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
redis_away = pytest.mark.usefixtures("redis_down")


@pytest.fixture
def evaluated(district):
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"], title="Online-Anträge", status=Status.IN_PROGRESS
    )
    indicator = IndicatorFactory(measure=measure, name="Anteil online")
    MeasurementFactory(indicator=indicator, period=datetime.date(2026, 1, 1), value=D("40"))
    return measure


@redis_away
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


@redis_away
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


@redis_away
def test_main_pages_and_the_api_answer_anonymously(client, evaluated):
    for name in ANONYMOUS_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name


@pytest.mark.parametrize("role", ["editor_own", "coordinator", "council"])
@redis_away
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


@redis_away
def test_health_check_reports_the_cache_without_failing(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200  # the portal serves without Redis: still ready
    assert response.json()["database"] == "ok"
    assert response.json()["cache"].startswith("error")
    assert response.json()["status"] == "degraded"


@redis_away
def test_feedback_is_saved(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pages:feedback"), {"message": "Kontrast zu gering", "page": "/massnahmen/"}
        )
    assert response.status_code == 302
    assert AccessibilityFeedback.objects.get().message == "Kontrast zu gering"


@redis_away
def test_saving_a_measure_commits_the_edit(as_role, district, django_capture_on_commit_callbacks):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Alter Titel")
    data = unchanged_form_data(measure, title="Neuer Titel", description="Lange getippt")
    client = as_role("editor_own")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 302
    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.title, measure.description) == ("Neuer Titel", "Lange getippt")


@pytest.mark.django_db(transaction=True)  # real commits: the bump runs after the commit
def test_figures_cached_before_a_bump_lost_in_an_outage_are_not_served_after_it(as_role, district):
    """Redis comes back with the old version number and the figures cached under it. The
    bump of a write during the outage moved the version's database part on, so every process
    (the one that failed, one that never noticed) computes afresh."""
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Alter Titel")
    before = data_version.current()
    assert data_version.cached("titles", lambda: "Alter Titel") == "Alter Titel"

    with redis_unreachable():
        assert data_version.current() is None  # nothing cached while Redis is away
        data = unchanged_form_data(measure, title="Neuer Titel")
        response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
        assert response.status_code == 302

    assert cache.get(data_version.KEY) is not None  # Redis kept its number ...
    assert data_version.current() != before  # ... but the version moved on
    assert data_version.cached("titles", lambda: "Neuer Titel") == "Neuer Titel"


def test_after_a_failure_redis_is_tried_again_only_after_a_pause(monkeypatch, caplog):
    """One timeout per pause, not one per cache call of a page; the return is logged."""
    from django.core.cache.backends.redis import RedisCache

    from core.cache import FailSafeRedisCache, reset_health

    reset_health()
    answers = []

    def fake_get(self, key, default=None, version=None):
        answers.append(key)
        if len(answers) == 1:
            raise ConnectionRefusedError(111, "Connection refused")
        return "wert"

    monkeypatch.setattr(RedisCache, "get", fake_get)
    paused = FailSafeRedisCache("redis://127.0.0.1:1/9", {"RETRY_AFTER": 60})
    assert paused.get("a") is None and paused.is_down
    assert paused.get("b") is None and answers == ["a"]  # not tried again within the pause

    reset_health()
    retried = FailSafeRedisCache("redis://127.0.0.1:1/9", {"RETRY_AFTER": 0})
    answers.clear()
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert retried.get("a") is None
        assert retried.get("b") == "wert" and not retried.is_down
    assert [r.levelname for r in caplog.records] == ["ERROR", "WARNING"]
    assert "answers again" in caplog.records[1].getMessage()
    reset_health()
