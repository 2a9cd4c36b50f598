"""The invitation link for the coordinator to pass on when the e-mail does not arrive, shown
once and to nobody else; accepting the invitation ends logged in (issue 23 §4)."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from municipalities.models import Role
from people.models import PeopleEvent

pytestmark = pytest.mark.django_db
User = get_user_model()


def _invite(client, district, email="Greta.Neu@Hitzacker.de"):
    return client.post(
        reverse("people:invite"),
        {
            "first_name": "Greta",
            "last_name": "Neu",
            "email": email,
            "municipality": district["hitzacker"].pk,
            "role": Role.EDITOR,
        },
    )


def _shown_link(page):
    found = re.search(r'id="invitation-link" value="([^"]+)"', page)
    return found.group(1) if found else None


def _mailed_link(message):
    return re.search(r"https?://\S+/personen/einladung/\S+/", message.body).group(0)


def _path(link):
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_the_link_is_shown_once_to_the_coordinator_who_invited(as_role, district, caplog, client):
    caplog.set_level(logging.DEBUG)
    coordinator = as_role("coordinator")
    response = _invite(coordinator, district)
    assert response.status_code == 302
    page = coordinator.get(response["Location"])
    link = _shown_link(page.content.decode())
    assert link == _mailed_link(mail.outbox[0])
    assert "Link kopieren" in page.content.decode() and "js/copy_link.js" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    # Once: the next visit shows no link, and the link appears in no log and no history.
    again = coordinator.get(response["Location"]).content.decode()
    assert _shown_link(again) is None and "Link kopieren" not in again
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert all(token not in record.getMessage() for record in caplog.records)
    assert not PeopleEvent.objects.filter(detail__contains=token).exists()


def test_another_persons_page_neither_shows_nor_uses_up_the_link(as_role, district, users):
    coordinator = as_role("coordinator")
    response = _invite(coordinator, district)
    other = coordinator.get(reverse("people:detail", args=[users["editor_own"].pk]))
    assert _shown_link(other.content.decode()) is None
    assert _shown_link(coordinator.get(response["Location"]).content.decode())


def test_a_second_coordinator_never_sees_the_link(as_role, district, users):
    from django.test import Client

    from tests.factories import MembershipFactory, UserFactory

    response = _invite(as_role("coordinator"), district)
    second = UserFactory(username="zweite-koordination")
    MembershipFactory(user=second, municipality=district["district"], role=Role.COORDINATOR)
    other_client = Client()
    other_client.force_login(second)
    page = other_client.get(response["Location"]).content.decode()
    assert _shown_link(page) is None


def test_resending_shows_the_new_link_and_the_old_one_no_longer_works(as_role, district, client):
    coordinator = as_role("coordinator")
    detail = _invite(coordinator, district)["Location"]
    first = _shown_link(coordinator.get(detail).content.decode())
    person = User.objects.get(username="greta.neu@hitzacker.de")
    coordinator.post(reverse("people:resend", args=[person.pk]))
    second = _shown_link(coordinator.get(detail).content.decode())
    assert second and second != first and second == _mailed_link(mail.outbox[-1])
    assert client.get(_path(first)).status_code == 404


def test_when_the_mail_fails_the_link_is_the_way(as_role, district, settings):
    settings.EMAIL_BACKEND = "tests.people.failing_mail.Backend"
    coordinator = as_role("coordinator")
    response = _invite(coordinator, district)
    page = coordinator.get(response["Location"]).content.decode()
    assert "Einladungslink unten selbst weiter" in page
    assert _shown_link(page)


def test_accepting_ends_logged_in_on_the_dashboard(as_role, district, client):
    _invite(as_role("coordinator"), district)
    path = _path(_mailed_link(mail.outbox[0]))
    client.logout()
    form = client.get(path).content.decode()
    assert "Ihrer E-Mail-Adresse" in form and "greta.neu@hitzacker.de" in form
    done = client.post(
        path, {"new_password1": "Elbe-Deich-2026!", "new_password2": "Elbe-Deich-2026!"}
    )
    person = User.objects.get(username="greta.neu@hitzacker.de")
    assert done["Location"] == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(person.pk)
    page = client.get(done["Location"], follow=True).content.decode()
    assert "Sie sind angemeldet" in page and "greta.neu@hitzacker.de" in page
    assert reverse("measures:dashboard", args=[district["hitzacker"].slug]) in page


def test_login_with_the_email_address_as_typed(client, as_role, district):
    _invite(as_role("coordinator"), district)
    path = _path(_mailed_link(mail.outbox[0]))
    client.logout()
    client.post(path, {"new_password1": "Elbe-Deich-2026!", "new_password2": "Elbe-Deich-2026!"})
    client.logout()
    response = client.post(
        reverse("login"), {"username": " Greta.Neu@Hitzacker.de ", "password": "Elbe-Deich-2026!"}
    )
    assert response.status_code == 302
