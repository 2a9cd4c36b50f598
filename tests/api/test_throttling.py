"""Rate limits: anonymous 60, API key 600 requests a minute (counted in the cache)."""

import time_machine
from django.conf import settings
from rest_framework.settings import api_settings

from api.throttling import TokenThrottle


def test_configured_rates():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == {"anon": "60/min", "token": "600/min", "user": "600/min"}
    assert rates == api_settings.DEFAULT_THROTTLE_RATES


def test_anonymous_clients_get_60_requests_a_minute(client, data):
    with time_machine.travel("2026-05-04 10:00:00+00:00", tick=False) as traveller:
        for _ in range(60):
            assert client.get("/api/v1/fields/").status_code == 200
        refused = client.get("/api/v1/fields/")
        assert refused.status_code == 429
        assert "Anfrage wurde gedrosselt" in refused.json()["detail"]
        assert int(refused["Retry-After"]) <= 60
        traveller.shift(61)
        assert client.get("/api/v1/fields/").status_code == 200


def test_keys_are_counted_per_key_not_per_address(client, tokens, data, monkeypatch):
    rates = {**TokenThrottle.THROTTLE_RATES, "token": "3/min"}
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", rates)
    own = {"HTTP_AUTHORIZATION": f"Bearer {tokens['token_own'][1]}"}
    other = {"HTTP_AUTHORIZATION": f"Bearer {tokens['token_other'][1]}"}
    with time_machine.travel("2026-05-04 10:00:00+00:00", tick=False):
        for _ in range(3):
            assert client.get("/api/v1/fields/", **own).status_code == 200
        assert client.get("/api/v1/fields/", **own).status_code == 429
        # Another key from the same address, and anonymous requests, have their own budget.
        assert client.get("/api/v1/fields/", **other).status_code == 200
        assert client.get("/api/v1/fields/").status_code == 200


def test_a_key_is_not_limited_like_an_anonymous_client(client, tokens, data):
    own = {"HTTP_AUTHORIZATION": f"Bearer {tokens['token_own'][1]}"}
    with time_machine.travel("2026-05-04 10:00:00+00:00", tick=False):
        for _ in range(61):
            assert client.get("/api/v1/fields/", **own).status_code == 200
