"""Dashboards at district scale (issue 13): the review queue is paged with only the latest
comment per measure, and lists never load the snapshot columns."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from drafts.models import DraftState, StrategyDraft
from measures.review import ReviewState, add_comment, transition_to
from tests.factories import MeasureFactory


def submit(district, users, count, start=0):
    for i in range(start, start + count):
        m = MeasureFactory(lead_municipality=district["hitzacker"], title=f"Eingereicht {i:03d}")
        add_comment(m, users["editor_own"], f"alter Hinweis {i}")
        transition_to(m, ReviewState.SUBMITTED, users["editor_own"], f"neuester Hinweis {i}")


def test_review_queue_is_paged_with_the_latest_comment(as_role, users, district):
    submit(district, users, 30)
    client = as_role("coordinator")
    response = client.get(reverse("measures:review_queue"))
    page = response.context["page"]
    assert page.paginator.count == 30 and len(page.object_list) == 25
    html = response.content.decode()
    assert "30 Maßnahmen warten auf Ihre Prüfung" in html
    assert "neuester Hinweis 0" in html and "alter Hinweis 0" not in html
    assert 'href="?page=2"' in html
    second = client.get(reverse("measures:review_queue") + "?page=2").content.decode()
    assert "Eingereicht 029" in second and "Eingereicht 000" not in second


@pytest.mark.parametrize(
    "url",
    [
        reverse("measures:review_queue"),
        reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"]),
        reverse("home"),
    ],
)
def test_lists_and_counts_never_load_snapshot_columns(as_role, users, district, url):
    submit(district, users, 3)
    StrategyDraft.objects.create(
        title="Strategie",
        version_label="Fassung 1",
        resolution_date=datetime.date(2026, 6, 18),
        state=DraftState.PUBLISHED,
        published_at=timezone.now(),
        snapshot={"measures": [{"title": "x" * 1000}]},
    )
    for role in ("coordinator", "anonymous"):
        client = as_role(role)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code in (200, 302)
        for query in queries.captured_queries:
            sql = query["sql"]
            assert '"accepted_snapshot"' not in sql, sql
            if "drafts_strategydraft" in sql:
                assert '"drafts_strategydraft"."snapshot"' not in sql, sql
        client.logout()


def test_review_queue_queries_do_not_grow(as_role, users, district, django_assert_max_num_queries):
    submit(district, users, 3)
    client = as_role("coordinator")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("measures:review_queue"))
    submit(district, users, 60, start=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("measures:review_queue")).status_code == 200


def test_dashboard_shows_ten_returned_measures_and_the_total(as_role, users, district):
    for i in range(12):
        m = MeasureFactory(lead_municipality=district["hitzacker"], title=f"Zurück {i:02d}")
        transition_to(m, ReviewState.SUBMITTED, users["editor_own"])
        transition_to(m, ReviewState.CHANGES_REQUESTED, users["coordinator"], f"Grund {i}")
    response = as_role("coordinator").get(
        reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"])
    )
    assert len(response.context["returned"]) == 10
    assert response.context["returned_count"] == 12
    html = response.content.decode()
    assert "Zur Überarbeitung an die Kommunen zurückgegeben (12)" in html
    assert "zehn zuletzt zurückgegebenen von 12" in html
    own = as_role("editor_own").get(reverse("measures:dashboard", args=["hitzacker-elbe"]))
    assert own.context["returned_count"] == 12


def test_the_measure_form_lists_the_bodies_once_however_many_partners(as_role, users, district):
    """Every partner row offers all bodies: they are read once for all rows, not twice per
    row (a count and the list), so the form costs as many queries with 1 or 6 partners."""
    from measures.models import Partnership

    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Gemeinsame App")
    client = as_role("editor_own")
    url = reverse("measures:update", args=[measure.pk])

    def queries_of_the_form():
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert html.count('<option value="">– keine –</option>') == (
            Partnership.objects.filter(measure=measure).count() + 3  # 2 empty rows, template
        )
        return len(queries.captured_queries)

    Partnership.objects.create(measure=measure, municipality=district["dannenberg"])
    with_one = queries_of_the_form()
    for key in ("gorleben", "gartow", "elbtalaue", "district"):
        Partnership.objects.create(measure=measure, municipality=district[key])
    assert queries_of_the_form() == with_one
