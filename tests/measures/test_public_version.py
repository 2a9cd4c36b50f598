"""The public sees only the published version: lists, filters, sorts, counts, exports.

A measure is published, then changed without review (lead, partners, field, status, dates,
title); every public view must still show, filter, sort and count the published version.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Indicator
from fields_of_action.models import FieldOfAction
from measures.models import Measure, Partnership, PartnershipState, Status

from ..evaluation.factories import IndicatorFactory, MeasurementFactory
from ..factories import MeasureFactory, publish_now

T0 = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def changed(district):
    """'Bürgerportal' published (lead Hitzacker, partner Dannenberg, field 1), then edited.

    'Aktenplan' (lead Gorleben, field 2) is published later and not changed since.
    """
    field1, field2, field3 = (FieldOfAction.objects.get(number=n) for n in (1, 2, 3))
    with time_machine.travel(T0, tick=False):
        portal = MeasureFactory(
            lead_municipality=district["hitzacker"],
            field_of_action=field1,
            title="Bürgerportal",
            status=Status.IN_PROGRESS,
            planned_start=datetime.date(2027, 1, 1),
        )
        Partnership.objects.create(
            measure=portal, municipality=district["dannenberg"], state=PartnershipState.CONFIRMED
        )
        indicator = IndicatorFactory(measure=portal, name="Anteil online")
        MeasurementFactory(indicator=indicator, value=20)
        publish_now(portal)
    with time_machine.travel(T0 + datetime.timedelta(days=1), tick=False):
        files = MeasureFactory(
            lead_municipality=district["gorleben"],
            field_of_action=field2,
            title="Aktenplan",
            status=Status.IN_PROGRESS,
            planned_start=datetime.date(2028, 1, 1),
        )
        publish_now(files)
    with time_machine.travel(T0 + datetime.timedelta(days=5), tick=False):
        portal.refresh_from_db()
        portal.lead_municipality = district["gorleben"]
        portal.field_of_action = field3
        portal.status = Status.DROPPED
        portal.title = "Zzz unveröffentlichter Titel"
        portal.planned_start = datetime.date(2030, 1, 1)
        portal.save()
        Partnership.objects.filter(measure=portal).delete()
        Partnership.objects.create(
            measure=portal, municipality=district["gartow"], state=PartnershipState.CONFIRMED
        )
    return {"portal": portal, "files": files, "indicator": indicator}


def titles(response):
    return [m.title for m in response.context["page"].object_list]


def test_list_filter_by_municipality_uses_published_lead_and_partners(client, changed):
    url = reverse("measures:list")
    assert titles(client.get(url, {"municipality": "hitzacker-elbe"})) == ["Bürgerportal"]
    # Dannenberg is a published partner, Gartow only an unreviewed one.
    assert titles(client.get(url, {"municipality": "dannenberg-elbe"})) == ["Bürgerportal"]
    assert titles(client.get(url, {"municipality": "sg-gartow"})) == []
    assert titles(client.get(url, {"municipality": "gorleben"})) == ["Aktenplan"]


def test_list_shows_published_field_status_and_lead(client, changed):
    html = client.get(reverse("measures:list")).content.decode()
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "Zzz" not in body and "verworfen" not in body
    assert "3. " not in body  # the unreviewed field of action
    row = next(r for r in body.split("<tr") if "Bürgerportal" in r)
    assert "Hitzacker (Elbe)" in row and "Gorleben" not in row


def test_list_sorts_by_published_lead_field_start_and_change(client, changed, district):
    url = reverse("measures:list")
    by_lead = sorted(
        [("Bürgerportal", district["hitzacker"]), ("Aktenplan", district["gorleben"])],
        key=lambda pair: pair[1].tree_path,
    )
    expected = [title for title, _ in by_lead]
    assert titles(client.get(url, {"sort": "lead_municipality__tree_path"})) == expected
    assert titles(client.get(url, {"sort": "field_of_action__number"})) == [
        "Bürgerportal",
        "Aktenplan",
    ]
    assert titles(client.get(url, {"sort": "planned_start"})) == ["Bürgerportal", "Aktenplan"]
    # "Recently changed" is the time of the published change, not of the unreviewed edit.
    assert titles(client.get(url, {"sort": "-updated_at"})) == ["Aktenplan", "Bürgerportal"]
    assert titles(client.get(url)) == ["Aktenplan", "Bürgerportal"]


def test_list_filters_by_published_field_and_status(client, changed):
    url = reverse("measures:list")
    field1, field3 = (FieldOfAction.objects.get(number=n) for n in (1, 3))
    assert titles(client.get(url, {"field": field1.slug})) == ["Bürgerportal"]
    assert titles(client.get(url, {"field": field3.slug})) == []
    assert titles(client.get(url, {"status": "dropped"})) == []
    assert sorted(titles(client.get(url, {"status": "in_progress"}))) == [
        "Aktenplan",
        "Bürgerportal",
    ]


def _dashboard(client, slug):
    response = client.get(reverse("measures:dashboard", args=[slug]))
    assert response.status_code == 200
    return response


def test_dashboards_count_the_published_lead_and_partners(client, changed):
    assert _dashboard(client, "hitzacker-elbe").context["total"] == 1
    assert _dashboard(client, "dannenberg-elbe").context["total"] == 1
    assert _dashboard(client, "sg-elbtalaue").context["total"] == 1
    # Gorleben leads only "Aktenplan"; Gartow's partnership is unreviewed.
    gorleben = _dashboard(client, "gorleben")
    assert gorleben.context["total"] == 1
    assert [m.title for m in gorleben.context["recent"]] == ["Aktenplan"]
    assert _dashboard(client, "sg-gartow").context["total"] == 1
    members = {m.slug: n for m, n in _dashboard(client, "sg-elbtalaue").context["members"]}
    assert members == {"hitzacker-elbe": 1, "dannenberg-elbe": 0}
    matrix = _dashboard(client, "hitzacker-elbe").context["matrix"]
    counted = {(row["field"].number, s.value): n for row in matrix for s, n in row["cells"] if n}
    assert counted == {(1, "in_progress"): 1}


def test_dashboard_recent_changes_are_the_published_ones(client, changed):
    response = _dashboard(client, "landkreis-luechow-dannenberg")
    recent = response.context["recent"]
    assert [m.title for m in recent] == ["Aktenplan", "Bürgerportal"]
    assert recent[1].updated_at == T0
    html = response.content.decode()
    assert "Zzz" not in html and "geändert 06.03.2027" not in html


def test_indicator_page_header_shows_the_published_version(client, changed):
    html = client.get(changed["indicator"].get_absolute_url()).content.decode()
    assert "Bürgerportal</a> · Hitzacker (Elbe)</p>" in html
    assert "Gorleben" not in html.split("<main", 1)[1]
    assert "Zzz" not in html


def test_evaluation_dashboards_use_the_published_version(client, changed):
    overview = client.get(reverse("evaluation:overview"))
    by_municipality = {g.key.slug: g.total for g in overview.context["by_municipality"]}
    assert by_municipality == {"hitzacker-elbe": 1}
    by_field = {g.key.number: g.total for g in overview.context["by_field"] if g.total}
    assert by_field == {1: 1}
    assert overview.context["in_progress_count"] == 2
    html = overview.content.decode()
    assert "Zzz" not in html
    gorleben = client.get(reverse("evaluation:municipality_overview", args=["gorleben"]))
    assert gorleben.context["district"].total == 0
    hitzacker = client.get(reverse("evaluation:municipality_overview", args=["hitzacker-elbe"]))
    assert hitzacker.context["district"].total == 1


def test_csv_export_names_the_published_lead(client, changed):
    text = b"".join(client.get(reverse("evaluation:export")).streaming_content).decode("utf-8-sig")
    row = next(line for line in text.splitlines() if "Anteil online" in line)
    assert row.split(";")[2:4] == ["Bürgerportal", "Hitzacker (Elbe)"]
    assert "Gorleben" not in text and "Zzz" not in text


def test_internal_users_see_the_current_version(as_role, changed):
    client = as_role("coordinator")
    url = reverse("measures:list")
    assert titles(client.get(url, {"municipality": "sg-gartow"})) == [
        "Zzz unveröffentlichter Titel"
    ]
    assert _dashboard(client, "gorleben").context["total"] == 2


def test_publication_writes_the_published_columns(changed, district):
    portal = Measure.objects.get(pk=changed["portal"].pk)
    assert portal.public_lead == district["hitzacker"]
    assert portal.public_field.number == 1
    assert list(portal.public_partners.all()) == [district["dannenberg"]]
    assert portal.public_changed_at == T0
    # Publishing the same version again keeps the time of the last change.
    later = T0 + datetime.timedelta(days=30)
    from measures.publication import write_public_versions

    write_public_versions({portal.pk: portal.public_snapshot}, later)
    portal.refresh_from_db()
    assert portal.public_changed_at == T0 and portal.public_since == T0
    assert list(portal.public_partners.all()) == [district["dannenberg"]]
    publish_now(portal, when=later)
    portal.refresh_from_db()
    assert portal.public_changed_at == later and portal.public_lead == district["gorleben"]
    assert list(portal.public_partners.all()) == [district["gartow"]]


@pytest.mark.parametrize("count", [5, 60])
@pytest.mark.parametrize(
    "url",
    [
        reverse("measures:list") + "?municipality=sg-elbtalaue&sort=lead_municipality__tree_path",
        reverse("measures:dashboard", args=["sg-elbtalaue"]),
        reverse("evaluation:overview"),
        reverse("evaluation:export"),
    ],
)
def test_public_query_count_is_constant(
    client, district, django_assert_max_num_queries, count, url
):
    leads = [district["hitzacker"], district["dannenberg"]]
    for i in range(count):
        measure = MeasureFactory(lead_municipality=leads[i % 2], status=Status.IN_PROGRESS)
        Partnership.objects.create(
            measure=measure, municipality=district["gorleben"], state=PartnershipState.CONFIRMED
        )
        IndicatorFactory(measure=measure)
        publish_now(measure, when=timezone.now())
    assert Indicator.objects.count() == count
    # One of them names the published bodies by their current label (one query per page);
    # the cached evaluation figures read the data version's database epoch (one query); the
    # evaluation's money section reads the published plans once and its cached version (two).
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
