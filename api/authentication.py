"""API keys: ``Authorization: Bearer <key>``. A key acts for its body as that body's editor.

The principal put on ``request.user`` answers the portal's permission functions
(``municipalities.rules``) like an editor of the key's body: it carries one editor
membership of that body, so every read and write check goes through the same rules as a
person's, with nothing special-cased for keys.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from rest_framework import authentication, exceptions, status

from core.security import AttemptLimit, client_ip, log_event
from municipalities.acting import _CACHE_ATTR
from municipalities.models import Membership, Role

from .models import ApiToken, hash_secret

KEYWORD = "Bearer"
# last_used_at is written at most this often per key, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
# Only this much of the SHA-256 of a wrong key is logged: enough to tell one client's
# misconfigured key from a guesser's many, useless for finding the key.
LOGGED_HASH_LENGTH = 8


def key_failures():
    """Wrong keys per client address (``API_KEY_FAILURE_LIMIT`` per
    ``API_KEY_FAILURE_COOLOFF_MINUTES``); read per request, so tests can change the settings."""
    return AttemptLimit(
        "api-key-failures",
        settings.API_KEY_FAILURE_LIMIT,
        settings.API_KEY_FAILURE_COOLOFF_MINUTES * 60,
    )


class TooManyKeyFailures(exceptions.APIException):
    """429 for every request with a key from an address that sent too many wrong keys."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, wait):
        self.wait = wait  # DRF's exception handler turns it into Retry-After
        minutes = settings.API_KEY_FAILURE_COOLOFF_MINUTES
        super().__init__(
            f"Von dieser Adresse kamen zu viele Anfragen mit einem falschen API-Schlüssel. "
            f"Anfragen mit API-Schlüssel sind von hier deshalb {minutes} Minuten lang "
            f"gesperrt, auch mit einem gültigen Schlüssel. Bitte versuchen Sie es in {wait} "
            f"Sekunden erneut und prüfen Sie den Schlüssel in Ihrem Programm."
        )


class TokenUser:
    """Acts for the key's body only; not a person (no pk, no name, no staff rights)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    pk = None
    id = None

    def __init__(self, token):
        self.token = token
        self.municipality = token.municipality
        setattr(
            self,
            _CACHE_ATTR,
            [Membership(municipality=token.municipality, role=Role.EDITOR)],
        )

    def __str__(self):
        return f"API-Schlüssel {self.token.prefix} ({self.municipality.label})"

    def get_username(self):
        return str(self)

    def has_perm(self, perm, obj=None):
        return False


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Wrong keys are counted per client address; past the limit every request with a key
    from that address is refused (429), a valid key too, so that a guesser cannot tell a hit
    from a miss while blocked. A revoked key is logged but not counted: it is a forgotten
    configuration, not a guess, and must not block the valid keys of its neighbours."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        # The Django request: DRF's would authenticate again when the log reads its user.
        http_request = getattr(request, "_request", request)
        ip = client_ip(http_request)
        limit = key_failures()
        wait = limit.blocked_for(ip)
        if wait:
            log_event(
                "api_key_refused",
                f"API key refused for {ip} during a block after repeated wrong keys",
                request=http_request,
                level=logging.WARNING,
                retry_after=wait,
            )
            raise TooManyKeyFailures(wait)
        if len(header) != 2:
            self._failed(http_request, limit, ip, "malformed", b" ".join(header[1:]))
            raise exceptions.AuthenticationFailed(
                "Ungültige Angabe im Authorization-Header: erwartet wird „Bearer <Schlüssel>“."
            )
        try:
            secret = header[1].decode()
        except UnicodeError as exc:
            self._failed(http_request, limit, ip, "malformed", header[1])
            raise exceptions.AuthenticationFailed("Der API-Schlüssel ist ungültig.") from exc
        key_hash = hash_secret(secret)
        token = (
            ApiToken.objects.select_related("municipality", "municipality__parent")
            .filter(key_hash=key_hash)
            .first()
        )
        if token is None:
            self._failed(http_request, limit, ip, "unknown", header[1])
            raise exceptions.AuthenticationFailed("Der API-Schlüssel ist ungültig.")
        if not token.is_active:
            log_event(
                "api_key_failed",
                f"revoked API key {token.prefix} used from {ip}",
                request=http_request,
                level=logging.WARNING,
                reason="revoked",
                key_prefix=token.prefix,
                municipality_id=token.municipality_id,
            )
            raise exceptions.AuthenticationFailed("Dieser API-Schlüssel wurde widerrufen.")
        self._touch(token)
        return TokenUser(token), token

    @staticmethod
    def _failed(request, limit, ip, reason, presented):
        """Count and log a wrong key; never the key itself, a short hash prefix at most."""
        digest = hashlib.sha256(presented).hexdigest()[:LOGGED_HASH_LENGTH]
        log_event(
            "api_key_failed",
            f"wrong API key ({reason}, sha256 {digest}…) from {ip}",
            request=request,
            level=logging.WARNING,
            reason=reason,
            key_sha256_prefix=digest,
        )
        if limit.count(ip):
            log_event(
                "api_key_lockout",
                f"API keys from {ip} blocked for {limit.window} s after {limit.limit} wrong keys",
                request=request,
                level=logging.WARNING,
                failures=limit.limit,
            )

    def authenticate_header(self, request):
        return KEYWORD

    @staticmethod
    def _touch(token):
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
