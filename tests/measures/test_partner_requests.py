"""Open requests to take part: found in SQL for the user's bodies, shortened on dashboards,
all of them on a paged list (issue 13: the district dashboard loaded every open request of the
district and filtered them in Python, 6.7 times the work at ten times the data)."""

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from measures.models import Partnership, PartnershipState
from measures.partnerships import open_requests
from measures.permissions import can_answer_partnership
from measures.views.synergy import REQUESTS_SHOWN

from ..factories import MeasureFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
DISTRICT_DASHBOARD = reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"])
LIST = reverse("measures:partner_requests")


def make_requests(district, count):
    """``count`` open requests spread over every body, from measures of other bodies."""
    bodies = [district[k] for k in ("hitzacker", "dannenberg", "gorleben", "elbtalaue", "gartow")]
    pairs = [(a, b) for a, b in itertools.permutations(bodies, 2)]
    for i in range(count):
        lead, partner = pairs[i % len(pairs)]
        measure = MeasureFactory(lead_municipality=lead, title=f"Gemeinsame Maßnahme {i:03d}")
        Partnership.objects.create(measure=measure, municipality=partner)
    # Answered requests are not open.
    answered = Partnership.objects.create(
        measure=MeasureFactory(lead_municipality=district["hitzacker"]),
        municipality=district["gorleben"],
    )
    answered.state = PartnershipState.CONFIRMED
    answered.save()


def client_for(users, role):
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_sql_selection_agrees_with_the_permission(users, district, role):
    make_requests(district, 40)
    user = users[role]
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    everything = Partnership.objects.filter(state=PartnershipState.REQUESTED)
    expected = {p.pk for p in everything if can_answer_partnership(user, p)}
    assert {p.pk for p in open_requests(user)} == expected
    for body in district.values():
        scoped = {p.pk for p in open_requests(user, body)}
        assert scoped <= expected
        if not body.is_district:
            assert all(
                p.municipality_id == body.pk or p.municipality.parent_id == body.pk
                for p in open_requests(user, body)
            )


def test_dashboard_shows_the_first_requests_and_links_all(users, district):
    make_requests(district, 120)
    client = client_for(users, "samtgemeinde_editor")  # Elbtalaue: itself, Hitzacker, Dannenberg
    expected = open_requests(users["samtgemeinde_editor"]).count()
    assert expected > REQUESTS_SHOWN
    response = client.get(DISTRICT_DASHBOARD)
    assert len(response.context["partner_requests"]) == REQUESTS_SHOWN
    html = response.content.decode()
    assert f"Anfragen zur Beteiligung ({expected})" in html
    assert f'href="{LIST}">Alle {expected} offenen Anfragen' in html
    first = client.get(LIST)
    assert first.status_code == 200
    assert len(first.context["page"].object_list) == min(expected, 25)
    shown = [
        p.pk
        for number in first.context["page"].paginator.page_range
        for p in client.get(LIST, {"page": number}).context["page"].object_list
    ]
    assert shown == [p.pk for p in open_requests(users["samtgemeinde_editor"])]
    # Every body by its unambiguous label (e.g. "Samtgemeinde Gartow", not "Gartow").
    page_html = first.content.decode()
    for p in first.context["page"].object_list:
        assert f"{p.measure.lead_municipality.label} möchte {p.municipality.label}" in page_html


@pytest.mark.parametrize("role", ROLES)
def test_list_of_requests_for_every_role(users, district, role):
    make_requests(district, 12)
    response = client_for(users, role).get(LIST)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == 200
    html = response.content.decode()
    mine = list(open_requests(users[role]))
    if mine:
        assert all(p.measure.title in html for p in mine)
    else:
        # The coordinator and the council answer for no body: an empty state, no requests.
        assert "Zurzeit gibt es keine offenen Anfragen" in html
        assert "Anfrage beantworten" not in html


@pytest.mark.parametrize("role", ["samtgemeinde_editor", "editor_other"])
def test_district_dashboard_queries_do_not_grow_with_the_requests(
    users, district, django_assert_max_num_queries, role
):
    client = client_for(users, role)
    make_requests(district, 60)  # more than the dashboard shows: the total is counted
    with django_assert_max_num_queries(60) as small:
        client.get(DISTRICT_DASHBOARD)
    make_requests(district, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(DISTRICT_DASHBOARD)


def test_list_queries_do_not_grow_with_the_requests(users, district, django_assert_max_num_queries):
    client = client_for(users, "samtgemeinde_editor")
    make_requests(district, 10)
    with django_assert_max_num_queries(30) as small:
        assert client.get(LIST).status_code == 200
    make_requests(district, 150)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(LIST).status_code == 200
