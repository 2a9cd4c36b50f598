"""Data-collection rounds: one form per body, completeness, reminders before the deadline."""

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.urls import reverse

from evaluation.models import CollectionRound, Measurement
from evaluation.rounds import round_items, send_reminders
from evaluation.tasks import send_round_reminders_task

from .factories import IndicatorFactory, MeasurementFactory

TODAY = datetime.date(2027, 1, 20)


@pytest.fixture
def collection_round(users):
    return CollectionRound.objects.create(
        title="Jahreswerte 2026",
        period=datetime.date(2026, 12, 31),
        deadline=datetime.date(2027, 1, 25),
        opened_by=users["coordinator"],
    )


@pytest.fixture
def due(measure, other_measure):
    return {
        "online": IndicatorFactory(measure=measure, name="Anteil online gestellter Anträge"),
        "days": IndicatorFactory(
            measure=measure, name="Bearbeitungszeit in Tagen", frequency="quarterly"
        ),
        "gorleben": IndicatorFactory(measure=other_measure, name="Anzahl Beschäftigter mit E-Akte"),
        "gathered": IndicatorFactory(measure=measure, source_kind="portal"),
    }


def test_round_items_and_completeness(collection_round, due, district):
    MeasurementFactory(indicator=due["online"], period=datetime.date(2026, 1, 1), value=D("40"))
    progress = round_items(collection_round)
    hitzacker = progress[district["hitzacker"].pk]
    assert [(i.name, p) for i, p, _ in hitzacker.items] == [
        ("Anteil online gestellter Anträge", datetime.date(2026, 1, 1)),
        ("Bearbeitungszeit in Tagen", datetime.date(2026, 10, 1)),
    ]
    assert (hitzacker.due, hitzacker.done, hitzacker.percent) == (2, 1, 50)
    assert progress[district["gorleben"].pk].done == 0


def test_body_enters_all_values_in_one_form(as_role, collection_round, due):
    client = as_role("editor_own")
    url = reverse("evaluation:round_entry", args=[collection_round.pk, "hitzacker-elbe"])
    page = client.get(url)
    assert page.status_code == 200
    assert "Bearbeitungszeit in Tagen" in page.content.decode()
    assert "Anzahl Beschäftigter" not in page.content.decode()
    response = client.post(
        url,
        {
            f"value_{due['online'].pk}": "42,5",
            f"note_{due['online'].pk}": "Auswertung Antragsportal",
            f"value_{due['days'].pk}": "",
        },
    )
    assert response.status_code == 302
    stored = Measurement.objects.get()
    assert (stored.indicator, stored.value, stored.origin) == (due["online"], D("42.5"), "round")


def test_invalid_value_stores_nothing(as_role, collection_round, due):
    url = reverse("evaluation:round_entry", args=[collection_round.pk, "hitzacker-elbe"])
    response = as_role("editor_own").post(
        url, {f"value_{due['online'].pk}": "12", f"value_{due['days'].pk}": "zwölf"}
    )
    assert response.status_code == 200
    assert "Bitte geben Sie eine Zahl an" in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("editor_own", 200),
        ("samtgemeinde_editor", 200),
        ("editor_other", 403),
        ("council", 403),
        ("coordinator", 200),
    ],
)
def test_round_entry_permissions(as_role, collection_round, due, role, status):
    url = reverse("evaluation:round_entry", args=[collection_round.pk, "hitzacker-elbe"])
    assert as_role(role).get(url).status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [("editor_own", 403), ("council", 403), ("coordinator", 200)],
)
def test_completeness_overview_for_the_coordinator(as_role, collection_round, due, role, status):
    response = as_role(role).get(reverse("evaluation:round_detail", args=[collection_round.pk]))
    assert response.status_code == status
    if status == 200:
        assert response.context["due"] == 3


def test_coordinator_opens_a_round(as_role):
    response = as_role("coordinator").post(
        reverse("evaluation:round_list"),
        {"title": "Quartal 1/2027", "period": "2027-03-31", "deadline": "2027-04-15"},
    )
    assert response.status_code == 302
    assert CollectionRound.objects.get().title == "Quartal 1/2027"
    denied = as_role("editor_own").post(
        reverse("evaluation:round_list"),
        {"title": "x", "period": "2027-03-31", "deadline": "2027-04-15"},
    )
    assert denied.status_code == 403


def test_reminders_go_to_incomplete_bodies_once(collection_round, due, users, settings):
    settings.EVALUATION_REMINDER_DAYS = 7
    # Gorleben is complete; Hitzacker misses both values.
    MeasurementFactory(indicator=due["gorleben"], period=datetime.date(2026, 1, 1))
    assert send_reminders(today=datetime.date(2027, 1, 10)) == 0  # too early
    assert send_reminders(today=TODAY) == 1
    message = mail.outbox[0]
    # The town has its own editor: she is reminded (the Samtgemeinde's only where it has none).
    assert message.to == ["hitzacker@example.org"]
    assert "Jahreswerte 2026" in message.subject and "25.01.2027" in message.subject
    assert "Bearbeitungszeit in Tagen" in message.body and "Q4 2026" in message.body
    assert "/evaluierung/runden/" in message.body
    assert send_reminders(today=TODAY) == 0
    assert len(mail.outbox) == 1


def test_reminder_for_a_body_without_editors_goes_to_its_samtgemeinde(
    collection_round, due, users, settings
):
    """A deactivated editor is not written to; the Samtgemeinde's administration acts for the
    town instead (municipalities.acting). Before, the inactive account was still mailed."""
    settings.EVALUATION_REMINDER_DAYS = 7
    MeasurementFactory(indicator=due["gorleben"], period=datetime.date(2026, 1, 1))
    users["editor_own"].is_active = False
    users["editor_own"].save()
    assert send_reminders(today=TODAY) == 1
    assert mail.outbox[0].to == ["sg-elbtalaue@example.org"]
    assert "Hitzacker (Elbe)" in mail.outbox[0].body


def test_reminder_task(collection_round, due, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 20, 9, 0, tzinfo=datetime.UTC))
    assert send_round_reminders_task.apply().get() == 2  # Hitzacker and Gorleben
