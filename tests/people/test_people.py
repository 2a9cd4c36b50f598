"""People and roles managed by the coordinator in the portal (issue 8 §1)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Membership, Role
from people.models import Action, Invitation, PeopleEvent

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
User = get_user_model()


def _link(message):
    return re.search(r"http://\S+/personen/einladung/\S+/", message.body).group(0)


@pytest.fixture
def invited(as_role, district):
    client = as_role("coordinator")
    response = client.post(
        reverse("people:invite"),
        {
            "first_name": "Greta",
            "last_name": "Neu",
            "email": "Greta.Neu@Hitzacker.de",
            "municipality": district["hitzacker"].pk,
            "role": Role.EDITOR,
        },
    )
    assert response.status_code == 302
    return User.objects.get(username="greta.neu@hitzacker.de")


@pytest.mark.parametrize("role", ROLES)
def test_people_pages_are_for_the_coordinator_only(as_role, role, users, district):
    person = users["editor_own"]
    membership = person.memberships.get()
    client = as_role(role)
    urls = [
        ("get", reverse("people:list")),
        ("get", reverse("people:invite")),
        ("get", reverse("people:detail", args=[person.pk])),
        ("get", reverse("people:deactivate", args=[person.pk])),
        ("get", reverse("people:role_remove", args=[membership.pk])),
        ("post", reverse("people:deactivate", args=[person.pk])),
        ("post", reverse("people:reactivate", args=[person.pk])),
        ("post", reverse("people:resend", args=[person.pk])),
        ("post", reverse("people:role_remove", args=[membership.pk])),
        ("post", reverse("people:detail", args=[person.pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(
            url, {"municipality": district["district"].pk, "role": Role.COORDINATOR}
        )
        if role == "coordinator":
            assert response.status_code in (200, 302), url
        else:
            assert response.status_code == 403, (method, url)
    if role != "coordinator":
        person.refresh_from_db()
        assert person.is_active
        assert Membership.objects.filter(pk=membership.pk).exists()
        assert not PeopleEvent.objects.exists()


def test_invitation_sends_a_one_time_link_valid_72_hours(invited, client, users):
    assert invited.memberships.get().role == Role.EDITOR
    assert not invited.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["greta.neu@hitzacker.de"]
    link = _link(mail.outbox[0])
    assert "72 Stunden" in mail.outbox[0].body
    event = PeopleEvent.objects.get(person=invited)
    assert event.action == Action.INVITED and event.actor == users["coordinator"]
    assert "Redaktion – Hitzacker (Elbe)" in event.detail
    path = link.split("8000", 1)[-1] if "8000" in link else link
    form = client.get(path)
    assert form.status_code == 200 and "Passwort" in form.content.decode()
    assert "dasselbe Passwort" in form.content.decode()
    assert "das selbe" not in form.content.decode()
    done = client.post(
        path, {"new_password1": "Elbe-Deich-2026!", "new_password2": "Elbe-Deich-2026!"}
    )
    # The person ends logged in, on their Übersicht.
    assert done.status_code == 302 and done["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(invited.pk)
    client.logout()
    invited.refresh_from_db()
    assert invited.check_password("Elbe-Deich-2026!")
    # One time only.
    again = client.get(path)
    assert again.status_code == 404 and "nicht mehr gültig" in again.content.decode()
    login = client.post(
        reverse("login"),
        {"username": "greta.neu@hitzacker.de", "password": "Elbe-Deich-2026!"},
    )
    assert login.status_code == 302


def test_the_link_expires_after_72_hours(invited, client):
    path = "/personen/einladung/" + _link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[-1] + "/"
    with time_machine.travel(timezone.now() + timedelta(hours=72, minutes=1)):
        assert client.get(path).status_code == 404
    with time_machine.travel(timezone.now() + timedelta(hours=71)):
        assert client.get(path).status_code == 200


def test_weak_password_is_refused_in_german(invited, client):
    path = "/personen/einladung/" + _link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[-1] + "/"
    response = client.post(path, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert Invitation.objects.open().filter(user=invited).exists()


@pytest.mark.parametrize("token", ["x", "a" * 10_000, "%00", "..%2F"])
def test_garbage_tokens_are_404(client, db, token):
    assert client.get(f"/personen/einladung/{token}/").status_code == 404


def test_invite_refuses_bad_input_and_keeps_it(as_role, district, users):
    client = as_role("coordinator")
    bad = {
        "first_name": "Ina",
        "last_name": "Doppelt",
        "email": users["editor_own"].email,
        "municipality": district["hitzacker"].pk,
        "role": Role.EDITOR,
    }
    users["editor_own"].email = "hitzacker@example.org"
    users["editor_own"].save()
    bad["email"] = "HITZACKER@example.org"
    response = client.post(reverse("people:invite"), bad)
    html = response.content.decode()
    assert response.status_code == 200 and "schon ein Konto" in html and "Doppelt" in html
    wrong_role = dict(bad, email="ina@example.org", role=Role.COUNCIL)
    html = client.post(reverse("people:invite"), wrong_role).content.decode()
    assert "gehören zum Landkreis" in html
    for field, value in [("email", "kein-mail"), ("municipality", "999999"), ("role", "admin")]:
        html = client.post(reverse("people:invite"), dict(wrong_role, **{field: value})).content
        assert "Bitte" in html.decode()
    assert not User.objects.filter(email="ina@example.org").exists()
    assert len(mail.outbox) == 0


def test_list_shows_people_per_body_with_role_and_last_login(
    as_role, users, district, django_assert_max_num_queries
):
    client = as_role("coordinator")
    with django_assert_max_num_queries(12):
        html = client.get(reverse("people:list")).content.decode()
    assert "Samtgemeinde Elbtalaue" in html and "Hitzacker (Elbe)" in html
    assert users["editor_own"].get_full_name() in html
    assert "noch nie" in html
    filtered = client.get(reverse("people:list"), {"kommune": district["gorleben"].pk})
    text = filtered.content.decode()
    assert users["editor_other"].get_full_name() in text
    assert users["editor_own"].get_full_name() not in text.split("Letzte Änderungen")[0]


def test_list_query_count_is_flat(as_role, district, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MembershipFactory, UserFactory

    client = as_role("coordinator")
    client.get(reverse("people:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    for _ in range(30):
        user = UserFactory()
        MembershipFactory(user=user, municipality=district["dannenberg"], role="editor")
        user.invitations.create(token_hash=str(user.pk), expires_at=timezone.now())
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("people:list"))


def test_role_change_and_removal_are_recorded(as_role, users, district):
    client = as_role("coordinator")
    person = users["editor_own"]
    response = client.post(
        reverse("people:detail", args=[person.pk]),
        {"municipality": district["dannenberg"].pk, "role": Role.EDITOR},
    )
    assert response.status_code == 302
    assert person.memberships.count() == 2
    duplicate = client.post(
        reverse("people:detail", args=[person.pk]),
        {"municipality": district["dannenberg"].pk, "role": Role.EDITOR},
    )
    assert "hat diese Rolle bei dieser Kommune schon" in duplicate.content.decode()
    membership = person.memberships.get(municipality=district["hitzacker"])
    confirm = client.get(reverse("people:role_remove", args=[membership.pk])).content.decode()
    assert "verliert die Rolle" in confirm and "bleibt mit ihrem Namen im Verlauf" in confirm
    client.post(reverse("people:role_remove", args=[membership.pk]))
    assert list(person.memberships.values_list("municipality", flat=True)) == [
        district["dannenberg"].pk
    ]
    actions = list(PeopleEvent.objects.filter(person=person).values_list("action", flat=True))
    assert actions == [Action.ROLE_REMOVED, Action.ROLE_ADDED]
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Rolle entzogen" in page and "Rolle vergeben" in page


def test_deactivation_asks_first_blocks_login_and_keeps_history(as_role, users, client):
    from tests.factories import MeasureFactory

    person = users["editor_own"]
    person.set_password("geheim-123")
    person.save()
    measure = MeasureFactory(lead_municipality=person.memberships.get().municipality)
    measure.created_by = person
    measure.save()
    coordinator = as_role("coordinator")
    confirm = coordinator.get(reverse("people:deactivate", args=[person.pk])).content.decode()
    assert "kann sich nicht mehr anmelden" in confirm and "bleiben erhalten" in confirm
    person.refresh_from_db()
    assert person.is_active  # GET changes nothing
    coordinator.post(reverse("people:deactivate", args=[person.pk]))
    person.refresh_from_db()
    assert not person.is_active
    measure.refresh_from_db()
    assert measure.created_by == person and person.memberships.exists()
    assert PeopleEvent.objects.filter(person=person, action=Action.DEACTIVATED).exists()
    coordinator.logout()
    refused = client.post(reverse("login"), {"username": person.username, "password": "geheim-123"})
    assert refused.status_code == 200 and "_auth_user_id" not in client.session


def test_the_last_coordinator_cannot_lock_the_portal(as_role, users):
    client = as_role("coordinator")
    me = users["coordinator"]
    client.post(reverse("people:deactivate", args=[me.pk]))
    me.refresh_from_db()
    assert me.is_active
    membership = me.memberships.get()
    response = client.post(reverse("people:role_remove", args=[membership.pk]), follow=True)
    assert "letzte aktive Person der Koordinierungsstelle" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_resend_replaces_the_old_link(invited, as_role):
    old = _link(mail.outbox[0])
    as_role("coordinator").post(reverse("people:resend", args=[invited.pk]))
    assert len(mail.outbox) == 2
    new = _link(mail.outbox[1])
    assert new != old
    client = as_role("anonymous")
    client.logout()
    assert client.get(old.split("8000")[-1]).status_code == 404
    assert client.get(new.split("8000")[-1]).status_code == 200


def test_failing_mail_server_keeps_the_person_and_says_so(as_role, district, settings):
    settings.EMAIL_BACKEND = "tests.people.failing_mail.Backend"
    response = as_role("coordinator").post(
        reverse("people:invite"),
        {
            "first_name": "Pia",
            "last_name": "Post",
            "email": "pia@example.org",
            "municipality": district["gorleben"].pk,
            "role": Role.EDITOR,
        },
        follow=True,
    )
    assert "konnte nicht gesendet werden" in response.content.decode()
    assert User.objects.filter(username="pia@example.org").exists()


def test_create_coordinator_command(district, capsys):
    call_command("create_coordinator", "Leitung@Luechow-Dannenberg.de", first_name="Lea")
    out = capsys.readouterr().out
    user = User.objects.get(username="leitung@luechow-dannenberg.de")
    assert user.memberships.get().municipality == district["district"]
    assert user.memberships.get().role == Role.COORDINATOR
    assert "/personen/einladung/" in out and "72 Stunden" in out
    # Running it again gives a fresh link instead of a second account.
    call_command("create_coordinator", "leitung@luechow-dannenberg.de")
    assert User.objects.filter(email__iexact="leitung@luechow-dannenberg.de").count() == 1
    assert Invitation.objects.open().filter(user=user).count() == 1
    with pytest.raises(CommandError, match="Keine gültige E-Mail-Adresse"):
        call_command("create_coordinator", "kein-mail")


def test_create_coordinator_needs_the_district(db):
    with pytest.raises(CommandError, match="import_municipalities"):
        call_command("create_coordinator", "a@example.org")


def test_people_changes_reach_the_security_log(as_role, users, district, caplog):
    caplog.set_level("INFO", logger="portal.security")
    as_role("coordinator").post(
        reverse("people:detail", args=[users["council"].pk]),
        {"municipality": district["district"].pk, "role": Role.COORDINATOR},
    )
    messages = [r.getMessage() for r in caplog.records]
    # Once, by the Membership signal, with the acting coordinator; not again by the service.
    created = [r for r in caplog.records if r.getMessage().startswith("membership_created")]
    assert len(created) == 1
    assert created[0].security["actor"] == users["coordinator"].username
    assert not any("people.role_added" in m for m in messages)
    membership = users["council"].memberships.get(role=Role.COORDINATOR)
    caplog.clear()
    as_role("coordinator").post(
        reverse("people:role_remove", args=[membership.pk]), {"confirm": "1"}
    )
    messages = [r.getMessage() for r in caplog.records]
    assert sum(m.startswith("membership_deleted") for m in messages) == 1
    assert not any("people.role_removed" in m for m in messages)
