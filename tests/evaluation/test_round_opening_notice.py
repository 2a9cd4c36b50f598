"""Opening a data-collection round: the confirmation says how many e-mails went to whom, by
body, and names the bodies nobody was told about (issue 19, section 2)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from measures.models import Status
from tests.factories import MeasureFactory

from .factories import IndicatorFactory


@pytest.fixture
def owed(district, measure, other_measure):
    """Manual values owed by Hitzacker and Gorleben (own editors), Dannenberg (told through
    Samtgemeinde Elbtalaue) and Samtgemeinde Gartow (nobody can answer)."""
    IndicatorFactory(measure=measure, name="Anteil online gestellter Anträge")
    IndicatorFactory(measure=other_measure, name="Beschäftigte mit E-Akte")
    for body in ("dannenberg", "gartow"):
        IndicatorFactory(
            measure=MeasureFactory(lead_municipality=district[body], status=Status.IN_PROGRESS),
            name=f"Wert {body}",
        )


def test_opening_says_who_was_told_by_body(
    as_role, users, owed, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("coordinator").post(
            reverse("evaluation:round_list"),
            {"title": "Jahreswerte 2026", "period": "2026-12-31", "deadline": "2027-01-25"},
        )
    assert response.status_code == 302
    [text] = [str(m) for m in get_messages(response.wsgi_request)]
    deliveries = sum(len(m.to) for m in mailoutbox)
    assert deliveries == 3
    name = {role: users[role].get_full_name() for role in users if users[role]}
    assert text.startswith(
        "Die Runde „Jahreswerte 2026“ ist eröffnet. 3 E-Mails werden verschickt:"
    )
    assert f"für Hitzacker (Elbe) an {name['editor_own']}" in text
    assert f"für Gorleben an {name['editor_other']}" in text
    assert (
        f"für Dannenberg (Elbe) an {name['samtgemeinde_editor']} "
        "(Verwaltung der Samtgemeinde Elbtalaue)"
    ) in text
    assert "Niemand benachrichtigt für Samtgemeinde Gartow" in text
    assert {a for m in mailoutbox for a in m.to} == {
        users["editor_own"].email,
        users["editor_other"].email,
        users["samtgemeinde_editor"].email,
    }


def test_opening_a_round_nobody_owes_values_for_says_so(as_role, district):
    response = as_role("coordinator").post(
        reverse("evaluation:round_list"),
        {"title": "Leer", "period": "2026-12-31", "deadline": "2027-01-25"},
    )
    [text] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Keine Kommune muss in dieser Runde Werte liefern" in text


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 12, 6, 10, 0, tzinfo=datetime.UTC))
