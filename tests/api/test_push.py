"""Pushing measurements with an API key: the measurement form's rules, idempotent per period."""

import datetime
from decimal import Decimal

import pytest

from api.models import ApiToken
from evaluation.models import Measurement, Origin


@pytest.fixture
def push(api_as, data):
    client = api_as("token_own")

    def send(body, indicator=None, **extra):
        indicator = indicator or data["indicator"]
        return client.post(
            f"/api/v1/indicators/{indicator.pk}/measurements/",
            body,
            content_type="application/json",
            **extra,
        )

    return send


def test_create_then_idempotent_repush_then_correction(push, data):
    indicator = data["indicator"]
    first = push({"period": "2026", "value": 20.5, "note": "aus dem Fachverfahren"})
    assert first.status_code == 201
    assert first.json() == {
        "indicator": indicator.pk,
        "period": "2026-01-01",
        "value": "20.5000",
        "note": "aus dem Fachverfahren",
        "result": "created",
    }
    again = push({"period": "2026", "value": "20,5", "note": "aus dem Fachverfahren"})
    assert again.status_code == 200 and again.json()["result"] == "unchanged"
    corrected = push({"period": "2026-03-01", "value": "21"})
    assert corrected.status_code == 200 and corrected.json()["result"] == "updated"
    stored = Measurement.objects.get(indicator=indicator, period=datetime.date(2026, 1, 1))
    assert stored.value == Decimal("21")
    # No note sent: the stored note stays.
    assert stored.note == "aus dem Fachverfahren"
    assert stored.origin == Origin.API and stored.recorded_by is None
    assert Measurement.objects.filter(indicator=indicator).count() == 2


def test_session_push_records_the_person(api_as, users, data):
    response = api_as("editor_own").post(
        f"/api/v1/indicators/{data['indicator'].pk}/measurements/",
        {"period": "2024", "value": "30"},
        content_type="application/json",
    )
    assert response.status_code == 201
    stored = Measurement.objects.get(indicator=data["indicator"], period="2024-01-01")
    assert stored.recorded_by == users["editor_own"]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"period": "2026", "value": "zwölf"},
            "value",
            "Bitte geben Sie eine Zahl an, z. B. 12,5.",
        ),
        ({"period": "2026", "value": True}, "value", "Bitte geben Sie eine Zahl an"),
        ({"period": "2026", "value": ""}, "value", "Bitte geben Sie einen Wert an."),
        ({"period": "13/2026", "value": "1"}, "period", "kein gültiges Datum"),
        ({"period": "im Frühjahr", "value": "1"}, "period", "Unbekanntes Zeitraum-Format"),
        ({"period": ["2026"], "value": "1"}, "period", "als Text"),
        ({"period": "1850", "value": "1"}, "period", "unplausibel"),
        ({"period": "2026-02-30", "value": "1"}, "period", "kein gültiges Datum"),
        ({"value": "1"}, "period", "Bitte geben Sie den Zeitraum an"),
        ({"period": "2026"}, "value", "Bitte geben Sie einen Wert an."),
        ({"period": "2026", "value": "1e20"}, "value", "Bitte geben Sie eine Zahl an"),
        ({"period": "2026", "value": "1", "note": "x" * 501}, "note", "höchstens 500 Zeichen"),
    ],
)
def test_bad_values_are_refused_in_german(push, data, body, field, message):
    response = push(body)
    assert response.status_code == 400
    errors = response.json()[field]
    assert any(message in error for error in errors), errors
    assert not Measurement.objects.filter(indicator=data["indicator"], period__year=2026).exists()


def test_not_json_object_and_broken_json(push):
    listed = push([{"period": "2026", "value": "1"}])
    assert listed.status_code == 400
    assert listed.json()["non_field_errors"] == [
        "Bitte senden Sie ein JSON-Objekt mit „period“ und „value“."
    ]
    broken = push('{"period": 2026')
    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("Der Inhalt der Anfrage ist kein gültiges JSON.")


def test_quarterly_indicator_takes_quarters(push, data):
    indicator = data["indicator"]
    indicator.frequency = "quarterly"
    indicator.save()
    response = push({"period": "Q3/2026", "value": "18"})
    assert response.status_code == 201
    assert response.json()["period"] == "2026-07-01"


def test_key_use_is_recorded_and_the_secret_is_stored_hashed(push, tokens):
    token, secret = tokens["token_own"]
    assert token.last_used_at is None
    assert push({"period": "2026", "value": "1"}).status_code == 201
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert secret not in {token.key_hash, token.prefix}
    assert secret.startswith(token.prefix + ".")
    assert ApiToken.objects.filter(key_hash__contains=secret).count() == 0


@pytest.mark.parametrize(
    "header",
    ["Bearer falsch", "Bearer", "Bearer a b"],
)
def test_invalid_keys_are_refused(client, data, header):
    response = client.get("/api/v1/measures/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_the_readme_example_works(push, data):
    """The curl example in README.md, sent to a quarterly indicator of the key's body."""
    import json
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    payload = json.loads(re.search(r"-d '(\{.*?\})'", readme).group(1))
    indicator = data["indicator"]
    indicator.frequency = "quarterly"
    indicator.save()
    response = push(payload)
    assert response.status_code == 201
    assert response.json()["value"] == "42.5000"
    assert push(payload).json()["result"] == "unchanged"
