"""The portal pages for API keys: list, create (shown once), revoke with confirmation."""

import pytest
from django.urls import reverse

from api.models import ApiToken, hash_secret

PEOPLE = [
    "anonymous",
    "editor_own",
    "editor_other",
    "samtgemeinde_editor",
    "coordinator",
    "council",
]
# Managing Hitzacker's keys: its editors, its Samtgemeinde's editors, the coordinator.
MAY_MANAGE = {"editor_own", "samtgemeinde_editor", "coordinator"}


def _expected(role, allowed=200):
    if role == "anonymous":
        return 302
    return allowed if role in MAY_MANAGE else 403


@pytest.mark.parametrize("role", PEOPLE)
def test_list_matrix(as_role, role, tokens, district):
    response = as_role(role).get(reverse("api:tokens", args=["hitzacker-elbe"]))
    assert response.status_code == _expected(role)
    if response.status_code == 200:
        text = response.content.decode()
        own, _ = tokens["token_own"]
        assert own.prefix in text and "Fachverfahren" in text
        assert "Bauamt" not in text  # Gorleben's key
        assert own.key_hash not in text


@pytest.mark.parametrize("role", PEOPLE)
def test_create_matrix_and_secret_shown_once(as_role, role, district):
    client = as_role(role)
    url = reverse("api:token_create", args=["hitzacker-elbe"])
    response = client.post(url, {"name": "Fachverfahren Bürgerbüro"})
    assert response.status_code == _expected(role, allowed=201)
    if response.status_code != 201:
        assert not ApiToken.objects.exists()
        return
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert token.municipality == district["hitzacker"]
    assert token.key_hash == hash_secret(secret) and secret not in token.key_hash
    assert secret in response.content.decode()
    assert "nur dieses eine Mal" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    listing = client.get(reverse("api:tokens", args=["hitzacker-elbe"])).content.decode()
    assert token.prefix in listing and secret not in listing
    # The new key works at once, for Hitzacker.
    api = client.get("/api/v1/measures/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200


def test_create_without_name_keeps_the_page_and_says_why(as_role, district):
    response = as_role("editor_own").post(
        reverse("api:token_create", args=["hitzacker-elbe"]), {"name": "   "}
    )
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_create_needs_post(as_role, district):
    response = as_role("editor_own").get(reverse("api:token_create", args=["hitzacker-elbe"]))
    assert response.status_code == 405


@pytest.mark.parametrize("role", PEOPLE)
def test_revoke_matrix(as_role, role, tokens, data):
    own, secret = tokens["token_own"]
    client = as_role(role)
    url = reverse("api:token_revoke", args=["hitzacker-elbe", own.pk])
    confirm = client.get(url)
    assert confirm.status_code == _expected(role)
    if confirm.status_code == 200:
        text = confirm.content.decode()
        assert "keine Messwerte mehr" in text and "nicht rückgängig" in text
    response = client.post(url)
    own.refresh_from_db()
    if role in MAY_MANAGE:
        assert response.status_code == 302
        assert own.revoked_at is not None and own.revoked_by is not None
        refused = client.get("/api/v1/measures/", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert refused.status_code == 401
    else:
        assert response.status_code == _expected(role)
        assert own.revoked_at is None


def test_keys_of_another_body_cannot_be_revoked_through_this_body(as_role, tokens, district):
    other, _ = tokens["token_other"]
    url = reverse("api:token_revoke", args=["hitzacker-elbe", other.pk])
    assert as_role("coordinator").post(url).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_key_cannot_manage_keys(client, tokens, district):
    own, secret = tokens["token_own"]
    response = client.get(
        reverse("api:tokens", args=["hitzacker-elbe"]), HTTP_AUTHORIZATION=f"Bearer {secret}"
    )
    assert response.status_code == 302  # the portal pages know no API keys: login page


@pytest.mark.parametrize("role", PEOPLE)
def test_dashboard_links_to_the_keys_for_those_who_manage_them(as_role, role, district):
    response = as_role(role).get(reverse("measures:dashboard", args=["hitzacker-elbe"]))
    assert response.status_code == 200
    link = reverse("api:tokens", args=["hitzacker-elbe"])
    assert (link in response.content.decode()) == (role in MAY_MANAGE)


def test_admin_lists_keys_read_only_without_hash(client, tokens, db):
    from tests.factories import UserFactory

    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    own, _ = tokens["token_own"]
    listing = client.get(reverse("admin:api_apitoken_changelist"))
    assert listing.status_code == 200 and own.prefix in listing.content.decode()
    detail = client.get(reverse("admin:api_apitoken_change", args=[own.pk]))
    assert detail.status_code == 200 and own.key_hash not in detail.content.decode()
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
