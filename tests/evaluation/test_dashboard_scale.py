"""The evaluation dashboard at district scale (issue 13): flat queries, paged and short lists,
full lists of the need for action for every role, in the published version for the public."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core import data_version
from fields_of_action.models import FieldOfAction
from measures.models import Status
from measures.review import review_snapshot
from tests.factories import MeasureFactory, publish_now

from .factories import IndicatorFactory, MeasurementFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
KINDS = ["ohne-indikator", "ohne-aktuellen-wert", "bewertung-ueberfaellig"]


def make_evaluated(district, count):
    fields = list(FieldOfAction.objects.all())
    leads = [district[k] for k in ("hitzacker", "dannenberg", "gorleben")]
    old = timezone.now() - datetime.timedelta(days=800)
    for i in range(count):
        measure = MeasureFactory(
            lead_municipality=leads[i % 3],
            field_of_action=fields[i % len(fields)],
            status=Status.IN_PROGRESS if i % 4 else Status.PLANNED,
        )
        type(measure).objects.filter(pk=measure.pk).update(created_at=old)
        if i % 5:
            indicator = IndicatorFactory(measure=measure, frequency="yearly")
            if i % 2:
                MeasurementFactory(indicator=indicator, period=datetime.date(2025, 1, 1))
        publish_now(measure)


def urls():
    yield reverse("evaluation:overview")
    yield reverse("evaluation:municipality_overview", args=["sg-elbtalaue"])
    yield reverse("evaluation:overview") + "?page=2"
    for kind in KINDS:
        yield reverse("evaluation:needs_list", args=[kind])
        yield reverse("evaluation:municipality_needs_list", args=["sg-elbtalaue", kind])


@pytest.mark.parametrize("role", ["coordinator", "anonymous"])
def test_query_count_does_not_grow_from_10_to_200_measures(
    as_role, district, django_assert_max_num_queries, role
):
    client = as_role(role)
    make_evaluated(district, 10)
    small = {}
    # Each request computed afresh (a new data version): the cold path must be flat too.
    for url in urls():
        data_version.changed()
        with django_assert_max_num_queries(20) as queries:
            assert client.get(url).status_code == 200
        small[url] = len(queries.captured_queries)
    make_evaluated(district, 190)
    for url in urls():
        data_version.changed()
        with django_assert_max_num_queries(small[url]):
            response = client.get(url)
        assert response.status_code == 200


def test_dashboard_pages_the_measures_and_shortens_the_lists(as_role, district):
    make_evaluated(district, 120)
    response = as_role("coordinator").get(reverse("evaluation:overview"))
    context = response.context
    assert len(context["by_measure"]) == 50
    assert context["measure_page"].paginator.count == 120
    assert context["without_indicators_count"] == 24 and len(context["without_indicators"]) == 10
    assert context["overdue_count"] == 90 and len(context["overdue"]) == 10
    html = response.content.decode()
    assert 'href="?page=2"' in html
    assert reverse("evaluation:needs_list", args=["ohne-indikator"]) in html
    assert "Alle 24 Maßnahmen ohne Indikator" in html
    third = as_role("coordinator").get(reverse("evaluation:overview") + "?page=3")
    assert len(third.context["by_measure"]) == 20
    full = as_role("coordinator").get(reverse("evaluation:needs_list", args=["ohne-indikator"]))
    assert full.context["page"].paginator.count == 24
    assert len(full.context["page"].object_list) == 24


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", KINDS)
def test_needs_lists_for_every_role(as_role, district, role, kind):
    make_evaluated(district, 12)
    response = as_role(role).get(reverse("evaluation:needs_list", args=[kind]))
    assert response.status_code == 200
    scoped = as_role(role).get(
        reverse("evaluation:municipality_needs_list", args=["sg-gartow", kind])
    )
    assert scoped.status_code == 200
    # Gartow's only member Gorleben leads every third measure.
    assert scoped.context["page"].paginator.count < response.context["page"].paginator.count


def test_unknown_list_is_not_found(client, district):
    assert client.get(reverse("evaluation:needs_list", args=["alles"])).status_code == 404


def test_public_lists_show_the_published_version(client, district):
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"], status=Status.IN_PROGRESS, title="Bürgerportal"
    )
    type(measure).objects.filter(pk=measure.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=800)
    )
    indicator = IndicatorFactory(measure=measure, name="Anteil online")
    publish_now(measure)
    draft = MeasureFactory(lead_municipality=district["hitzacker"], status=Status.IN_PROGRESS)
    measure.refresh_from_db()
    measure.title = "GEHEIM-NEUER-TITEL"
    measure.save()
    assert measure.public_snapshot == review_snapshot(measure) | {"title": "Bürgerportal"}
    for kind in KINDS:
        html = client.get(reverse("evaluation:needs_list", args=[kind])).content.decode()
        assert "GEHEIM-NEUER-TITEL" not in html and draft.title not in html
        if kind != "ohne-indikator":
            assert "Bürgerportal" in html
    html = client.get(reverse("evaluation:needs_list", args=["ohne-aktuellen-wert"])).content
    assert indicator.name in html.decode()
