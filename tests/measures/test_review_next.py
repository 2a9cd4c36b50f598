"""After a review decision the coordinator goes on to the next measure of the queue; after
logging in everyone lands on their Übersicht unless ``next`` says otherwise (issue 23 §3)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measures.models import Measure, ReviewState
from measures.review import transition_to
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db
ROLES = ["editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


def _submitted(district, users, title, minutes_ago):
    with time_machine.travel(timezone.now() - timezone.timedelta(minutes=minutes_ago)):
        measure = MeasureFactory(lead_municipality=district["hitzacker"], title=title)
        transition_to(measure, ReviewState.SUBMITTED, users["editor_own"])
    return measure


def _decide(client, measure, target):
    measure.refresh_from_db()
    return client.post(
        reverse("measures:transition", args=[measure.pk]),
        {"target": target, "version": measure.version, "comment": "Bitte ergänzen."},
        follow=True,
    ).content.decode()


def test_after_a_decision_the_next_in_the_queue_is_offered(as_role, district, users):
    oldest = _submitted(district, users, "Älteste eingereichte", 30)
    middle = _submitted(district, users, "Mittlere eingereichte", 20)
    newest = _submitted(district, users, "Neueste eingereichte", 10)
    client = as_role("coordinator")
    page = _decide(client, middle, ReviewState.ACCEPTED)
    assert "Die Maßnahme wurde angenommen." in page
    assert (
        f'href="{oldest.get_absolute_url()}#pruefung">Nächste in der Prüfliste: {oldest.reference}'
        in page
    )
    page = _decide(client, oldest, ReviewState.CHANGES_REQUESTED)
    assert f"Nächste in der Prüfliste: {newest.reference}" in page
    page = _decide(client, newest, ReviewState.ACCEPTED)
    assert "Keine weitere Maßnahme wartet auf die Prüfung." in page
    assert reverse("measures:review_queue") in page


@pytest.mark.parametrize("role", ROLES)
def test_only_the_reviewer_is_offered_the_next_measure(as_role, district, users, role):
    waiting = _submitted(district, users, "Wartet auf Prüfung", 5)
    accepted = MeasureFactory(lead_municipality=district["hitzacker"])
    transition_to(accepted, ReviewState.SUBMITTED, users["coordinator"])
    transition_to(accepted, ReviewState.ACCEPTED, users["coordinator"])
    response = as_role(role).get(accepted.get_absolute_url())
    page = response.content.decode()
    assert ("Nächste in der Prüfliste" in page) == (role == "coordinator")
    # On a measure that itself waits for the decision, nothing points away from it.
    page = as_role(role).get(waiting.get_absolute_url()).content.decode()
    assert "Nächste in der Prüfliste" not in page


def test_the_next_measure_costs_one_query_whatever_the_queue(as_role, district, users):
    accepted = MeasureFactory(lead_municipality=district["hitzacker"])
    transition_to(accepted, ReviewState.SUBMITTED, users["coordinator"])
    transition_to(accepted, ReviewState.ACCEPTED, users["coordinator"])
    client = as_role("coordinator")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(accepted.get_absolute_url()).status_code == 200
        return len(queries)

    _submitted(district, users, "Eine", 3)
    few = count()
    for index in range(15):
        _submitted(district, users, f"Weitere {index}", 2)
    assert count() == few
    assert Measure.objects.filter(review_state=ReviewState.SUBMITTED).count() == 16


def test_the_login_link_of_the_home_page_leads_to_the_dashboard(client, users, district):
    home = client.get("/").content.decode()
    assert f'href="{reverse("login")}"' in home
    listing = client.get(reverse("measures:list")).content.decode()
    assert f'href="{reverse("login")}?next=/massnahmen/"' in listing
    response = client.post(reverse("login"), {"username": "hitzacker", "password": "geheim-123"})
    assert response["Location"] == reverse("dashboard")
    assert client.get(response["Location"])["Location"] == reverse(
        "measures:dashboard", args=[district["hitzacker"].slug]
    )
    client.logout()
    response = client.post(
        reverse("login") + "?next=/massnahmen/",
        {"username": "hitzacker", "password": "geheim-123", "next": "/massnahmen/"},
    )
    assert response["Location"] == "/massnahmen/"
