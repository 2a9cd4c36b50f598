"""The portal's legal and information pages, with defaults the coordinator can edit.

A page that was never edited has no row: it shows the default text from `defaults.py`, and
the coordinator sees a note that it is the default. Editing stores a row (with history).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.validators import validate_date_range


class PageKind(models.TextChoices):
    IMPRESSUM = "impressum", _("Impressum")
    PRIVACY = "datenschutz", _("Datenschutzerklärung")
    EASY_READ = "leichte-sprache", _("Leichte Sprache")
    SIGN_LANGUAGE = "gebaerdensprache", _("Deutsche Gebärdensprache")


class LegalPage(TimeStampedModel):
    kind = models.CharField(_("Seite"), max_length=20, choices=PageKind.choices, unique=True)
    text = models.TextField(
        _("Text"),
        max_length=50_000,
        help_text=_(
            "Absätze durch eine Leerzeile trennen. Überschriften beginnen mit „## “, "
            "Aufzählungen mit „- “, Links schreiben Sie als [Linktext](https://…)."
        ),
    )
    video = models.FileField(
        _("Video in Deutscher Gebärdensprache"),
        upload_to="pages/dgs/",
        blank=True,
        help_text=_("MP4- oder WebM-Datei; nur für die Seite „Deutsche Gebärdensprache“."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuletzt geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Seite")
        verbose_name_plural = _("Seiten")

    def __str__(self):
        return self.get_kind_display()


class Conformity(models.TextChoices):
    FULL = "vollstaendig", _("vollständig vereinbar")
    PARTIAL = "teilweise", _("teilweise vereinbar")
    NONE = "nicht", _("nicht vereinbar")


class AccessibilityStatement(TimeStampedModel):
    """The Erklärung zur Barrierefreiheit (BITV 2.0 section 7); one row at most."""

    conformity = models.CharField(
        _("Stand der Vereinbarkeit"),
        max_length=20,
        choices=Conformity.choices,
        default=Conformity.PARTIAL,
        help_text=_("Wie weit das Portal die Anforderungen der BITV 2.0 erfüllt."),
    )
    shortcomings = models.TextField(
        _("Nicht barrierefreie Inhalte"),
        max_length=20_000,
        help_text=_("Bekannte Mängel, jeweils mit Begründung und Alternative."),
    )
    method = models.TextField(
        _("Wie die Erklärung erstellt wurde"),
        max_length=5_000,
        help_text=_("Zum Beispiel Selbstbewertung, automatische Prüfung, Prüfung durch Dritte."),
    )
    prepared_on = models.DateField(_("Erstellt am"), validators=[validate_date_range])
    reviewed_on = models.DateField(_("Zuletzt überprüft am"), validators=[validate_date_range])
    feedback_email = models.EmailField(
        _("E-Mail-Adresse für Rückmeldungen"),
        blank=True,
        help_text=_(
            "Hierhin gehen Rückmeldungen zu Barrieren. Leer: an alle Personen der "
            "Koordinierungsstelle."
        ),
    )
    conciliation = models.TextField(
        _("Schlichtungsverfahren"),
        max_length=10_000,
        help_text=_("Die zuständige Schlichtungsstelle mit Kontaktdaten."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuletzt geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Erklärung zur Barrierefreiheit")
        verbose_name_plural = _("Erklärungen zur Barrierefreiheit")

    def __str__(self):
        return str(self._meta.verbose_name)


class AccessibilityFeedback(models.Model):
    """A report of a barrier, sent through the feedback form of the accessibility statement.

    Kept so that no report is lost when an e-mail fails; the coordinator deletes it when done.
    """

    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)
    page = models.CharField(_("Betroffene Seite"), max_length=500, blank=True)
    message = models.TextField(_("Beschreibung der Barriere"), max_length=5_000)
    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse für eine Antwort"), blank=True)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Rückmeldung vom {self.created_at:%d.%m.%Y}"
