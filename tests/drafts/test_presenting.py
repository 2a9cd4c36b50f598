"""Presenting a version to the Kreistag tells people (issue 19, section 5): the council
members get the link and the PDF's size, the bodies are told through whoever acts for them
(one e-mail per person listing their bodies), once; a version without an Abstimmung needs an
explicit confirmation."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from drafts.models import Consultation, DraftState, StrategyDraft
from drafts.presenting import send_presented
from drafts.workflow import freeze, store_pdf
from measures.models import Measure
from municipalities.models import Role
from tests.factories import MembershipFactory

SIZE = int(2.4 * 1024 * 1024)  # "2,4 MB"


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True


@pytest.fixture
def frozen(measures, draft, users):
    freeze(draft, users["coordinator"], render=False)
    # A stand-in file of a known size: what is mailed is its size, not its content.
    return store_pdf(StrategyDraft.objects.get(pk=draft.pk), b"%PDF-1.7\n" + b"0" * (SIZE - 9), 3)


@pytest.fixture
def consulted(frozen, users):
    Consultation.objects.create(
        draft=frozen, deadline=datetime.date(2026, 12, 1), opened_by=users["coordinator"]
    )
    return frozen


def _present(users, draft, django_capture_on_commit_callbacks, **data):
    client = Client()
    client.force_login(users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("drafts:publish", args=[draft.pk]), data)
    return response


def test_presenting_mails_council_and_bodies_once(
    users, consulted, mailoutbox, django_capture_on_commit_callbacks
):
    response = _present(users, consulted, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    consulted.refresh_from_db()
    assert consulted.state == DraftState.PUBLISHED and consulted.presentation_mailed_at
    by_to = {m.to[0]: m for m in mailoutbox}
    assert all(len(m.to) == 1 for m in mailoutbox)
    # The council member, Hitzacker's and Gorleben's own editors, and Elbtalaue's editor for
    # the Samtgemeinde and Dannenberg (no editor of its own). Nobody for Samtgemeinde Gartow.
    assert set(by_to) == {
        users["council"].email,
        users["editor_own"].email,
        users["editor_other"].email,
        users["samtgemeinde_editor"].email,
    }
    council = by_to[users["council"].email]
    assert council.subject.startswith("Dem Kreistag vorgelegt:")
    assert "als Mitglied des Kreistags" in council.body
    assert "(PDF, 2,4 MB)" in council.body
    assert reverse("drafts:pdf", args=[consulted.pk]) + "?download=1" in council.body
    assert reverse("drafts:detail", args=[consulted.pk]) in council.body
    elbtalaue = by_to[users["samtgemeinde_editor"].email].body
    assert "für Samtgemeinde Elbtalaue und Dannenberg (Elbe), für die Sie" in elbtalaue
    assert "Hitzacker" not in elbtalaue  # Hitzacker has its own editor

    [text] = [str(m) for m in get_messages(response.wsgi_request)]
    assert "4 E-Mails werden verschickt: an 1 Mitglied des Kreistags; für die Kommunen" in text
    sg = users["samtgemeinde_editor"].get_full_name()
    assert f"an {sg} für Samtgemeinde Elbtalaue und Dannenberg (Elbe)" in text
    assert "Niemand benachrichtigt für Samtgemeinde Gartow und Gorleben" not in text
    assert "Niemand benachrichtigt für Samtgemeinde Gartow:" in text

    # A redelivered task sends nothing again.
    assert send_presented(consulted.pk) == 0
    assert len(mailoutbox) == 4


def test_a_council_member_who_also_edits_gets_one_mail(
    users, district, consulted, mailoutbox, django_capture_on_commit_callbacks
):
    MembershipFactory(user=users["council"], municipality=district["gartow"], role=Role.EDITOR)
    _present(users, consulted, django_capture_on_commit_callbacks)
    mine = [m for m in mailoutbox if m.to == [users["council"].email]]
    assert len(mine) == 1
    assert "als Mitglied des Kreistags" in mine[0].body
    assert "für Samtgemeinde Gartow, für die Sie im Portal handeln" in mine[0].body


@pytest.mark.parametrize("posted", [{}, {"ohne_abstimmung": "0"}, {"ohne_abstimmung": "1\x00"}])
def test_without_an_abstimmung_presenting_needs_the_checkbox(
    users, frozen, posted, mailoutbox, django_capture_on_commit_callbacks
):
    page = Client()
    page.force_login(users["coordinator"])
    confirm = page.get(reverse("drafts:publish", args=[frozen.pk])).content.decode()
    assert "Zu dieser Version gab es keine Abstimmung mit den Kommunen." in confirm
    assert 'name="ohne_abstimmung"' in confirm
    assert "(PDF, 2,4 MB)" in confirm
    assert "Niemand benachrichtigt für 1 Kommune: Samtgemeinde Gartow." in confirm
    response = _present(users, frozen, django_capture_on_commit_callbacks, **posted)
    assert response.status_code == 400
    assert "Bitte bestätigen Sie, dass Sie sie trotzdem vorlegen" in response.content.decode()
    frozen.refresh_from_db()
    assert frozen.state == DraftState.FROZEN and frozen.presentation_mailed_at is None
    assert not Measure.objects.exclude(public_snapshot=None).exists()
    assert mailoutbox == []
    response = _present(users, frozen, django_capture_on_commit_callbacks, ohne_abstimmung="1")
    assert response.status_code == 302
    frozen.refresh_from_db()
    assert frozen.state == DraftState.PUBLISHED
    assert len(mailoutbox) == 4


def test_with_an_abstimmung_no_checkbox_is_asked(users, consulted):
    client = Client()
    client.force_login(users["coordinator"])
    confirm = client.get(reverse("drafts:publish", args=[consulted.pk])).content.decode()
    assert 'name="ohne_abstimmung"' not in confirm


def test_a_failing_mail_server_gives_the_claim_back(users, consulted, monkeypatch, mailoutbox):
    import smtplib

    from drafts.workflow import publish

    publish(consulted, users["coordinator"])  # its on-commit mail does not run in this test

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("weg")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_presented(consulted.pk)
    consulted.refresh_from_db()
    assert consulted.presentation_mailed_at is None
    monkeypatch.undo()
    assert send_presented(consulted.pk) == 4
