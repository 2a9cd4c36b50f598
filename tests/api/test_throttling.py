"""Rate limits: anonymous 60, API key 600 requests a minute (counted in the cache)."""

import time_machine
from django.conf import settings
from django.core import checks
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


def _exhaust(client, **headers):
    for _ in range(60):
        assert client.get("/api/v1/fields/", **headers).status_code == 200


def test_a_forged_forwarded_for_does_not_get_a_new_budget(client, data, settings):
    """Issue 18, item 3: without a trusted proxy, X-Forwarded-For is the client's word."""
    settings.PORTAL_TRUSTED_PROXIES = 0
    with time_machine.travel("2026-05-04 10:00:00+00:00", tick=False):
        _exhaust(client)
        statuses = {
            client.get(
                "/api/v1/fields/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n % 250}, 10.0.{n}.1"
            ).status_code
            for n in range(100)
        }
    assert statuses == {429}


def test_behind_the_trusted_proxy_clients_are_counted_by_the_address_it_reports(
    client, data, settings
):
    """The proxy appends the real address; whatever the client wrote before it is ignored."""
    settings.PORTAL_TRUSTED_PROXIES = 1
    with time_machine.travel("2026-05-04 10:00:00+00:00", tick=False):
        _exhaust(client, HTTP_X_FORWARDED_FOR="203.0.113.5")
        statuses = {
            client.get(
                "/api/v1/fields/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5"
            ).status_code
            for n in range(100)
        }
        assert statuses == {429}
        # Another client behind the same proxy has its own budget.
        other = client.get("/api/v1/fields/", HTTP_X_FORWARDED_FOR="203.0.113.6")
        assert other.status_code == 200


def test_api_num_proxies_is_no_longer_read(monkeypatch):
    assert "NUM_PROXIES" not in settings.REST_FRAMEWORK
    monkeypatch.setenv("API_NUM_PROXIES", "1")
    assert [m.id for m in checks.run_checks(tags=[checks.Tags.security])] == ["api.W001"]
    monkeypatch.delenv("API_NUM_PROXIES")
    assert "api.W001" not in [m.id for m in checks.run_checks(tags=[checks.Tags.security])]
