"""Opening the Abstimmung tells whoever acts for each body (municipalities.acting): a member
with its own editors through them, a member without through its Samtgemeinde."""

import datetime

import pytest
import time_machine
from django.core import mail

from core.dashboard import tasks_for
from drafts.consultation import open_consultation
from drafts.workflow import freeze

TODAY = datetime.date(2027, 1, 4)


@pytest.fixture
def consultation(measures, draft, users, django_capture_on_commit_callbacks):
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC)):
        frozen = freeze(draft, users["coordinator"], render=False)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            return open_consultation(
                frozen, users["coordinator"], TODAY + datetime.timedelta(days=14)
            )


def _bodies_in(message):
    return [line[2:] for line in message.body.splitlines() if line.startswith("- ")]


def test_opening_mails_each_body_once_to_whoever_acts_for_it(consultation, users):
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {
        ("hitzacker@example.org",),
        ("gorleben@example.org",),
        ("sg-elbtalaue@example.org",),
    }
    assert _bodies_in(by_recipient[("hitzacker@example.org",)]) == ["Hitzacker (Elbe)"]
    assert _bodies_in(by_recipient[("gorleben@example.org",)]) == ["Gorleben"]
    # The Samtgemeinde's administration is told for itself and for Dannenberg, which has no
    # editor of its own; Hitzacker's own editor is told about Hitzacker.
    assert _bodies_in(by_recipient[("sg-elbtalaue@example.org",)]) == [
        "Samtgemeinde Elbtalaue",
        "Dannenberg (Elbe)",
    ]
    # Samtgemeinde Gartow has nobody: nobody is mailed about it.
    assert not any("Samtgemeinde Gartow" in m.body for m in mail.outbox)


def test_my_tasks_offer_the_abstimmung_only_to_whoever_acts_for_the_body(
    consultation, district, users
):
    """The dashboard tasks ("Meine Aufgaben") ask only those who may answer for a body:
    the coordinator's general right to edit does not make it answer for Samtgemeinde Gartow."""

    def titles(role, body):
        return [t.title for t in tasks_for(users[role], district[body]) if "Abstimmung" in t.title]

    assert titles("coordinator", "gartow") == []
    assert titles("council", "gartow") == []
    assert len(titles("samtgemeinde_editor", "dannenberg")) == 1
    assert len(titles("editor_own", "hitzacker")) == 1
    assert titles("editor_own", "dannenberg") == []
