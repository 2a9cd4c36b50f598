"""The measure list (filter, search, sort, paginate) and dashboards, with flat query counts."""

import pytest
from django.urls import reverse

from fields_of_action.models import FieldOfAction
from measures.models import Measure, Partnership, Status

from ..factories import GoalFactory, MeasureFactory, publish_now


def make_measures(district, count):
    fields = list(FieldOfAction.objects.all())
    bodies = [district[k] for k in ("hitzacker", "dannenberg", "gorleben", "elbtalaue")]
    goals = [GoalFactory(field_of_action=f, title=f"Ziel {f.number}") for f in fields]
    statuses = list(Status)
    for i in range(count):
        lead = bodies[i % len(bodies)]
        measure = MeasureFactory(
            lead_municipality=lead,
            field_of_action=fields[i % 6],
            status=statuses[i % len(statuses)],
        )
        measure.goals.add(goals[i % 6])
        if i % 3 == 0:
            partner = bodies[(i + 1) % len(bodies)]
            Partnership.objects.create(measure=measure, municipality=partner, state="confirmed")


@pytest.mark.parametrize("count", [10, 200])
@pytest.mark.parametrize(
    "url",
    [
        reverse("measures:list"),
        reverse("measures:list") + "?q=Maßnahme&field=digitale-verwaltungsleistungen&sort=title",
        reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"]),
        reverse("measures:dashboard", args=["sg-elbtalaue"]),
        reverse("measures:dashboard", args=["hitzacker-elbe"]),
    ],
)
def test_query_count_is_constant(as_role, district, django_assert_max_num_queries, count, url):
    make_measures(district, count)
    client = as_role("coordinator")
    # Session, user, memberships, counts, page rows, a fixed number of prefetches, one query
    # for the tasks other apps put on a dashboard (an open Abstimmung) and, on the district
    # dashboard, two for its synergy figures and one for the bodies nobody can answer for
    # (municipalities.acting); one for the data version's database epoch (core.data_version);
    # on a dashboard, four for the money section until it is cached (measures/views/money.py),
    # one for the Vorlagen of the adoption on the dashboard and one for the notice that the
    # strategy is in force for the body (drafts.adoption); on the district's page the
    # coordinator's cockpit ("Was auf Sie wartet", core.dashboard.cockpit_for: review queue,
    # requests, the draft, decisions, open rounds), which replaces the requests' own query.
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200


def test_detail_query_count_is_constant(as_role, district, django_assert_max_num_queries):
    make_measures(district, 30)
    measure = Measure.objects.first()
    for _ in range(5):
        Partnership.objects.get_or_create(measure=measure, municipality=district["gartow"])
    client = as_role("council")
    # One more than before for the stored similar measures (measures/synergy.py), one for
    # the asked bodies nobody can answer for (measures.partnerships.nobody_can_answer_among),
    # four for the timeline (status changes, Sachstände, values, assessments;
    # evaluation/timeline.py), one for the cost plan's years, one for the funding entries,
    # one for the Vorlage the Kreistag has (measures.publication.latest_presentation).
    with django_assert_max_num_queries(19):
        assert client.get(measure.get_absolute_url()).status_code == 200


def titles(response):
    return [m.title for m in response.context["page"].object_list]


def test_filters_and_search(as_role, district):
    field2 = FieldOfAction.objects.get(number=2)
    a = MeasureFactory(lead_municipality=district["hitzacker"], title="E-Akte einführen")
    b = MeasureFactory(
        lead_municipality=district["gorleben"],
        title="Gemeinsames Rechenzentrum",
        field_of_action=field2,
        status=Status.IN_PROGRESS,
    )
    Partnership.objects.create(measure=b, municipality=district["hitzacker"], state="confirmed")
    c = MeasureFactory(
        lead_municipality=district["dannenberg"], title="WLAN im Rathaus", summary="E-Akte"
    )
    client = as_role("editor_own")
    url = reverse("measures:list")
    assert set(titles(client.get(url))) == {a.title, b.title, c.title}
    assert titles(client.get(url, {"field": field2.slug})) == [b.title]
    assert titles(client.get(url, {"status": "in_progress"})) == [b.title]
    # A municipality filter finds measures it leads or takes part in.
    assert set(titles(client.get(url, {"municipality": "hitzacker-elbe"}))) == {a.title, b.title}
    assert set(titles(client.get(url, {"q": "e-akte"}))) == {a.title, c.title}
    assert titles(client.get(url, {"q": "E-Akte einführen"})) == [a.title]
    assert titles(client.get(url, {"sort": "title"})) == sorted([a.title, b.title, c.title])
    empty = client.get(url, {"q": "gibt es nicht"})
    assert "Keine Maßnahme passt zu diesem Filter" in empty.content.decode()
    invalid = client.get(url, {"status": "quatsch"})
    assert invalid.status_code == 200
    assert "ungültige Angaben" in invalid.content.decode()


