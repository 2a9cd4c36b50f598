"""The adoption of a frozen version by every deciding council (issue 20).

Kept apart from ``drafts.models`` (which imports this module at its end, so Django registers
the models in the drafts app): one :class:`DecisionProcedure` per deciding body and version,
its Beratungsfolge as :class:`DeliberationStep` rows, and the councils' decisions as
:class:`CouncilDecision` rows (a Vorlage can be postponed and decided later: several rows).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.validators import validate_date_range


class DecisionProcedure(TimeStampedModel):
    """One body's Beschlussverfahren on one frozen version: its Vorlage and Beratungsfolge."""

    draft = models.ForeignKey(
        "drafts.StrategyDraft",
        verbose_name=_("Entwurf"),
        on_delete=models.CASCADE,
        related_name="decision_procedures",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("beschließende Kommune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_number = models.CharField(
        _("Vorlage Nr."),
        max_length=50,
        blank=True,
        help_text=_("Die Nummer der Vorlage im Ratsinformationssystem der Kommune."),
    )
    proposed_resolution = models.TextField(
        _("Beschlussvorschlag"),
        max_length=5_000,
        blank=True,
        help_text=_("Leer lassen: der Standardtext für diese Art von Kommune."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Beschlussverfahren")
        verbose_name_plural = _("Beschlussverfahren")
        ordering = ["municipality__tree_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "municipality"], name="unique_decision_procedure"
            )
        ]

    def __str__(self):
        return f"Beschlussverfahren {self.municipality} zu {self.draft_id}"

    def get_absolute_url(self):
        return reverse(
            "drafts:procedure", kwargs={"pk": self.draft_id, "slug": self.municipality.slug}
        )


class StepRole(models.TextChoices):
    """OParl Consultation: ``authoritative`` is true for the deciding step."""

    ADVISES = "advises", _("berät vor")
    DECIDES = "decides", _("entscheidet")


class DeliberationStep(models.Model):
    """One step of a Beratungsfolge: the committee or council, its meeting, its role."""

    procedure = models.ForeignKey(
        DecisionProcedure,
        verbose_name=_("Beschlussverfahren"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    committee = models.CharField(
        _("Gremium"),
        max_length=150,
        help_text=_("z. B. Fachausschuss, Kreisausschuss, Samtgemeindeausschuss, Rat."),
    )
    meeting_date = models.DateField(
        _("Sitzung am"), null=True, blank=True, validators=[validate_date_range]
    )
    public = models.BooleanField(_("öffentliche Sitzung"), default=True)
    role = models.CharField(
        _("Aufgabe"), max_length=10, choices=StepRole.choices, default=StepRole.ADVISES
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Schritt der Beratungsfolge")
        verbose_name_plural = _("Beratungsfolge")
        ordering = ["procedure", "position"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="unique_step_position")
        ]

    def __str__(self):
        return f"{self.committee} ({self.get_role_display()})"

    @property
    def decides(self):
        return self.role == StepRole.DECIDES


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("beschlossen")
    ADOPTED_WITH_CHANGES = "adopted_with_changes", _("mit Änderungen beschlossen")
    REJECTED = "rejected", _("abgelehnt")
    POSTPONED = "postponed", _("vertagt")
    NOTED = "noted", _("zur Kenntnis genommen")


# The outcomes that put the strategy in force for the body.
IN_FORCE = (Outcome.ADOPTED, Outcome.ADOPTED_WITH_CHANGES)


def extract_upload_to(instance, filename):
    # Never the name the user chose: the caller passes a generated one.
    return f"beschluesse/{instance.procedure.draft_id}/{filename}"


class CouncilDecision(TimeStampedModel):
    """What a council decided on the body's Vorlage, with the Beschlussauszug as PDF."""

    procedure = models.ForeignKey(
        DecisionProcedure,
        verbose_name=_("Beschlussverfahren"),
        on_delete=models.CASCADE,
        related_name="decisions",
    )
    decided_on = models.DateField(_("Beschluss vom"), validators=[validate_date_range])
    outcome = models.CharField(_("Ergebnis"), max_length=25, choices=Outcome.choices)
    decision_number = models.CharField(
        _("Beschluss- oder Drucksachennummer"), max_length=50, blank=True
    )
    changes = models.TextField(
        _("Änderungen"),
        max_length=10_000,
        blank=True,
        help_text=_("Was der Rat gegenüber der Vorlage geändert hat, in Worten."),
    )
    extract = models.FileField(
        _("Beschlussauszug (PDF)"), upload_to=extract_upload_to, blank=True, editable=False
    )
    extract_sha256 = models.CharField(
        _("SHA-256 des Beschlussauszugs"), max_length=64, blank=True, editable=False
    )
    extract_size = models.PositiveIntegerField(
        _("Größe in Bytes"), null=True, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eingetragen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Ratsbeschluss")
        verbose_name_plural = _("Ratsbeschlüsse")
        ordering = ["procedure", "decided_on", "pk"]

    def __str__(self):
        return f"{self.get_outcome_display()} am {self.decided_on:%d.%m.%Y}"

    @property
    def in_force(self):
        return self.outcome in IN_FORCE


class AdoptionReminder(models.Model):
    """A reminder of a meeting of the Beratungsfolge that went out, so that a second beat run
    sends none; a moved meeting is reminded again for its new date."""

    step = models.ForeignKey(DeliberationStep, on_delete=models.CASCADE, related_name="reminders")
    meeting_date = models.DateField(_("Sitzung am"))
    sent_at = models.DateTimeField(_("gesendet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Erinnerung an eine Sitzung der Beratungsfolge")
        verbose_name_plural = _("Erinnerungen an Sitzungen der Beratungsfolge")
        constraints = [
            models.UniqueConstraint(
                fields=["step", "meeting_date"], name="unique_adoption_reminder"
            )
        ]

    def __str__(self):
        return f"Erinnerung an {self.step} am {self.meeting_date}"
