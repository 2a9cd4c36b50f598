"""The evaluation dashboard's cached roll-ups (issue 13): computed once, never stale.

Every way the figures can change is tried through the portal itself: a value entered in the
form, an indicator deleted, a value gathered (bulk upsert), the nightly recomputation, a
measure's status changed, publication for the public, a body renamed, a new day.
"""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import data_version
from evaluation import rollup_cache
from evaluation.gathering import upsert_values
from evaluation.models import Indicator, Origin
from evaluation.stored_status import refresh_stored_status
from measures.models import Status
from tests.factories import MeasureFactory, publish_now

from .factories import IndicatorFactory, MeasurementFactory

OVERVIEW = reverse("evaluation:overview") + "?alle=1"


def client_for(users, role):
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    return client


# The heading of the box of all indicators: "<n> Indikatoren der <m> aktiven Maßnahmen".
INDICATOR_BOX = 'id="alle-indikatoren">'


def figures(client, url=OVERVIEW):
    """The number of indicators the overview counts, and its HTML."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index(INDICATOR_BOX) + len(INDICATOR_BOX)
    return int(re.match(r"\d+", html[start:]).group()), html


def status_counts(html):
    """{status: count} from the overview's box of all indicators."""
    box = html[html.index(INDICATOR_BOX) :]
    box = box[: box.index("</ul>")]
    return {
        status: int(count)
        for status, count in re.findall(r"ind-status-(\w+)\">[^<]*</span>\s*<strong>(\d+)", box)
    }


def rollups_key(part, day, version):
    """The cache key of a part of the coordinator's district overview."""
    name = rollup_cache.name(part, None, public=False, authenticated=True, today=day)
    return data_version.key(name, version)


