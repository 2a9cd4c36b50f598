import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality

# The secret is "<prefix>.<random part>"; the prefix identifies a key in lists without
# revealing it, the database keeps only the SHA-256 of the whole secret.
PREFIX_LENGTH = 8


def hash_secret(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """An API key of one body: acts for that body only (e.g. a specialised procedure that
    pushes measurements). Created and revoked in the portal; shown once after creation."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(
        _("Bezeichnung"),
        max_length=100,
        help_text=_("Wofür der Schlüssel dient, z. B. „Fachverfahren Bürgerbüro“."),
    )
    prefix = models.CharField(_("Kennung"), max_length=PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField(_("Prüfsumme"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("widerrufen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, municipality, name, user):
        """Create a key; returns ``(token, secret)``. The secret is not stored anywhere."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        while cls.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        secret = f"{prefix}.{secrets.token_urlsafe(32)}"
        token = cls.objects.create(
            municipality=municipality,
            name=name,
            prefix=prefix,
            key_hash=hash_secret(secret),
            created_by=user,
        )
        return token, secret

    @property
    def is_active(self):
        return self.revoked_at is None
