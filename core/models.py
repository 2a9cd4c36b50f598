from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Abstract base with creation and modification time."""

    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        abstract = True


class DataVersionEpoch(models.Model):
    """The part of the data version (core.data_version) that lives in the database.

    One row, written only when a write's bump of the version could not reach the cache (Redis
    away): every process reads it with the version, so figures cached before that write are
    never served again once Redis is back, whichever process notices first, or none.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    value = models.BigIntegerField(_("Wert"), default=0)
    changed_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Datenstand des Caches (Datenbankteil)")
        verbose_name_plural = _("Datenstände des Caches (Datenbankteil)")

    def __str__(self):
        return str(self.value)