def test_pagination_keeps_the_filter(as_role, district, settings):
    settings.PORTAL_PAGE_SIZE = 5
    for i in range(12):
        MeasureFactory(lead_municipality=district["hitzacker"], title=f"Vorhaben {i:02d}")
    client = as_role("editor_own")
    page1 = client.get(reverse("measures:list"), {"sort": "title", "q": "Vorhaben"})
    assert titles(page1) == [f"Vorhaben {i:02d}" for i in range(5)]
    html = page1.content.decode()
    assert "Seite 1 von 3" in html
    assert "sort=title&amp;q=Vorhaben&amp;page=2" in html
    page3 = client.get(reverse("measures:list"), {"sort": "title", "q": "Vorhaben", "page": 3})
    assert titles(page3) == ["Vorhaben 10", "Vorhaben 11"]
    # Out-of-range pages show the last page instead of an error.
    assert titles(client.get(reverse("measures:list"), {"page": 99, "sort": "title"}))


def test_dashboard_counts_by_field_and_status(as_role, district):
    field1 = FieldOfAction.objects.get(number=1)
    MeasureFactory(lead_municipality=district["hitzacker"], status=Status.PLANNED)
    MeasureFactory(lead_municipality=district["dannenberg"], status=Status.PLANNED)
    joint = MeasureFactory(lead_municipality=district["gorleben"], status=Status.COMPLETED)
    Partnership.objects.create(measure=joint, municipality=district["hitzacker"], state="confirmed")
    Partnership.objects.create(
        measure=joint, municipality=district["dannenberg"], state="confirmed"
    )

    client = as_role("samtgemeinde_editor")
    sg = client.get(reverse("measures:dashboard", args=["sg-elbtalaue"]))
    row = next(r for r in sg.context["matrix"] if r["field"] == field1)
    cells = {status.value: n for status, n in row["cells"]}
    # The joint measure counts once although two members take part.
    assert cells["planned"] == 2 and cells["completed"] == 1
    assert sg.context["total"] == 3
    assert sg.context["can_create"]

    hitzacker = client.get(reverse("measures:dashboard", args=["hitzacker-elbe"]))
    assert hitzacker.context["total"] == 2

    gorleben = as_role("editor_own").get(reverse("measures:dashboard", args=["gorleben"]))
    assert not gorleben.context["can_create"]


def test_dashboard_empty_state(as_role, district):
    response = as_role("editor_own").get(reverse("measures:dashboard", args=["hitzacker-elbe"]))
    html = response.content.decode()
    assert "noch keine Maßnahmen erfasst" in html
    assert "Neue Maßnahme anlegen" in html


def test_unknown_dashboard_is_404(as_role, district):
    assert as_role("coordinator").get("/massnahmen/kommune/gibt-es-nicht/").status_code == 404


def publish(measure):
    publish_now(measure)


def test_public_search_filter_and_sort_use_the_published_version(client, district):
    from decimal import Decimal

    field2 = FieldOfAction.objects.get(number=2)
    cheap = MeasureFactory(
        lead_municipality=district["hitzacker"], title="Bürgerportal", budget_planned=900
    )
    dear = MeasureFactory(
        lead_municipality=district["gorleben"], title="Aktenplan", budget_planned=15000
    )
    publish(cheap)
    publish(dear)
    # Unreviewed edits after publication must not be findable by the public.
    Measure.objects.filter(pk=cheap.pk).update(
        description="Geheimer Entwurfstext", status=Status.DROPPED, field_of_action=field2
    )
    Measure.objects.filter(pk=dear.pk).update(title="Zzz neuer Titel", budget_planned=Decimal(1))
    url = reverse("measures:list")
    assert titles(client.get(url, {"q": "Geheimer"})) == []
    assert titles(client.get(url, {"status": "dropped"})) == []
    assert titles(client.get(url, {"field": field2.slug})) == []
    field1 = sorted(titles(client.get(url, {"field": "digitale-verwaltungsleistungen"})))
    assert field1 == ["Aktenplan", "Bürgerportal"]
    planned = titles(client.get(url, {"status": "planned"}))
    assert sorted(planned) == ["Aktenplan", "Bürgerportal"]
    assert titles(client.get(url, {"sort": "title"})) == ["Aktenplan", "Bürgerportal"]
    assert titles(client.get(url, {"sort": "-budget_planned"})) == ["Aktenplan", "Bürgerportal"]


def test_public_dashboard_counts_the_published_version(client, district):
    field2 = FieldOfAction.objects.get(number=2)
    measure = MeasureFactory(lead_municipality=district["hitzacker"], status=Status.PLANNED)
    publish(measure)
    Measure.objects.filter(pk=measure.pk).update(status=Status.DROPPED, field_of_action=field2)
    response = client.get(reverse("measures:dashboard", args=["hitzacker-elbe"]))
    counted = {
        (row["field"].number, status.value): n
        for row in response.context["matrix"]
        for status, n in row["cells"]
        if n
    }
    assert counted == {(1, "planned"): 1}


def test_public_list_names_lead_and_partners_as_published(client, district):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Bürgerportal")
    Partnership.objects.create(
        measure=measure, municipality=district["gorleben"], state="confirmed"
    )
    publish(measure)
    Partnership.objects.filter(measure=measure).delete()
    Partnership.objects.create(
        measure=measure, municipality=district["dannenberg"], state="confirmed"
    )
    html = client.get(reverse("measures:list")).content.decode()
    assert "gemeinsam mit: Gorleben" in html
    assert "Dannenberg (Elbe)" not in html.split("<tbody>")[1].split("</tbody>")[0]
