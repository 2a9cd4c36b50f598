"""Security events go to the logger "portal.security" (JSON lines in production)."""

import json
import logging

from django.urls import reverse

from core.jsonlog import JSONLinesFormatter
from municipalities.models import Membership, Role

from ..factories import MembershipFactory, UserFactory

LOGGER = "portal.security"


def post_login(client, username, password, ip="203.0.113.5", url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_failed_login_lockout_and_refusal_are_logged(client, db, security_events):
    UserFactory(username="redaktion")
    for _ in range(10):
        post_login(client, "redaktion", "falsch")
    post_login(client, "redaktion", "geheim-123")
    failed = security_events("login_failed")
    assert len(failed) == 10
    assert failed[0]["username"] == "redaktion" and failed[0]["ip"] == "203.0.113.5"
    assert failed[0]["path"] == "/accounts/login/"
    (lockout,) = security_events("lockout")
    assert lockout["username"] == "redaktion" and lockout["failures"] == 10
    (refused,) = security_events("login_refused")
    assert refused["ip"] == "203.0.113.5"
    assert not security_events("login_succeeded")
    text = " ".join(str(e) for e in security_events())
    assert "geheim-123" not in text and "falsch" not in text


def test_admin_login_failures_are_logged(client, db, security_events):
    post_login(client, "niemand", "falsch", url="/admin/login/")
    (failed,) = security_events("login_failed")
    assert failed["path"] == "/admin/login/" and failed["username"] == "niemand"


def test_login_and_logout_are_logged(client, db, security_events):
    UserFactory(username="redaktion")
    assert post_login(client, "redaktion", "geheim-123").status_code == 302
    client.post(reverse("logout"))
    (login,) = security_events("login_succeeded")
    (logout,) = security_events("logout")
    assert login["username"] == logout["username"] == "redaktion"
    assert logout["actor"] == "redaktion"


def test_403_is_logged(as_role, security_events):
    response = as_role("editor_own").get(reverse("lockout_list"))
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.content.decode()
    (denied,) = security_events("permission_denied")
    assert denied["actor"] == "hitzacker" and denied["path"] == reverse("lockout_list")
    assert denied["method"] == "GET"


def test_csrf_failure_is_logged(db, security_events):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    (failure,) = security_events("csrf_failure")
    assert failure["path"] == "/accounts/login/"


def test_membership_changes_in_code_are_logged(district, security_events):
    user = UserFactory(username="neu")
    membership = MembershipFactory(user=user, municipality=district["hitzacker"])
    membership.role = Role.COUNCIL
    membership.municipality = district["district"]
    membership.save()
    membership.save()  # unchanged: no event
    membership.delete()
    created, changed, deleted = (
        security_events("membership_created"),
        security_events("membership_changed"),
        security_events("membership_deleted"),
    )
    assert len(created) == len(changed) == len(deleted) == 1
    assert created[0]["member"] == "neu" and created[0]["role"] == Role.EDITOR
    assert changed[0]["previous"]["role"] == Role.EDITOR
    assert changed[0]["role"] == Role.COUNCIL
    assert changed[0]["municipality_id"] == district["district"].pk
    assert deleted[0]["role"] == Role.COUNCIL and deleted[0]["actor"] is None


def test_membership_changes_in_the_admin_name_who_made_them(client, district, security_events):
    admin = UserFactory(username="verwaltung", is_staff=True, is_superuser=True)
    client.force_login(admin)
    person = UserFactory(username="neu")
    response = client.post(
        reverse("admin:municipalities_membership_add"),
        {"user": person.pk, "municipality": district["hitzacker"].pk, "role": Role.EDITOR},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=person)
    client.post(
        reverse("admin:municipalities_membership_change", args=[membership.pk]),
        {"user": person.pk, "municipality": district["elbtalaue"].pk, "role": Role.EDITOR},
    )
    client.post(
        reverse("admin:municipalities_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert not Membership.objects.filter(user=person).exists()
    for name in ("membership_created", "membership_changed", "membership_deleted"):
        (event,) = security_events(name)
        assert event["actor"] == "verwaltung", name
        assert event["member"] == "neu"
    assert security_events("membership_changed")[0]["previous"]["municipality_id"] == (
        district["hitzacker"].pk
    )


def test_deleting_a_person_logs_their_memberships(district, security_events):
    user = UserFactory(username="weg")
    MembershipFactory(user=user, municipality=district["gorleben"])
    user.delete()
    (deleted,) = security_events("membership_deleted")
    assert deleted["member"] == "weg"


def test_json_lines_formatter(client, db, caplog):
    caplog.set_level(logging.INFO, logger=LOGGER)
    post_login(client, "niemand", "falsch")
    record = next(r for r in caplog.records if r.name == LOGGER)
    line = JSONLinesFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["event"] == "login_failed" and data["level"] == "WARNING"
    assert data["logger"] == LOGGER and data["username"] == "niemand"
    assert data["ip"] == "203.0.113.5" and data["time"].endswith("+00:00")
    assert "failed login for 'niemand'" in data["message"]


def test_account_flags_changed_in_the_admin_are_logged(client, db, security_events):
    admin = UserFactory(username="verwaltung", is_staff=True, is_superuser=True)
    client.force_login(admin)
    person = UserFactory(username="kollege")
    data = {
        "username": "kollege",
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "is_active": "on",
        "is_superuser": "on",
        "date_joined_0": "2027-01-04",
        "date_joined_1": "08:00:00",
    }
    url = reverse("admin:auth_user_change", args=[person.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    (event,) = security_events("account_flags_changed")
    assert event["actor"] == "verwaltung" and event["member"] == "kollege"
    assert event["changes"] == {"is_superuser": {"from": False, "to": True}}
    client.post(url, data)  # nothing changed: no second event
    assert len(security_events("account_flags_changed")) == 1
