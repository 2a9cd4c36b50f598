"""Every view of the register and the coverage against every role."""

import pytest
from django.urls import reverse

from procedures.models import ProcedureEntry, ServiceOffer

from .conftest import GEWERBE

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
READ_ALL = dict.fromkeys(ROLES, 200)
INTERNAL = {**READ_ALL, "anonymous": 302}
# Hitzacker's register: its editor, the Samtgemeinde Elbtalaue's editor and the coordinator.
EDIT_HITZACKER = {
    "anonymous": 302,
    "editor_own": 200,
    "editor_other": 403,
    "samtgemeinde_editor": 200,
    "coordinator": 200,
    "council": 403,
}
# Offers of the Samtgemeinde Elbtalaue: not Hitzacker's editor.
EDIT_ELBTALAUE = {**EDIT_HITZACKER, "editor_own": 403}
COORDINATOR_ONLY = dict.fromkeys(ROLES, 403) | {"anonymous": 302, "coordinator": 200}


def _urls(district, entry, offer):
    return {
        "overview": (reverse("procedures:overview"), READ_ALL),
        "coverage": (reverse("procedures:coverage"), READ_ALL),
        "services": (reverse("procedures:services"), READ_ALL),
        "service_detail": (reverse("procedures:service_detail", args=[GEWERBE]), READ_ALL),
        "register": (reverse("procedures:register", args=["hitzacker-elbe"]), INTERNAL),
        "entry_create": (
            reverse("procedures:entry_create", args=["hitzacker-elbe"]),
            EDIT_HITZACKER,
        ),
        "entry_update": (reverse("procedures:entry_update", args=[entry.pk]), EDIT_HITZACKER),
        "entry_delete": (reverse("procedures:entry_delete", args=[entry.pk]), EDIT_HITZACKER),
        "offer_create": (reverse("procedures:offer_create", args=["sg-elbtalaue"]), EDIT_ELBTALAUE),
        "offer_update": (reverse("procedures:offer_update", args=[offer.pk]), EDIT_ELBTALAUE),
        "offer_delete": (reverse("procedures:offer_delete", args=[offer.pk]), EDIT_ELBTALAUE),
        "export": (reverse("procedures:export"), COORDINATOR_ONLY),
        "import": (reverse("procedures:import"), COORDINATOR_ONLY),
    }


VIEWS = [
    "overview",
    "coverage",
    "services",
    "service_detail",
    "register",
    "entry_create",
    "entry_update",
    "entry_delete",
    "offer_create",
    "offer_update",
    "offer_delete",
    "export",
    "import",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("view", VIEWS)
def test_get_matrix(as_role, district, entry, offer, role, view):
    url, expected = _urls(district, entry, offer)[view]
    response = as_role(role).get(url)
    assert response.status_code == expected[role], (view, role)
    if expected[role] == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_delete_entry_only_by_editors_of_the_body(as_role, district, entry, offer, role):
    response = as_role(role).post(reverse("procedures:entry_delete", args=[entry.pk]))
    allowed = EDIT_HITZACKER[role] == 200
    assert response.status_code == (302 if allowed else EDIT_HITZACKER[role])
    assert ProcedureEntry.objects.filter(pk=entry.pk).exists() is not allowed


@pytest.mark.parametrize("role", ROLES)
def test_delete_offer_only_by_editors_of_the_body(as_role, district, entry, offer, role):
    as_role(role).post(reverse("procedures:offer_delete", args=[offer.pk]))
    allowed = EDIT_ELBTALAUE[role] == 200
    assert ServiceOffer.objects.filter(pk=offer.pk).exists() is not allowed


@pytest.mark.parametrize("role", ROLES)
def test_create_entry_for_a_foreign_body_is_refused(as_role, district, categories, role):
    data = {
        "category": categories["finanzwesen"].pk,
        "product": "H&H proDoppik",
        "operating_model": "on_premises",
    }
    url = reverse("procedures:entry_create", args=["gorleben"])
    response = as_role(role).post(url, data)
    allowed = role in ("editor_other", "coordinator")
    assert ProcedureEntry.objects.filter(product="H&H proDoppik").exists() is allowed
    assert response.status_code == (302 if allowed else (302 if role == "anonymous" else 403))


def test_public_overview_shows_only_aggregates(client, entry):
    response = client.get(reverse("procedures:overview"))
    content = response.content.decode()
    assert "ALLRIS" in content and "Ratsinformationssystem" in content
    assert "Hitzacker" not in content  # no body
    assert "4.321" not in content and "4321" not in content  # no cost
    assert "30.06.2027" not in content and "2027" not in content  # no contract date
    assert "Export" not in content


def test_internal_overview_has_no_export_button_for_council(as_role, entry):
    content = as_role("council").get(reverse("procedures:overview")).content.decode()
    assert "Hitzacker" in content
    assert reverse("procedures:export") not in content
    content = as_role("coordinator").get(reverse("procedures:overview")).content.decode()
    assert reverse("procedures:export") in content


def test_register_shows_costs_to_internal_roles(as_role, entry):
    content = (
        as_role("editor_other")
        .get(reverse("procedures:register", args=["hitzacker-elbe"]))
        .content.decode()
    )
    assert "4.321,50 €" in content and "30.06.2027" in content
    assert "Bearbeiten" not in content  # reads, but may not edit


def test_user_without_membership_cannot_read_the_register(client, entry):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="ohne-rolle"))
    assert client.get(reverse("procedures:register", args=["hitzacker-elbe"])).status_code == 403
    response = client.get(reverse("procedures:overview"))
    assert "Hitzacker" not in response.content.decode()
