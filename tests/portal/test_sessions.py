"""Sessions end after 30 minutes without activity and 10 hours after the login at most."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from ..factories import UserFactory

START = datetime.datetime(2027, 5, 3, 7, 0, tzinfo=datetime.UTC)
PAGE = "/accounts/password_change/"  # any page that needs a login


@pytest.fixture
def person(db):
    return UserFactory(username="redaktion")


def login(client):
    response = client.post(reverse("login"), {"username": "redaktion", "password": "geheim-123"})
    assert response.status_code == 302


def at(minutes):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


def still_logged_in(client):
    response = client.get(PAGE)
    return response.status_code == 200, response


def test_activity_keeps_the_session_and_idleness_ends_it(client, person):
    with at(0):
        login(client)
    with at(29):
        assert still_logged_in(client)[0]
    with at(58):  # 29 minutes after the last request
        assert still_logged_in(client)[0]
    with at(88):  # 30 minutes without a request
        ok, response = still_logged_in(client)
        assert not ok
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "nach 30 Minuten ohne Aktivität abgemeldet" in page


def test_the_session_ends_ten_hours_after_the_login_however_active(client, person):
    with at(0):
        login(client)
    for minutes in range(20, 10 * 60, 20):
        with at(minutes):
            assert still_logged_in(client)[0], minutes
    with at(10 * 60):
        ok, response = still_logged_in(client)
        assert not ok and "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "länger als 10 Stunden zurückliegt" in page


def test_limits_are_settings(client, person, settings):
    settings.PORTAL_SESSION_IDLE_MINUTES = 5
    with at(0):
        login(client)
    with at(4):
        assert still_logged_in(client)[0]
    with at(10):
        assert not still_logged_in(client)[0]


def test_session_cookie_lasts_at_most_the_absolute_limit(settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 60 * 60
    assert settings.PORTAL_SESSION_IDLE_MINUTES == 30


def test_a_session_from_before_the_limits_starts_its_clocks(client, person):
    with at(0):
        client.force_login(person)
        session = client.session
        for key in ("_portal_login_at", "_portal_last_activity"):
            session.pop(key, None)
        session.save()
        assert still_logged_in(client)[0]
    with at(20):
        assert still_logged_in(client)[0]
    with at(51):
        assert not still_logged_in(client)[0]


def test_anonymous_requests_are_not_affected(client, db):
    with at(0):
        assert client.get(reverse("home")).status_code == 200
    with at(600):
        assert client.get(reverse("home")).status_code == 200
        assert "_portal_login_at" not in client.session
