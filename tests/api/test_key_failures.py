"""Wrong API keys are limited per client address and logged (issue 18, item 3)."""

import secrets

import time_machine

URL = "/api/v1/fields/"
ADDRESS = "203.0.113.7"


def bearer(secret, ip=ADDRESS):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", "REMOTE_ADDR": ip}


def wrong_key():
    return f"{secrets.token_hex(4)}.{secrets.token_urlsafe(32)}"


def test_random_keys_are_limited_per_address(client, tokens, data, security_events):
    valid = tokens["token_own"][1]
    with time_machine.travel("2026-05-04 10:00:00+00:00", tick=False) as traveller:
        answers = [client.get(URL, **bearer(wrong_key())) for _ in range(150)]
        statuses = [answer.status_code for answer in answers]
        assert statuses[:10] == [401] * 10
        assert set(statuses[10:]) == {429}
        refused = answers[-1]
        assert "zu viele Anfragen mit einem falschen API-Schlüssel" in refused.json()["detail"]
        assert 0 < int(refused["Retry-After"]) <= 15 * 60

        # While blocked, a valid key from the same address is refused too: a guesser must
        # not learn that a key was right.
        assert client.get(URL, **bearer(valid)).status_code == 429
        # Other addresses and anonymous reading are not affected.
        assert client.get(URL, **bearer(valid, ip="203.0.113.8")).status_code == 200
        assert client.get(URL, REMOTE_ADDR=ADDRESS).status_code == 200

        traveller.shift(15 * 60 + 1)
        assert client.get(URL, **bearer(valid)).status_code == 200

    assert len(security_events("api_key_failed")) == 10
    (lockout,) = security_events("api_key_lockout")
    assert lockout["ip"] == ADDRESS and lockout["failures"] == 10
    assert len(security_events("api_key_refused")) == 141


def test_attempts_during_the_block_do_not_extend_it(client, tokens, data):
    valid = tokens["token_own"][1]
    with time_machine.travel("2026-05-04 10:00:00+00:00", tick=False) as traveller:
        for _ in range(10):
            client.get(URL, **bearer(wrong_key()))
        traveller.shift(14 * 60)
        assert client.get(URL, **bearer(wrong_key())).status_code == 429
        traveller.shift(61)
        assert client.get(URL, **bearer(valid)).status_code == 200


def test_the_log_names_a_hash_prefix_never_the_key(client, tokens, data, security_events):
    secret = wrong_key()
    assert client.get(URL, **bearer(secret)).status_code == 401
    (failed,) = security_events("api_key_failed")
    assert failed["ip"] == ADDRESS and failed["reason"] == "unknown"
    assert len(failed["key_sha256_prefix"]) == 8
    text = " ".join(str(e) for e in security_events())
    assert secret not in text and secret.split(".")[1][:8] not in text


def test_malformed_headers_count_as_wrong_keys(client, tokens, data, security_events):
    for _ in range(10):
        answer = client.get(URL, HTTP_AUTHORIZATION="Bearer a b", REMOTE_ADDR=ADDRESS)
        assert answer.status_code == 401
    assert client.get(URL, **bearer(tokens["token_own"][1])).status_code == 429
    assert {e["reason"] for e in security_events("api_key_failed")} == {"malformed"}


def test_a_revoked_key_is_logged_but_does_not_block_its_neighbours(
    client, tokens, data, security_events
):
    revoked = tokens["token_revoked"][1]
    for _ in range(20):
        answer = client.get(URL, **bearer(revoked))
        assert answer.status_code == 401
        assert "widerrufen" in answer.json()["detail"]
    assert client.get(URL, **bearer(tokens["token_own"][1])).status_code == 200
    failed = security_events("api_key_failed")
    assert len(failed) == 20 and failed[0]["reason"] == "revoked"
    assert failed[0]["key_prefix"] == tokens["token_revoked"][0].prefix


def test_limit_and_cooloff_are_settings(client, tokens, data, settings):
    settings.API_KEY_FAILURE_LIMIT = 2
    settings.API_KEY_FAILURE_COOLOFF_MINUTES = 1
    with time_machine.travel("2026-05-04 10:00:00+00:00", tick=False) as traveller:
        assert [client.get(URL, **bearer(wrong_key())).status_code for _ in range(3)] == [
            401,
            401,
            429,
        ]
        traveller.shift(61)
        assert client.get(URL, **bearer(tokens["token_own"][1])).status_code == 200
