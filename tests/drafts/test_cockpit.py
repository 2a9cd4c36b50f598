"""Issue 23 §3: the coordinator's cockpit ("Was auf Sie wartet") on the district's Übersicht.

What waits for the Koordinierungsstelle across the portal, each item a link, with helpful
empty states; only the coordinator sees it, on the district's page; a flat query count.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from drafts import adoption
from drafts.adoption_models import DeliberationStep, StepRole
from drafts.consultation import close, open_consultation, submit_position
from drafts.models import Stance
from drafts.workflow import freeze
from evaluation.models import CollectionRound, Measurement, ReportingRound
from measures.models import Measure, Partnership, ReviewState, Status

from ..evaluation.factories import IndicatorFactory
from ..factories import MeasureFactory
from .conftest import accept

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
NOW = datetime.datetime(2026, 12, 10, 10, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 12, 10)


@pytest.fixture
def today():
    with time_machine.travel(NOW, tick=False):
        yield TODAY


def dashboard_url(district):
    return reverse("measures:dashboard", args=[district["district"].slug])


def text(response):
    return " ".join(response.content.decode().split())


def items(response):
    return {item.title: item for item in response.context["cockpit"]}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_coordinator_sees_the_cockpit(as_role, role, district):
    response = as_role(role).get(dashboard_url(district))
    assert response.status_code == 200
    if role == "coordinator":
        assert response.context["cockpit"]
        assert "Was auf Sie wartet" in text(response)
    else:
        assert response.context["cockpit"] is None
        assert "Was auf Sie wartet" not in text(response)


def test_not_on_another_bodys_page(as_role, district):
    response = as_role("coordinator").get(
        reverse("measures:dashboard", args=[district["elbtalaue"].slug])
    )
    assert response.context["cockpit"] is None
    assert "Was auf Sie wartet" not in text(response)


def test_helpful_empty_states_each_with_a_link(as_role, district, today):
    response = as_role("coordinator").get(dashboard_url(district))
    found = items(response)
    assert [i.title for i in response.context["cockpit"]] == [
        "Prüfung",
        "Strategieentwurf",
        "Abstimmung mit den Kommunen",
        "Beschlüsse",
        "Anfragen zur Beteiligung",
        "Runden",
    ]
    assert found["Prüfung"].text == "Keine Maßnahme wartet auf Prüfung."
    assert found["Prüfung"].url == reverse("measures:review_queue")
    assert found["Strategieentwurf"].text.startswith("Zurzeit ist kein Entwurf in Arbeit")
    assert found["Abstimmung mit den Kommunen"].text.startswith("Keine Abstimmung offen.")
    assert found["Beschlüsse"].text == "Kein Beschluss ist einzutragen."
    assert found["Anfragen zur Beteiligung"].text == "Keine Anfrage zur Beteiligung ist offen."
    assert found["Runden"].text == "Keine Datenerhebungs- oder Berichtsrunde ist offen."
    page = text(response)
    for item in response.context["cockpit"]:
        assert not item.waiting and not item.urgent
        assert f'<a href="{item.url}">{item.link_text}</a>' in page


def _submitted(body, title, days_ago):
    measure = MeasureFactory(lead_municipality=body, title=title)
    Measure.objects.filter(pk=measure.pk).update(
        review_state=ReviewState.SUBMITTED, updated_at=NOW - datetime.timedelta(days=days_ago)
    )
    return measure


@pytest.fixture
def busy(district, users, draft, today):
    """A district with something waiting in every part of the cockpit."""
    accepted = accept(
        MeasureFactory(
            lead_municipality=district["hitzacker"], title="Breitband", status=Status.PLANNED
        ),
        users,
    )
    _submitted(district["hitzacker"], "Neuere Maßnahme", 2)
    _submitted(district["gorleben"], "Älteste Maßnahme", 10)
    _submitted(district["dannenberg"], "Mittlere Maßnahme", 5)
    # Gartow has nobody who could answer for it.
    Partnership.objects.create(measure=accepted, municipality=district["gartow"])
    Partnership.objects.create(measure=accepted, municipality=district["gorleben"])
    frozen = freeze(draft, users["coordinator"], render=False)
    consultation = open_consultation(frozen, users["coordinator"], TODAY + datetime.timedelta(5))
    submit_position(consultation, users["editor_own"], district["hitzacker"], Stance.AGREE, "", {})
    adoption.set_up(frozen, users["coordinator"])
    DeliberationStep.objects.filter(
        procedure__municipality=district["elbtalaue"], role=StepRole.DECIDES
    ).update(meeting_date=TODAY - datetime.timedelta(1))
    first, second = IndicatorFactory(measure=accepted), IndicatorFactory(measure=accepted)
    CollectionRound.objects.create(
        title="Jahreswerte 2026",
        period=datetime.date(2026, 12, 31),
        deadline=TODAY + datetime.timedelta(3),
        opened_by=users["coordinator"],
    )
    Measurement.objects.create(indicator=first, period=datetime.date(2026, 1, 1), value=12)
    assert second.pk
    ReportingRound.objects.create(
        title="Sachstandsbericht 2026",
        deadline=TODAY + datetime.timedelta(30),
        opened_by=users["coordinator"],
    )
    return frozen


def test_what_waits_is_counted_named_and_linked(as_role, district, busy, today):
    response = as_role("coordinator").get(dashboard_url(district))
    found = items(response)
    review = found["Prüfung"]
    assert review.text == (
        "3 Maßnahmen warten auf Ihre Prüfung. Die älteste, „Älteste Maßnahme“ "
        "(Gorleben (Gemeinde)), wartet seit 10 Tagen."
    )
    assert review.url == reverse("measures:review_queue") and review.waiting
    draft = found["Strategieentwurf"]
    assert draft.text == (
        "„Interkommunale Digitalisierungsstrategie“ (Entwurf 1) ist eingefroren und noch "
        "nicht vorgelegt. Vorlage beim Kreistag bis 18. Dezember 2026 (in 8 Tagen)."
    )
    assert draft.urgent and draft.url == busy.get_absolute_url()
    consultation = found["Abstimmung mit den Kommunen"]
    assert consultation.text == (
        "Offen bis 15. Dezember 2026 (in 5 Tagen): 1 von 5 Kommunen haben Stellung genommen."
    )
    assert consultation.url == reverse("drafts:consultation", args=[busy.pk])
    decisions = found["Beschlüsse"]
    assert decisions.text == (
        "1 Rat hat über die Strategie beraten, der Beschluss ist noch nicht eingetragen: "
        "Samtgemeinde Elbtalaue."
    )
    assert decisions.url == reverse("drafts:adoption", args=[busy.pk])
    requests = found["Anfragen zur Beteiligung"]
    assert requests.text == (
        "2 offene Anfragen zur Beteiligung, davon 1 an Kommunen, für die niemand antworten kann."
    )
    assert requests.url == reverse("measures:open_requests_all") + "?niemand=1"
    collection = found["Datenerhebungsrunde „Jahreswerte 2026“"]
    assert collection.text == (
        "1 von 2 Werten liegen vor (50 %); 0 von 1 Kommunen vollständig. "
        "Frist: 13. Dezember 2026 (in 3 Tagen)."
    )
    assert collection.urgent
    reporting = found["Berichtsrunde „Sachstandsbericht 2026“"]
    # The four active measures of three bodies (evaluation.reporting.asked_measures).
    assert reporting.text == (
        "Sachstände zu 0 von 4 Maßnahmen liegen vor (0 %); 0 von 3 Kommunen vollständig. "
        "Frist: 9. Januar 2027 (in 30 Tagen)."
    )
    page = text(response)
    assert "Keine Maßnahme wartet" not in page
    for item in response.context["cockpit"]:
        assert f'<a href="{item.url}">{item.link_text}</a>' in page


def test_a_passed_deadline_asks_to_close_and_a_closed_one_shows_the_result(
    as_role, district, busy, users
):
    with time_machine.travel(NOW + datetime.timedelta(days=7), tick=False):
        found = items(as_role("coordinator").get(dashboard_url(district)))
        late = found["Abstimmung mit den Kommunen"]
        assert late.text.startswith("Die Frist ist am 15. Dezember 2026 abgelaufen; 1 von 5")
        assert late.urgent and late.link_text == "Abstimmung abschließen"
        assert found["Strategieentwurf"].text.endswith(
            "Vorlage beim Kreistag bis 18. Dezember 2026 (morgen)."
        )
        close(busy.consultation, users["coordinator"])
        found = items(as_role("coordinator").get(dashboard_url(district)))
        closed = found["Abstimmung mit den Kommunen"]
        assert closed.text == (
            "Abgeschlossen am 17. Dezember 2026: 1 von 5 Kommunen haben Stellung genommen."
        )
        assert not closed.waiting


def _grow(district, users, size):
    """``size`` more measures waiting, indicators, requests and positions."""
    bodies = [district["hitzacker"], district["gorleben"], district["dannenberg"]]
    for i in range(size):
        body = bodies[i % 3]
        measure = _submitted(body, f"Wartende Maßnahme {i}", i % 20)
        Measure.objects.filter(pk=measure.pk).update(status=Status.IN_PROGRESS)
        IndicatorFactory(measure=measure)
        Partnership.objects.create(measure=measure, municipality=district["gartow"])


def test_the_cockpit_has_a_flat_query_count(
    as_role, district, busy, users, today, django_assert_max_num_queries
):
    client = as_role("coordinator")
    counts = []
    for size in (2, 30):
        _grow(district, users, size)
        client.get(dashboard_url(district))  # the dashboard's cached figures
        with django_assert_max_num_queries(60) as captured:
            response = client.get(dashboard_url(district))
        assert response.status_code == 200
        counts.append(len(captured))
    assert items(response)["Prüfung"].text.startswith("35 Maßnahmen warten")
    assert counts[0] == counts[1]


def test_the_cockpit_costs_a_bounded_number_of_queries(
    users, busy, today, django_assert_max_num_queries
):
    from core.dashboard import cockpit_for

    # Review 2, requests 1, rounds 2 (+2 per collection round, +3 per reporting round), draft
    # with its Abstimmung 1 (+3 for the positions and the bodies), decisions 2.
    with django_assert_max_num_queries(16):
        assert len(cockpit_for(users["coordinator"])) == 7
