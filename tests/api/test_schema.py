"""The OpenAPI schema is valid, and every operation's responses match it."""

import pytest
from openapi_spec_validator import validate

from .openapi import assert_matches, load_schema, operations


@pytest.fixture
def schema(client, db):
    return load_schema(client)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_schema_is_served_as_yaml_by_default(client, db):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"openapi: 3.1" in response.content


def _examples(data, drafts):
    """A concrete request for every operation of the schema: (template, method) -> calls."""
    indicator = data["indicator"].pk
    push = f"/api/v1/indicators/{indicator}/measurements/"
    cost_plan = f"/api/v1/measures/{data['published'].pk}/cost-plan/"
    return {
        ("/api/v1/bodies/", "GET"): [("get", "/api/v1/bodies/?kind=town", None)],
        ("/api/v1/bodies/{id}/", "GET"): [
            ("get", f"/api/v1/bodies/{data['published'].lead_municipality_id}/", None)
        ],
        ("/api/v1/fields/", "GET"): [("get", "/api/v1/fields/", None)],
        ("/api/v1/fields/{number}/", "GET"): [("get", "/api/v1/fields/1/", None)],
        ("/api/v1/goals/", "GET"): [("get", "/api/v1/goals/?field=1", None)],
        ("/api/v1/goals/{id}/", "GET"): [("get", "/api/v1/goals/999999/", None)],
        ("/api/v1/measures/", "GET"): [
            ("get", "/api/v1/measures/", None),
            ("get", "/api/v1/measures/?status=unbekannt", None),
        ],
        ("/api/v1/measures/{id}/", "GET"): [
            ("get", f"/api/v1/measures/{data['published'].pk}/", None)
        ],
        ("/api/v1/indicators/", "GET"): [("get", "/api/v1/indicators/?field=1", None)],
        ("/api/v1/indicators/{id}/", "GET"): [("get", f"/api/v1/indicators/{indicator}/", None)],
        ("/api/v1/indicators/{id}/measurements/", "GET"): [
            ("get", f"/api/v1/indicators/{indicator}/measurements/", None)
        ],
        ("/api/v1/indicators/{id}/measurements/", "POST"): [
            ("post", push, {"period": "2026", "value": "20"}),
            ("post", push, {"period": "2026", "value": "20"}),
            ("post", push, {"period": "x", "value": "1"}),
            (
                "post",
                f"/api/v1/indicators/{data['other_indicator'].pk}/measurements/",
                {"period": "2026", "value": "1"},
            ),
        ],
        ("/api/v1/measures/{id}/cost-plan/", "POST"): [
            ("post", cost_plan, {"year": 2027, "running_actual": "120,50"}),
            ("post", cost_plan, {"year": 2027, "running_actual": "120,50"}),
            ("post", cost_plan, {"year": 0}),
            (
                "post",
                f"/api/v1/measures/{data['other'].pk}/cost-plan/",
                {"year": 2027, "running_planned": "1"},
            ),
        ],
        ("/api/v1/assessments/", "GET"): [("get", "/api/v1/assessments/", None)],
        ("/api/v1/assessments/{id}/", "GET"): [
            ("get", f"/api/v1/assessments/{data['assessment'].pk}/", None)
        ],
        ("/api/v1/drafts/", "GET"): [("get", "/api/v1/drafts/", None)],
        ("/api/v1/drafts/{id}/", "GET"): [
            ("get", f"/api/v1/drafts/{drafts['published'].pk}/", None)
        ],
    }


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "token_own"])
def test_every_operation_is_exercised_and_matches_the_schema(schema, api_as, role, data, drafts):
    examples = _examples(data, drafts)
    assert set(examples) == operations(schema), "Jeder Endpunkt braucht ein Beispiel hier"
    client = api_as(role)
    for (template, method), calls in examples.items():
        for verb, url, body in calls:
            if verb == "get":
                response = client.get(url)
            else:
                response = client.post(url, body, content_type="application/json")
            assert response.status_code < 500, (url, response.content)
            assert_matches(schema, template, method, response)
