"""Throttled logins (django-axes) on the portal's login and /admin/login/, and the lockouts
page of the coordinator. Axes stays enabled: every login here goes through the real form."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse

from ..factories import UserFactory

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
PORTAL_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
RIGHT = "geheim-123"  # tests.factories.UserFactory's password


def attempt(client, url, username, password, ip="203.0.113.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def staff(db):
    return UserFactory(username="verwaltung", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("url", [PORTAL_LOGIN, ADMIN_LOGIN])
def test_sixty_wrong_then_the_right_password_is_refused(client, staff, url):
    for _ in range(60):
        response = attempt(client, url, "verwaltung", "falsch")
        assert response.status_code in (200, 429)
    response = attempt(client, url, "verwaltung", RIGHT)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Anmeldung vorübergehend gesperrt" in html
    assert "auch mit dem richtigen Passwort" in html and "15 Minuten" in html
    assert response["Retry-After"] == "900"
    assert not logged_in(client)


@pytest.mark.parametrize("url", [PORTAL_LOGIN, ADMIN_LOGIN])
def test_the_tenth_failure_locks_and_nine_do_not(client, staff, url):
    for _ in range(9):
        assert attempt(client, url, "verwaltung", "falsch").status_code == 200
    assert attempt(client, url, "verwaltung", RIGHT).status_code == 302
    assert logged_in(client)
    client.logout()
    # A successful login does not reset the count (see docs/betrieb.md): one more failure locks.
    assert attempt(client, url, "verwaltung", "falsch").status_code == 429
    assert attempt(client, url, "verwaltung", RIGHT).status_code == 429


def test_failures_from_one_address_do_not_lock_the_user_out_elsewhere(client, staff):
    """Issue 18, item 8: a lockout by username alone let anyone keep an account locked."""
    for _ in range(30):
        attempt(client, PORTAL_LOGIN, "verwaltung", "falsch", ip="198.51.100.1")
    # The address the failures came from is locked for that username (and for all).
    response = attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT, ip="198.51.100.1")
    assert response.status_code == 429 and not logged_in(client)
    # Case and spaces do not make another username.
    response = attempt(client, PORTAL_LOGIN, " Verwaltung", RIGHT, ip="198.51.100.1")
    assert response.status_code == 429
    # The owner at another address logs in, on the portal and in the admin alike.
    response = attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT, ip="192.0.2.200")
    assert response.status_code == 302 and logged_in(client)
    client.logout()
    assert attempt(client, ADMIN_LOGIN, "verwaltung", RIGHT, ip="192.0.2.201").status_code == 302


def test_one_username_from_many_addresses_is_locked_per_address(client, staff):
    for i in range(9):
        attempt(client, PORTAL_LOGIN, "verwaltung", "falsch", ip=f"198.51.100.{i + 1}")
    attempt(client, PORTAL_LOGIN, "verwaltung", "falsch", ip="198.51.100.1")
    # Nine addresses with one or two failures each: none is near the limit.
    assert attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT, ip="198.51.100.1").status_code == 302


def test_the_username_and_address_together_reach_the_limit(client, staff, settings):
    """Below the address limit (other usernames from there count too), the pair locks."""
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        attempt(client, PORTAL_LOGIN, "verwaltung", "falsch", ip="203.0.113.20")
    assert attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT, ip="203.0.113.20").status_code == 429
    assert attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT, ip="203.0.113.21").status_code == 302


def test_one_address_trying_many_usernames_is_locked(client, staff):
    for i in range(10):
        attempt(client, PORTAL_LOGIN, f"person{i}", "falsch", ip="203.0.113.9")
    assert attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT, ip="203.0.113.9").status_code == 429
    assert attempt(client, ADMIN_LOGIN, "verwaltung", RIGHT, ip="203.0.113.9").status_code == 429
    assert not logged_in(client)
    assert attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT, ip="203.0.113.10").status_code == 302


def test_lockout_ends_after_the_cooloff_and_is_not_extended(client, staff):
    start = datetime.datetime(2027, 5, 3, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for _ in range(10):
            attempt(client, PORTAL_LOGIN, "verwaltung", "falsch")
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        # Refused attempts during the lockout do not make it longer.
        assert attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=15, seconds=1), tick=False):
        assert attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT).status_code == 302
        assert logged_in(client)


def test_thresholds_are_settings(client, staff, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=5)
    for _ in range(3):
        attempt(client, PORTAL_LOGIN, "verwaltung", "falsch")
    response = attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT)
    assert response.status_code == 429
    assert "Nach 3 fehlgeschlagenen" in response.content.decode()
    assert "5 Minuten" in response.content.decode()


def test_address_behind_trusted_proxy(client, staff, settings):
    """Behind the reverse proxy the client address comes from X-Forwarded-For."""
    settings.PORTAL_TRUSTED_PROXIES = 1
    for i in range(10):
        client.post(
            PORTAL_LOGIN,
            {"username": f"person{i}", "password": "falsch"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, 198.51.100.{i + 1}",
        )
    # Ten different clients behind one proxy: nobody is locked by address.
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.2").exists()
    response = client.post(
        PORTAL_LOGIN,
        {"username": "verwaltung", "password": RIGHT},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.50",
    )
    assert response.status_code == 302


# The coordinator's page of current lockouts.


def lock(client, username="verwaltung", ip="203.0.113.7"):
    for _ in range(10):
        attempt(client, PORTAL_LOGIN, username, "falsch", ip=ip)


@pytest.mark.parametrize("role", ROLES)
def test_lockout_pages_matrix(as_role, role, client, staff):
    lock(client)
    client.logout()
    client = as_role(role)
    url = reverse("lockout_list")
    release = reverse("lockout_release")
    query = {"art": "username", "wert": "verwaltung"}
    responses = [
        client.get(url),
        client.get(release, query),
        client.post(release, query),
    ]
    if role == "anonymous":
        assert [r.status_code for r in responses] == [302, 302, 302]
        assert all(reverse("login") in r["Location"] for r in responses)
    elif role == "coordinator":
        assert [r.status_code for r in responses] == [200, 200, 302]
    else:
        assert [r.status_code for r in responses] == [403, 403, 403]
    assert AccessAttempt.objects.exists() == (role != "coordinator")


def test_coordinator_sees_and_lifts_a_lockout(as_role, client, staff, settings):
    lock(client, "verwaltung", ip="203.0.113.7")
    for i in range(10):
        attempt(client, PORTAL_LOGIN, f"raten{i}", "falsch", ip="198.51.100.99")
    coordinator = as_role("coordinator")
    page = coordinator.get(reverse("lockout_list"))
    lockouts = {(lo.kind, lo.value, lo.address): lo for lo in page.context["lockouts"]}
    assert set(lockouts) == {
        ("username", "verwaltung", "203.0.113.7"),
        ("ip_address", "203.0.113.7", None),
        ("ip_address", "198.51.100.99", None),
    }
    assert lockouts[("username", "verwaltung", "203.0.113.7")].failures == 10
    html = page.content.decode()
    assert "<code>verwaltung</code>" in html and "Sperre aufheben" in html
    assert "adresse=203.0.113.7" in html
    query = {"art": "username", "wert": "verwaltung", "adresse": "203.0.113.7"}
    confirm = coordinator.get(reverse("lockout_release"), query).content.decode()
    assert "Die 10 gezählten Fehlversuche werden gelöscht" in confirm
    assert "von dieser Adresse sofort wieder anmelden" in confirm
    assert 'name="adresse" value="203.0.113.7"' in confirm
    done = coordinator.post(reverse("lockout_release"), query, follow=True)
    assert "wurde aufgehoben" in done.content.decode()
    remaining = {(lo.kind, lo.value) for lo in done.context["lockouts"]}
    # Its attempts were all the address's: lifting the pair lifts the address's lockout too.
    assert remaining == {("ip_address", "198.51.100.99")}
    coordinator.logout()
    assert attempt(client, PORTAL_LOGIN, "verwaltung", RIGHT, ip="203.0.113.7").status_code == 302


def test_a_username_without_address_lifts_its_lockouts_from_every_address(as_role, client, staff):
    lock(client, "verwaltung", ip="203.0.113.7")
    lock(client, "verwaltung", ip="203.0.113.8")
    coordinator = as_role("coordinator")
    query = {"art": "username", "wert": "verwaltung"}
    confirm = coordinator.get(reverse("lockout_release"), query).content.decode()
    assert "von 2 Adressen" in confirm and "Die 20 gezählten" in confirm
    coordinator.post(reverse("lockout_release"), query)
    assert not AccessAttempt.objects.exists()


def test_releasing_an_unknown_lockout_changes_nothing(as_role, client, staff):
    lock(client)
    coordinator = as_role("coordinator")
    for query in ({"art": "username", "wert": ""}, {"art": "quatsch", "wert": "x"}, {}):
        response = coordinator.post(reverse("lockout_release"), query, follow=True)
        assert response.status_code == 200
        assert "besteht nicht mehr" in response.content.decode()
    assert AccessAttempt.objects.count() == 1


def test_expired_lockouts_are_not_listed(as_role, client, staff):
    start = datetime.datetime(2027, 5, 3, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        lock(client)
        client.logout()
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert as_role("coordinator").get(reverse("lockout_list")).context["lockouts"] == []


@pytest.mark.parametrize("role", ROLES)
def test_only_the_coordinator_gets_the_link(as_role, role):
    html = as_role(role).get(reverse("home")).content.decode()
    assert (reverse("lockout_list") in html) == (role == "coordinator")
