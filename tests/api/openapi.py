"""Check API responses against the portal's own OpenAPI 3.1 schema (jsonschema 2020-12)."""

import json

import jsonschema
from django.core.cache import cache


def load_schema(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200, response.content
    cache.clear()  # the schema request must not count against the rate limits of a test
    return json.loads(response.content)


def operations(schema):
    """{(path template, METHOD)} of every operation in the schema."""
    return {
        (path, method.upper())
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


def assert_matches(schema, path, method, response):
    """The response's status is documented for the operation and its JSON body validates."""
    operation = schema["paths"][path][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method} {path}: Status {status} ist im Schema nicht beschrieben"
    )
    content = operation["responses"][status].get("content")
    if not content:
        return
    body_schema = content["application/json"]["schema"]
    document = {**body_schema, "components": schema["components"]}
    jsonschema.Draft202012Validator(
        document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(response.json())
