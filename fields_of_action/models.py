from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class FieldOfAction(TimeStampedModel):
    """One of the six Handlungsfelder of the Kreistag's resolution (seeded by a migration)."""

    number = models.PositiveSmallIntegerField(_("Nummer"), unique=True)
    slug = models.SlugField(_("Kürzel in Adressen"), max_length=80, unique=True)
    short_title = models.CharField(_("Kurztitel"), max_length=80)
    title = models.CharField(
        _("Titel"), max_length=200, help_text=_("Wortlaut des Kreistagsbeschlusses.")
    )
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Handlungsfeld")
        verbose_name_plural = _("Handlungsfelder")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.short_title}"

    def get_absolute_url(self):
        return reverse("fields_of_action:detail", kwargs={"slug": self.slug})


class Goal(TimeStampedModel):
    """A goal (Ziel) under a field of action, maintained by the coordinator."""

    field_of_action = models.ForeignKey(
        FieldOfAction,
        verbose_name=_("Handlungsfeld"),
        on_delete=models.PROTECT,
        related_name="goals",
    )
    title = models.CharField(_("Ziel"), max_length=200)
    description = models.TextField(_("Erläuterung"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("Reihenfolge"), default=0, help_text=_("Kleinere Zahlen stehen weiter oben.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Ziel")
        verbose_name_plural = _("Ziele")
        ordering = ["field_of_action__number", "position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["field_of_action", "title"], name="unique_goal_title_per_field"
            )
        ]

    def __str__(self):
        return self.title
