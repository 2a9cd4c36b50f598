"""Permission matrix: every API endpoint x every role, people and API keys."""

import pytest

from evaluation.models import Measurement

from .conftest import READS_INTERNAL, ROLES


def _ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ROLES)
def test_bodies_fields_and_goals_are_open_to_all_but_a_revoked_key(api_as, role, data):
    client = api_as(role)
    for url in ("/api/v1/bodies/", "/api/v1/fields/", "/api/v1/goals/", "/api/v1/fields/1/"):
        response = client.get(url)
        assert response.status_code == (401 if role == "token_revoked" else 200), url


@pytest.mark.parametrize("role", ROLES)
def test_measure_list_and_detail(api_as, role, data):
    client = api_as(role)
    response = client.get("/api/v1/measures/")
    if role == "token_revoked":
        assert response.status_code == 401
        assert response.json()["detail"] == "Dieser API-Schlüssel wurde widerrufen."
        return
    ids = _ids(response)
    published, unpublished, other = data["published"], data["unpublished"], data["other"]
    if role in READS_INTERNAL:
        assert ids == {published.pk, unpublished.pk, other.pk}
    else:
        assert ids == {published.pk, other.pk}
    detail = client.get(f"/api/v1/measures/{unpublished.pk}/")
    assert detail.status_code == (200 if role in READS_INTERNAL else 404)


@pytest.mark.parametrize("role", ROLES)
def test_personal_data_only_for_internal_readers(api_as, role, data):
    response = api_as(role).get(f"/api/v1/measures/{data['published'].pk}/")
    if role == "token_revoked":
        assert response.status_code == 401
        return
    body = response.json()
    text = response.content.decode()
    if role in READS_INTERNAL:
        assert body["version"] == "current"
        assert body["contact"] == {
            "name": "Erika Geheimname",
            "email": "erika.geheim@example.org",
        }
    else:
        assert body["version"] == "published"
        assert "contact" not in body and "review_state" not in body
        assert "Geheimname" not in text and "erika.geheim" not in text
    assert body["contact_role"] == "Fachdienst Digitalisierung"


@pytest.mark.parametrize("role", ROLES)
def test_indicators_and_their_series(api_as, role, data):
    client = api_as(role)
    response = client.get("/api/v1/indicators/")
    if role == "token_revoked":
        assert response.status_code == 401
        return
    ids = _ids(response)
    shown = {data["indicator"].pk, data["other_indicator"].pk}
    if role in READS_INTERNAL:
        shown.add(data["hidden_indicator"].pk)
    assert ids == shown
    series = client.get(f"/api/v1/indicators/{data['indicator'].pk}/measurements/").json()
    (value,) = series["results"]
    assert value["period"] == "2025-01-01" and value["value"] == "14.0000"
    # Free-text notes may name people: internal readers only.
    assert value["note"] == ("Zählung von Frau Geheimname" if role in READS_INTERNAL else "")
    hidden = client.get(f"/api/v1/indicators/{data['hidden_indicator'].pk}/measurements/")
    assert hidden.status_code == (200 if role in READS_INTERNAL else 404)


@pytest.mark.parametrize("role", ROLES)
def test_assessments(api_as, role, data):
    response = api_as(role).get("/api/v1/assessments/")
    if role == "token_revoked":
        assert response.status_code == 401
        return
    shown = {data["assessment"].pk}
    if role in READS_INTERNAL:
        shown.add(data["hidden_assessment"].pk)
    assert _ids(response) == shown
    assert "assessed_by" not in response.json()["results"][0]


@pytest.mark.parametrize("role", ROLES)
def test_drafts_as_the_drafts_app_allows(api_as, role, drafts):
    response = api_as(role).get("/api/v1/drafts/")
    if role == "token_revoked":
        assert response.status_code == 401
        return
    expected = {drafts["published"].pk}
    if role in {"council", "coordinator"}:
        expected.add(drafts["frozen"].pk)
    if role == "coordinator":
        expected.add(drafts["editing"].pk)
    assert _ids(response) == expected
    published = next(d for d in response.json()["results"] if d["id"] == drafts["published"].pk)
    assert published["pdf_url"].endswith(f"/entwurf/{drafts['published'].pk}/pdf/")
    assert published["oparl_paper"].endswith(f"/entwurf/{drafts['published'].pk}/oparl/paper")


# Who may push a measurement for an indicator of a Hitzacker measure (own body) and of a
# Gorleben measure (SG Gartow): the portal's rule for maintaining indicators.
PUSH_OWN = {
    "anonymous": 401,
    "editor_own": 201,
    "editor_other": 403,
    "samtgemeinde_editor": 201,
    "coordinator": 201,
    "council": 403,
    "token_own": 201,
    "token_other": 403,
    "token_revoked": 401,
}
PUSH_OTHER = {
    **PUSH_OWN,
    "editor_own": 403,
    "editor_other": 201,
    "samtgemeinde_editor": 403,
    "token_own": 403,
    "token_other": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_push_matrix(api_as, role, data):
    client = api_as(role)
    for indicator, expected in (
        (data["indicator"], PUSH_OWN),
        (data["other_indicator"], PUSH_OTHER),
    ):
        response = client.post(
            f"/api/v1/indicators/{indicator.pk}/measurements/",
            {"period": "2026", "value": "21,5"},
            content_type="application/json",
        )
        assert response.status_code == expected[role], (indicator, response.content)
        stored = Measurement.objects.filter(indicator=indicator, period="2026-01-01")
        assert stored.exists() == (expected[role] == 201)
        if response.status_code == 403:
            assert "anderen Kommune" in response.json()["detail"]


@pytest.mark.parametrize("role", ["anonymous", "editor_own", "token_own", "token_other"])
def test_push_to_an_unpublished_indicator(api_as, role, data):
    """Invisible indicators are not found (404) for the public; visible but foreign: 403."""
    response = api_as(role).post(
        f"/api/v1/indicators/{data['hidden_indicator'].pk}/measurements/",
        {"period": "2026", "value": "3"},
        content_type="application/json",
    )
    expected = {"anonymous": 404, "editor_own": 201, "token_own": 201, "token_other": 403}
    assert response.status_code == expected[role]
