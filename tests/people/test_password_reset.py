"""“Passwort vergessen” is limited per account and per client address (issue 18, item 8)."""

import pytest
import time_machine
from django.urls import reverse

from ..factories import UserFactory

START = "2026-05-04 10:00:00+00:00"


@pytest.fixture
def person(db):
    return UserFactory(username="redaktion", email="redaktion@example.org")


def ask(client, email, ip="203.0.113.30", **extra):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, **extra)


def test_one_account_gets_at_most_three_mails_an_hour(client, person, mailoutbox, security_events):
    with time_machine.travel(START, tick=False) as traveller:
        # From several addresses, so that only the account's limit applies.
        answers = [ask(client, "redaktion@example.org", ip=f"198.51.100.{n}") for n in range(16)]
        assert len(mailoutbox) == 3
        assert {(a.status_code, a["Location"]) for a in answers} == {
            (302, reverse("password_reset_done"))
        }
        limited = security_events("password_reset_limited")
        assert len(limited) == 13
        assert limited[0]["reason"] == "account" and limited[0]["username"] == "redaktion"
        traveller.shift(60 * 60 + 1)
        ask(client, "redaktion@example.org")
        assert len(mailoutbox) == 4


def test_one_address_may_ask_ten_times_an_hour(client, person, mailoutbox, security_events):
    with time_machine.travel(START, tick=False):
        for n in range(10):
            ask(client, f"niemand{n}@example.org")
        assert mailoutbox == []
        # The eleventh request from that address sends nothing, even for a real account.
        answer = ask(client, "redaktion@example.org")
        assert answer.status_code == 302 and answer["Location"] == reverse("password_reset_done")
        assert mailoutbox == []
        (limited,) = security_events("password_reset_limited")
        assert limited["reason"] == "address" and limited["ip"] == "203.0.113.30"
        # A forged X-Forwarded-For does not help (no trusted proxy by default) ...
        ask(client, "redaktion@example.org", HTTP_X_FORWARDED_FOR="192.0.2.99")
        assert mailoutbox == []
        # ... another client does get its mail.
        ask(client, "redaktion@example.org", ip="203.0.113.31")
        assert len(mailoutbox) == 1


def test_the_answer_does_not_tell_whether_a_mail_was_sent(client, person, mailoutbox):
    with time_machine.travel(START, tick=False):
        for n in range(3):
            ask(client, "redaktion@example.org", ip=f"198.51.100.{n}")
        sent_page = client.get(reverse("password_reset_done")).content.decode()
        limited = ask(client, "redaktion@example.org", ip="198.51.100.50")
        unknown = ask(client, "niemand@example.org", ip="198.51.100.51")
    assert len(mailoutbox) == 3
    assert limited["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert "Wenn zu dieser Adresse ein Zugang gehört" in sent_page


def test_limits_are_settings(client, person, mailoutbox, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT = 1
    settings.PASSWORD_RESET_WINDOW_MINUTES = 5
    with time_machine.travel(START, tick=False) as traveller:
        ask(client, "redaktion@example.org")
        ask(client, "redaktion@example.org")
        assert len(mailoutbox) == 1
        traveller.shift(5 * 60 + 1)
        ask(client, "redaktion@example.org")
        assert len(mailoutbox) == 2
