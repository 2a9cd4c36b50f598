"""API keys: ``Authorization: Bearer <key>``. A key acts for its body as that body's editor.

The principal put on ``request.user`` answers the portal's permission functions
(``municipalities.rules``) like an editor of the key's body: it carries one editor
membership of that body, so every read and write check goes through the same rules as a
person's, with nothing special-cased for keys.
"""

import datetime

from django.db.models import Q
from django.utils import timezone
from rest_framework import authentication, exceptions

from municipalities.models import Membership, Role
from municipalities.rules import _CACHE_ATTR

from .models import ApiToken, hash_secret

KEYWORD = "Bearer"
# last_used_at is written at most this often per key, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


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
        return f"API-Schlüssel {self.token.prefix} ({self.municipality.name})"

    def get_username(self):
        return str(self)

    def has_perm(self, perm, obj=None):
        return False


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Ungültige Angabe im Authorization-Header: erwartet wird „Bearer <Schlüssel>“."
            )
        try:
            secret = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Der API-Schlüssel ist ungültig.") from exc
        token = (
            ApiToken.objects.select_related("municipality", "municipality__parent")
            .filter(key_hash=hash_secret(secret))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Der API-Schlüssel ist ungültig.")
        if not token.is_active:
            raise exceptions.AuthenticationFailed("Dieser API-Schlüssel wurde widerrufen.")
        self._touch(token)
        return TokenUser(token), token

    def authenticate_header(self, request):
        return KEYWORD

    @staticmethod
    def _touch(token):
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
