"""E-mails of a round: on opening, a week and a day before the deadline, each once, recorded."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from evaluation.models import CollectionRound, RoundNotice, RoundNotification
from evaluation.rounds import send_opening, send_reminders

from .factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def due(measure, other_measure):
    return {
        "online": IndicatorFactory(measure=measure, name="Anteil online gestellter Anträge"),
        "gorleben": IndicatorFactory(measure=other_measure, name="Anzahl Beschäftigter mit E-Akte"),
    }


def make_round(users, deadline):
    return CollectionRound.objects.create(
        title="Jahreswerte 2026",
        period=datetime.date(2026, 6, 30),
        deadline=deadline,
        opened_by=users["coordinator"],
    )


def test_opening_a_round_mails_every_body_that_owes_values(
    as_role, due, django_capture_on_commit_callbacks, time_machine, eager_celery
):
    time_machine.move_to(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC))
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("coordinator").post(
            reverse("evaluation:round_list"),
            {
                "title": "Jahreswerte 2026",
                "period": "2026-06-30",
                "deadline": "2027-01-25",
                "message": "Bitte die Zahlen des Bürgerbüros.",
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 2  # Hitzacker and Gorleben, each to its own editor
    hitzacker = next(m for m in mail.outbox if "hitzacker@example.org" in m.to)
    assert hitzacker.to == ["hitzacker@example.org"]
    assert "Neue Datenerhebungsrunde" in hitzacker.subject and "25.01.2027" in hitzacker.subject
    assert "Anteil online gestellter Anträge" in hitzacker.body
    assert "Bitte die Zahlen des Bürgerbüros." in hitzacker.body
    assert "/evaluierung/runden/" in hitzacker.body
    collection_round = CollectionRound.objects.get()
    notice = RoundNotification.objects.get(collection_round=collection_round)
    assert (notice.notice, notice.recipients) == (RoundNotice.OPENED, 2)
    assert send_opening(collection_round.pk) == 0  # once
    assert len(mail.outbox) == 2


def test_reminders_a_week_and_a_day_before_each_once(users, due):
    collection_round = make_round(users, datetime.date(2027, 1, 25))
    MeasurementFactory(indicator=due["gorleben"], period=datetime.date(2026, 1, 1))
    assert send_reminders(today=datetime.date(2027, 1, 17)) == 0  # 8 days: too early
    assert send_reminders(today=datetime.date(2027, 1, 18)) == 1  # 7 days: Hitzacker only
    assert "in 7 Tagen" in mail.outbox[0].body
    assert send_reminders(today=datetime.date(2027, 1, 19)) == 0
    assert send_reminders(today=datetime.date(2027, 1, 23)) == 0
    assert send_reminders(today=datetime.date(2027, 1, 24)) == 1  # 1 day
    assert "morgen" in mail.outbox[1].body
    assert send_reminders(today=datetime.date(2027, 1, 24)) == 0
    assert len(mail.outbox) == 2
    notices = dict(
        RoundNotification.objects.filter(collection_round=collection_round).values_list(
            "notice", "recipients"
        )
    )
    assert notices == {RoundNotice.FIRST_REMINDER: 1, RoundNotice.LAST_REMINDER: 1}


def test_a_missed_beat_day_is_made_up_and_a_late_round_gets_only_what_is_left(users, due):
    collection_round = make_round(users, datetime.date(2027, 1, 25))
    assert send_reminders(today=datetime.date(2027, 1, 24)) == 2  # first reminder never sent
    assert "morgen" in mail.outbox[0].body
    assert send_reminders(today=datetime.date(2027, 1, 24)) == 0
    kinds = set(
        RoundNotification.objects.filter(collection_round=collection_round).values_list(
            "notice", flat=True
        )
    )
    assert kinds == {RoundNotice.FIRST_REMINDER, RoundNotice.LAST_REMINDER}


def test_a_round_opened_five_days_before_its_deadline_gets_no_separate_week_reminder(
    users, due, time_machine
):
    time_machine.move_to(datetime.datetime(2027, 1, 20, 9, 0, tzinfo=datetime.UTC))
    collection_round = make_round(users, datetime.date(2027, 1, 25))
    assert send_opening(collection_round.pk) == 2
    assert send_reminders(today=datetime.date(2027, 1, 20)) == 0
    assert send_reminders(today=datetime.date(2027, 1, 24)) == 2  # the last one still comes


def test_closed_rounds_get_no_mails(users, due):
    collection_round = make_round(users, datetime.date(2027, 1, 25))
    CollectionRound.objects.filter(pk=collection_round.pk).update(
        closed_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)
    )
    assert send_opening(collection_round.pk) == 0
    assert send_reminders(today=datetime.date(2027, 1, 24)) == 0
    assert mail.outbox == []


def test_the_round_page_lists_the_mails_sent(as_role, users, due, time_machine):
    time_machine.move_to(datetime.datetime(2027, 1, 20, 9, 0, tzinfo=datetime.UTC))
    collection_round = make_round(users, datetime.date(2027, 1, 25))
    send_opening(collection_round.pk)
    page = as_role("coordinator").get(collection_round.get_absolute_url()).content.decode()
    assert "Eröffnung der Runde am 20.01.2027 (2 E-Mails)" in page
    assert "Erinnerung eine Woche vor der Frist am 20.01.2027 (entfallen)" in page
