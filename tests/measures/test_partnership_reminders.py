"""Unanswered partnership requests are reminded after 14 days, then every 14 days, once per
request and period however often the beat task runs (issue 19, section 2)."""

import datetime
import smtplib

import pytest
from django.conf import settings

from measures.models import Partnership, PartnershipState
from measures.reminders import send_due_reminders
from measures.tasks import send_partnership_reminders

from ..factories import MeasureFactory

START = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)


@pytest.fixture
def requests_(district, users, time_machine):
    time_machine.move_to(START, tick=False)
    lead = district["hitzacker"]
    return {
        name: Partnership.objects.create(
            measure=MeasureFactory(lead_municipality=lead, title=f"Maßnahme {name}"),
            municipality=district[name],
        )
        for name in ("gorleben", "dannenberg", "gartow")
    }


def test_the_beat_schedule_runs_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["measures-send-partnership-reminders"]
    assert entry["task"] == "measures.send_partnership_reminders"


def test_reminders_after_14_days_once_per_period(requests_, users, mailoutbox, time_machine):
    time_machine.move_to(START + datetime.timedelta(days=13, hours=23), tick=False)
    assert send_partnership_reminders() == 0
    assert mailoutbox == []

    time_machine.move_to(START + datetime.timedelta(days=14), tick=False)
    assert send_partnership_reminders() == 3
    by_to = {tuple(m.to): m for m in mailoutbox}
    assert set(by_to) == {
        (users["editor_other"].email,),  # Gorleben's own editor
        (users["samtgemeinde_editor"].email,),  # Dannenberg through Samtgemeinde Elbtalaue
        (users["coordinator"].email,),  # nobody can answer for Samtgemeinde Gartow
    }
    gorleben = by_to[(users["editor_other"].email,)]
    assert gorleben.subject.startswith("Erinnerung: Anfrage zur Beteiligung")
    assert "am 2. November 2026" in gorleben.body
    nobody = by_to[(users["coordinator"].email,)]
    assert "Samtgemeinde Gartow erreicht weiterhin niemanden" in nobody.subject

    # The same day, and the next days: nothing again.
    for day in (14, 15, 27):
        time_machine.move_to(START + datetime.timedelta(days=day, hours=5), tick=False)
        assert send_partnership_reminders() == 0
    assert len(mailoutbox) == 3

    # Answered meanwhile: no further reminder for that one.
    answered = requests_["gorleben"]
    Partnership.objects.filter(pk=answered.pk).update(state=PartnershipState.CONFIRMED)
    time_machine.move_to(START + datetime.timedelta(days=28), tick=False)
    assert send_partnership_reminders() == 2
    assert len(mailoutbox) == 5
    stamps = dict(Partnership.objects.values_list("pk", "reminded_at"))
    assert stamps[answered.pk] == START + datetime.timedelta(days=14)
    assert stamps[requests_["gartow"].pk] == START + datetime.timedelta(days=28)


def test_asking_again_restarts_the_period(requests_, mailoutbox, time_machine):
    time_machine.move_to(START + datetime.timedelta(days=14), tick=False)
    send_due_reminders()
    mailoutbox.clear()
    again = START + datetime.timedelta(days=20)
    Partnership.objects.filter(pk=requests_["gorleben"].pk).update(
        requested_at=again, reminded_at=None
    )
    time_machine.move_to(START + datetime.timedelta(days=28), tick=False)
    assert send_due_reminders() == 2  # Dannenberg and Gartow; Gorleben was asked anew
    time_machine.move_to(again + datetime.timedelta(days=14), tick=False)
    assert send_due_reminders() == 1


def test_a_failing_mail_server_keeps_the_reminder_due(
    requests_, mailoutbox, time_machine, monkeypatch
):
    time_machine.move_to(START + datetime.timedelta(days=14), tick=False)

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("weg")

    monkeypatch.setattr("measures.reminders.send_mail", refuse)
    assert send_due_reminders() == 0
    assert not Partnership.objects.filter(reminded_at__isnull=False).exists()
    monkeypatch.undo()
    assert send_due_reminders() == 3
