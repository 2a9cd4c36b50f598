"""The register's forms when two people save at once: no error 500, nothing overwritten unseen.

Deterministic variants run on any database (the other person's step at a hook between the
view's check and its save); the threaded ones need PostgreSQL (tests/race.py).
"""

import threading

import pytest
from django.urls import reverse

from procedures.models import OnlineStatus, ProcedureEntry, ServiceOffer
from tests.race import logged_in_client, race_test, start

from .conftest import GEWERBE


def _token(content):
    marker = 'name="loaded_version" value="'
    start = content.index(marker) + len(marker)
    return content[start : content.index('"', start)]


def offer_post(offer, **overrides):
    return {
        "status": offer.status,
        "url": offer.url,
        "portal": offer.portal,
        "procedure": "",
        "remarks": "",
        **overrides,
    }


def test_stale_online_status_is_refused_shows_the_stored_one_and_keeps_the_input(as_role, offer):
    client = as_role("samtgemeinde_editor")
    url = reverse("procedures:offer_update", args=[offer.pk])
    token = _token(client.get(url).content.decode())
    # The colleague sets the service to "planned" first.
    first = client.post(
        url,
        offer_post(offer, status=OnlineStatus.PLANNED, url="", loaded_version=token),
    )
    assert first.status_code == 302

    second = client.post(
        url,
        offer_post(offer, remarks="Formular geht wieder", loaded_version=token),
    )

    assert second.status_code == 409
    content = second.content.decode()
    assert "inzwischen von jemand anderem geändert" in content
    assert "Formular geht wieder" in content  # the typed input stays
    conflict = second.context["conflict"]["changes"]
    status = next(c for c in conflict if c["field"] == "Stand")
    assert (status["stored"], status["typed"]) == ("geplant", "online")
    offer.refresh_from_db()
    assert (offer.status, offer.remarks) == (OnlineStatus.PLANNED, "")
    # Saving again from the conflict page takes this user's version on purpose.
    again = client.post(
        url,
        offer_post(
            offer,
            status="online",
            url="https://example.org/gewerbe",
            remarks="Formular geht wieder",
            loaded_version=_token(content),
        ),
    )
    assert again.status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.remarks) == (OnlineStatus.ONLINE, "Formular geht wieder")


def test_stale_entry_shows_what_the_other_person_stored(as_role, entry):
    client = as_role("editor_own")
    url = reverse("procedures:entry_update", args=[entry.pk])
    token = _token(client.get(url).content.decode())
    base = {"category": entry.category.pk, "product": "ALLRIS", "operating_model": "saas"}
    assert (
        client.post(url, {**base, "vendor": "Sternberg", "loaded_version": token}).status_code
        == 302
    )

    second = client.post(url, {**base, "vendor": "CC e-gov", "loaded_version": token})

    assert second.status_code == 409
    changes = {c["field"]: c for c in second.context["conflict"]["changes"]}
    assert changes["Hersteller"]["stored"] == "Sternberg"
    assert changes["Hersteller"]["typed"] == "CC e-gov"
    assert "jetzt gespeichert" in second.content.decode()


def entry_post(categories, product="Session"):
    return {
        "category": categories["ratsinformationssystem"].pk,
        "product": product,
        "operating_model": "saas",
        "remarks": "mein Text",
    }


def test_double_click_on_a_new_entry_gives_a_german_message_not_an_error(
    as_role, district, categories, catalogue
):
    from tests.race import interleave

    hitzacker = district["hitzacker"]

    def first_click_lands():
        ProcedureEntry.objects.create(
            municipality=hitzacker,
            category=categories["ratsinformationssystem"],
            product="Session",
            operating_model="saas",
        )

    with interleave("procedures.views.register._locked", first_click_lands):
        response = as_role("editor_own").post(
            reverse("procedures:entry_create", args=[hitzacker.slug]), entry_post(categories)
        )

    assert response.status_code == 409
    content = response.content.decode()
    assert "soeben schon jemand gespeichert" in content and "mein Text" in content
    # No second row; the hook's own row went back with this request's transaction here (the
    # threaded test below checks that the first click's row stays).
    assert ProcedureEntry.objects.filter(product="Session").count() <= 1


def test_double_click_on_a_new_online_status(as_role, district, catalogue):
    from tests.race import interleave

    elbtalaue = district["elbtalaue"]
    service = catalogue[GEWERBE]

    def first_click_lands():
        ServiceOffer.objects.create(
            municipality=elbtalaue, service=service, status=OnlineStatus.PLANNED
        )

    with interleave("procedures.views.register._locked", first_click_lands):
        response = as_role("samtgemeinde_editor").post(
            reverse("procedures:offer_create", args=[elbtalaue.slug]),
            {"service": service.pk, "status": OnlineStatus.PLANNED},
        )
    assert response.status_code == 409
    assert "soeben schon jemand gespeichert" in response.content.decode()
    assert ServiceOffer.objects.filter(municipality=elbtalaue).count() <= 1


@pytest.mark.django_db(transaction=True)
@race_test[0]
def test_two_simultaneous_submits_of_a_new_entry(users, district, categories, catalogue):
    """Both requests pass validation before either inserts; one saves, one gets the message."""
    from unittest import mock

    from procedures.views import register

    both_checked = threading.Barrier(2, timeout=20)
    original = register._locked

    def checked_then_wait(*args):
        result = original(*args)
        both_checked.wait()
        return result

    url = reverse("procedures:entry_create", args=[district["hitzacker"].slug])

    def click():
        with logged_in_client(users["editor_own"]) as client:
            return client.post(url, entry_post(categories)).status_code

    with mock.patch.object(register, "_locked", checked_then_wait):
        clicks = [start(click, f"click-{n}") for n in range(2)]
        codes = sorted(c.outcome() for c in clicks)

    assert codes == [302, 409]
    assert ProcedureEntry.objects.filter(product="Session").count() == 1