def without_tokens(response):
    """The page without what differs per request (CSRF tokens, the CSP nonce)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


@pytest.fixture
def evaluated(district):
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"], status=Status.IN_PROGRESS, title="Bürgerportal"
    )
    indicator = IndicatorFactory(measure=measure, name="Anteil online", frequency="yearly")
    MeasurementFactory(indicator=indicator, period=datetime.date(2025, 1, 1))
    publish_now(measure)
    return measure, indicator


def test_second_request_reads_the_rollups_from_the_cache(
    users, evaluated, django_assert_max_num_queries
):
    client = client_for(users, "coordinator")
    with django_assert_max_num_queries(100) as cold:
        first = client.get(OVERVIEW)
    with django_assert_max_num_queries(100) as warm:
        second = client.get(OVERVIEW)
    # The same page, with the roll-up queries (counts, totals, short lists) skipped.
    assert without_tokens(second) == without_tokens(first)
    assert len(warm.captured_queries) <= len(cold.captured_queries) - 6
    cold_sql = " ".join(q["sql"] for q in cold.captured_queries)
    warm_sql = " ".join(q["sql"] for q in warm.captured_queries)
    assert "MIN(" in cold_sql and "MIN(" not in warm_sql  # the status counts by field and lead
    assert "evaluation_assessment" in cold_sql and "evaluation_assessment" not in warm_sql


def test_a_value_entered_in_the_form_shows_at_once(users, evaluated, district):
    _measure, indicator = evaluated
    client = client_for(users, "editor_own")
    url = reverse("evaluation:municipality_overview", args=["hitzacker-elbe"])
    total, before = figures(client, url)
    assert total == 1
    new = IndicatorFactory(measure=evaluated[0], name="Online-Termine", frequency="yearly")
    total, html = figures(client, url)
    assert total == 2  # a new indicator (post_save) invalidates
    response = client.post(
        reverse("evaluation:measurement_save", args=[new.pk]),
        {"period": "2025", "value": "49", "note": ""},
    )
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.stored_status == "on_track"
    _total, html = figures(client, url)
    assert status_counts(html)["on_track"] == status_counts(before)["on_track"] + 1


def test_deleting_an_indicator_shows_at_once(users, evaluated):
    _measure, indicator = evaluated
    client = client_for(users, "coordinator")
    assert figures(client)[0] == 1
    Indicator.objects.get(pk=indicator.pk).delete()
    assert figures(client)[0] == 0


def test_gathered_values_and_the_nightly_refresh_invalidate(users, evaluated):
    _measure, indicator = evaluated
    client = client_for(users, "coordinator")
    before = status_counts(figures(client)[1])
    assert before["off_track"] == 1
    # A gathering task stores values by bulk upsert (no model signals): the target reached.
    upsert_values(indicator, {datetime.date(2026, 1, 1): Decimal("50")}, origin=Origin.API)
    after = status_counts(figures(client)[1])
    assert after["on_track"] == 1 and after["off_track"] == 0
    # The nightly refresh writes the status by bulk_update (no signals either). A stored
    # status set wrong behind the portal's back stands for yesterday's status.
    Indicator.objects.filter(pk=indicator.pk).update(stored_status="no_data")
    data_version.changed()
    assert status_counts(figures(client)[1])["no_data"] == 1
    assert refresh_stored_status() == 1
    assert status_counts(figures(client)[1]) == after


def rollup_part(html):
    """The cached part about bodies: from "Nach federführender Kommune" to the table."""
    return html[html.index('id="nach-kommune"') : html.index('id="nach-massnahme"')]


def test_a_changed_measure_status_shows_for_internal_users(users, evaluated):
    measure, _indicator = evaluated
    client = client_for(users, "coordinator")
    assert figures(client)[0] == 1
    measure.refresh_from_db()
    measure.status = Status.PAUSED
    measure.save()
    # Paused measures are not evaluated: nothing is left to count.
    html = client.get(OVERVIEW).content.decode()
    assert INDICATOR_BOX not in html and "Noch keine Evaluierung" in html


def test_public_sees_the_published_version_not_the_internal_cache(users, evaluated, district):
    measure, _indicator = evaluated
    internal = client_for(users, "coordinator")
    public = client_for(users, "anonymous")
    second = MeasureFactory(lead_municipality=district["gorleben"], status=Status.IN_PROGRESS)
    IndicatorFactory(measure=second)
    assert figures(internal)[0] == 2
    assert figures(public)[0] == 1  # the unpublished measure is not counted for the public
    assert "Gorleben" not in rollup_part(figures(public)[1])
    # Publication (bulk writes) shows the new version to the public at once.
    publish_now(second)
    assert figures(public)[0] == 2
    assert "Gorleben" in rollup_part(figures(public)[1])


def test_a_renamed_body_shows_at_once(users, evaluated, district):
    client = client_for(users, "coordinator")
    assert "Hitzacker (Elbe)" in rollup_part(figures(client)[1])
    hitzacker = district["hitzacker"]
    hitzacker.name = "Hitzacker an der Elbe"
    hitzacker.save()
    assert "Hitzacker an der Elbe" in rollup_part(figures(client)[1])


def test_a_new_day_computes_afresh(users, evaluated):
    client = client_for(users, "coordinator")
    today = timezone.localdate()
    figures(client)
    from django.core.cache import cache

    version = data_version.current()
    assert cache.get(rollups_key("rollups", today, version)) is not None
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        client = client_for(users, "coordinator")  # a new session: the old one has expired
        figures(client)
        assert cache.get(rollups_key("rollups", timezone.localdate(), version)) is not None


def test_version_survives_eviction_with_a_new_number(db):
    from django.core.cache import cache

    first = data_version.current()
    cache.delete(data_version.KEY)
    assert data_version.current() != first


def test_table_pages_are_cached_per_existing_page_only(users, district):
    from django.core.cache import cache

    for i in range(60):  # two pages of 50
        MeasureFactory(
            lead_municipality=district["hitzacker"], status=Status.IN_PROGRESS, title=f"M {i:02d}"
        )
    client = client_for(users, "coordinator")
    for value in ["abc", "0", "-1", "99999999999999999999", "2", "1", "", "2.5"]:
        assert client.get(OVERVIEW, {"page": value}).status_code == 200
    version = data_version.current()
    day = timezone.localdate()

    def table(number):
        return cache.get(rollups_key(f"table-{number}", day, version))

    assert table(1) is not None and table(2) is not None
    for absent in (0, -1, 3, 99999999999999999999):
        assert table(absent) is None
    # What is shown for a malformed page is what Paginator.get_page shows for it.
    last = client.get(OVERVIEW, {"page": "99999"}).content.decode()
    assert "Seite 2 von 2" in last and "M 59" in last
