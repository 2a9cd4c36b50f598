import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A one-time link to set a password; only the token's hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(_("Prüfsumme des Links"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingeladen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("gültig bis"))
    used_at = models.DateTimeField(_("eingelöst am"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Einladung für {self.user} bis {self.expires_at:%d.%m.%Y %H:%M}"

    @property
    def is_open(self):
        unused = self.used_at is None and self.revoked_at is None
        return unused and self.expires_at > timezone.now()


class Action(models.TextChoices):
    INVITED = "invited", _("eingeladen")
    INVITATION_RESENT = "invitation_resent", _("Einladung erneut gesendet")
    PASSWORD_SET = "password_set", _("Passwort über die Einladung gesetzt")
    ROLE_ADDED = "role_added", _("Rolle vergeben")
    ROLE_REMOVED = "role_removed", _("Rolle entzogen")
    DEACTIVATED = "deactivated", _("deaktiviert")
    REACTIVATED = "reactivated", _("wieder aktiviert")


class PeopleEvent(models.Model):
    """Who changed which person's access, when, and how (append-only)."""

    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="people_events",
    )
    action = models.CharField(_("Änderung"), max_length=30, choices=Action.choices)
    detail = models.CharField(_("Einzelheiten"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Änderung an Personen und Rollen")
        verbose_name_plural = _("Änderungen an Personen und Rollen")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.get_action_display()}: {self.person}"
