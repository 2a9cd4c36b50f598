import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel
from core.validators import validate_date_range
from fields_of_action.models import FieldOfAction


class DraftState(models.TextChoices):
    EDITING = "editing", _("in Bearbeitung")
    FROZEN = "frozen", _("eingefroren")
    PUBLISHED = "published", _("dem Kreistag vorgelegt")
    DECIDED = "decided", _("vom Kreistag beschlossen")


class RenderState(models.TextChoices):
    NONE = "none", _("noch nicht erzeugt")
    QUEUED = "queued", _("in der Warteschlange")
    RENDERING = "rendering", _("wird erzeugt")
    READY = "ready", _("fertig")
    FAILED = "failed", _("fehlgeschlagen")


def add_months(day, months):
    """The same day ``months`` later (the last day of the month where it does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in range(day.day, 27, -1):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    return datetime.date(year, month, min(day.day, 28))


# Item 4 of the Kreistag's resolution: a draft within half a year.
DEADLINE_MONTHS = 6


def draft_upload_to(instance, filename):
    return f"entwuerfe/{instance.pk}/{filename}"


class StrategyDraft(TimeStampedModel):
    """One version of the inter-municipal strategy laid before the Kreistag.

    Editable while ``editing``; freezing stores everything the PDF shows in ``snapshot``, so
    later edits of measures change neither the draft nor its PDF.
    """

    title = models.CharField(_("Titel"), max_length=200)
    version_label = models.CharField(
        _("Versionsbezeichnung"),
        max_length=50,
        help_text=_("z. B. „Entwurf 1“ oder „Fortschreibung 2028“."),
    )
    resolution_date = models.DateField(
        _("Datum des Kreistagsbeschlusses"),
        help_text=_("Beschluss, der den Entwurf in Auftrag gibt."),
        validators=[validate_date_range],
    )
    deadline = models.DateField(
        _("Vorlage beim Kreistag bis"),
        blank=True,
        help_text=_("Leer lassen: sechs Monate nach dem Beschluss."),
        validators=[validate_date_range],
    )
    state = models.CharField(
        _("Stand"), max_length=20, choices=DraftState.choices, default=DraftState.EDITING
    )
    introduction = models.TextField(
        _("Sachverhalt und Begründung"),
        blank=True,
        help_text=_("Die Einleitung der Vorlage: Anlass, Vorgehen, Ergebnis."),
    )
    proposed_resolution = models.TextField(
        _("Beschlussvorschlag"),
        blank=True,
        help_text=_(
            "Der Text, den der Kreistag beschließen soll. Leer lassen: der Standardtext nach "
            "dem Auftrag des Kreistags."
        ),
    )
    easy_read_summary = models.TextField(
        _("Zusammenfassung in Leichter Sprache"),
        blank=True,
        help_text=_("Kurze Sätze, eine Aussage je Zeile. Leer lassen: der Standardtext."),
    )
    council_document_number = models.CharField(
        _("Vorlage Nr."),
        max_length=50,
        blank=True,
        help_text=_("Die Nummer der Beschlussvorlage im Ratsinformationssystem, z. B. 2026/123."),
    )
    committee_meeting_date = models.DateField(
        _("Sitzung des Kreisausschusses am"),
        null=True,
        blank=True,
        validators=[validate_date_range],
    )
    council_meeting_date = models.DateField(
        _("Sitzung des Kreistags am"), null=True, blank=True, validators=[validate_date_range]
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("vorherige Version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text=_("Beim Einfrieren gesetzt: Vergleichsgrundlage für die Änderungsübersicht."),
    )
    snapshot = models.JSONField(_("eingefrorener Stand"), null=True, blank=True, editable=False)
    frozen_at = models.DateTimeField(_("eingefroren am"), null=True, blank=True, editable=False)
    render_state = models.CharField(
        _("PDF-Erzeugung"),
        max_length=20,
        choices=RenderState.choices,
        default=RenderState.NONE,
        editable=False,
    )
    render_error = models.TextField(_("Fehler bei der PDF-Erzeugung"), blank=True, editable=False)
    pdf = models.FileField(_("PDF"), upload_to=draft_upload_to, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 des PDF"), max_length=64, blank=True, editable=False)
    pdf_pages = models.PositiveIntegerField(_("Seiten"), null=True, blank=True, editable=False)
    pdf_size = models.PositiveIntegerField(
        _("Größe in Bytes"), null=True, blank=True, editable=False
    )
    rendered_at = models.DateTimeField(_("erzeugt am"), null=True, blank=True, editable=False)
    render_started_at = models.DateTimeField(
        _("Erzeugung begonnen am"), null=True, blank=True, editable=False
    )
    render_heartbeat_at = models.DateTimeField(
        _("letztes Lebenszeichen der Erzeugung"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Schreibt der Hintergrunddienst während der Erzeugung regelmäßig; bleibt es aus, "
            "ist der Dienst ausgefallen und das PDF kann neu erzeugt werden."
        ),
    )
    published_at = models.DateTimeField(
        _("dem Kreistag vorgelegt am"), null=True, blank=True, editable=False
    )
    # Why: presenting e-mails the council members and the bodies once per version
    # (drafts.presenting.send_presented claims the version by setting this).
    presentation_mailed_at = models.DateTimeField(
        _("Vorlage per E-Mail mitgeteilt am"), null=True, blank=True, editable=False
    )
    decision_date = models.DateField(
        _("Beschluss des Kreistags am"), null=True, blank=True, validators=[validate_date_range]
    )
    drucksache_number = models.CharField(_("Drucksachennummer"), max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Strategieentwurf")
        verbose_name_plural = _("Strategieentwürfe")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.version_label})"

    def save(self, *args, **kwargs):
        if not self.deadline and self.resolution_date:
            self.deadline = add_months(self.resolution_date, DEADLINE_MONTHS)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("drafts:detail", kwargs={"pk": self.pk})

    @property
    def is_editable(self):
        return self.state == DraftState.EDITING

    @property
    def is_frozen(self):
        return self.state != DraftState.EDITING

    @property
    def is_public(self):
        return self.state in (DraftState.PUBLISHED, DraftState.DECIDED)

    @property
    def render_is_busy(self):
        """Queued, or rendering with a recent heartbeat (else the worker died: see render_lost)."""
        if self.render_state == RenderState.QUEUED:
            # Waiting for a worker; a message of a dead worker comes back within the visibility
            # timeout, so only after that may the coordinator queue it again.
            limit = datetime.timedelta(seconds=settings.CELERY_VISIBILITY_TIMEOUT)
            return self.updated_at is None or timezone.now() - self.updated_at < limit
        if self.render_state == RenderState.RENDERING:
            return not self.render_lost
        return False

    @property
    def render_lost(self):
        """Rendering, but without a heartbeat for DRAFTS_RENDER_STALE_SECONDS: the worker died."""
        if self.render_state != RenderState.RENDERING:
            return False
        beat = self.render_heartbeat_at or self.render_started_at or self.updated_at
        stale = datetime.timedelta(seconds=settings.DRAFTS_RENDER_STALE_SECONDS)
        return beat is None or timezone.now() - beat >= stale

    @property
    def has_pdf(self):
        return self.render_state == RenderState.READY and bool(self.pdf)

    @property
    def pdf_filename(self):
        label = "".join(c if c.isalnum() else "-" for c in self.version_label).strip("-")
        return f"digitalisierungsstrategie-{label.lower() or self.pk}.pdf"


class FieldIntroduction(TimeStampedModel):
    """The introduction of one field of action in one draft."""

    draft = models.ForeignKey(
        StrategyDraft,
        verbose_name=_("Entwurf"),
        on_delete=models.CASCADE,
        related_name="field_introductions",
    )
    field_of_action = models.ForeignKey(
        FieldOfAction, verbose_name=_("Handlungsfeld"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("Einleitung zum Handlungsfeld"), blank=True)

    class Meta:
        verbose_name = _("Einleitung zu einem Handlungsfeld")
        verbose_name_plural = _("Einleitungen zu Handlungsfeldern")
        ordering = ["field_of_action__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "field_of_action"], name="unique_field_introduction"
            )
        ]

    def __str__(self):
        return f"{self.draft} – {self.field_of_action}"


class Stance(models.TextChoices):
    AGREE = "agree", _("Zustimmung")
    AGREE_WITH_REMARKS = "agree_with_remarks", _("Zustimmung mit Anmerkungen")
    OBJECT = "object", _("Ablehnung")


class Consultation(TimeStampedModel):
    """The Abstimmung of one frozen draft version with the bodies of the district.

    Positions can be changed until the deadline; after it, or once the coordinator closes the
    consultation, they are final. Closing freezes the result in ``result`` (what the PDF's
    annex and the public page show), so a re-rendered PDF stays byte-identical.
    """

    draft = models.OneToOneField(
        StrategyDraft,
        verbose_name=_("Entwurf"),
        on_delete=models.CASCADE,
        related_name="consultation",
    )
    deadline = models.DateField(_("Frist für Stellungnahmen"), validators=[validate_date_range])
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eröffnet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abgeschlossen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.JSONField(_("Ergebnis"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Abstimmung mit den Kommunen")
        verbose_name_plural = _("Abstimmungen mit den Kommunen")

    def __str__(self):
        return f"Abstimmung zu {self.draft}"

    @property
    def is_closed(self):
        return self.closed_at is not None

    @property
    def ended_on(self):
        """The real end: the day it was closed, if before the deadline; else the deadline."""
        if self.closed_at is not None:
            return min(timezone.localdate(self.closed_at), self.deadline)
        return self.deadline

    @property
    def closed_early(self):
        return self.closed_at is not None and self.ended_on < self.deadline

    def accepts_positions(self, today=None):
        today = today or timezone.localdate()
        return not self.is_closed and today <= self.deadline


class EntryKind(models.TextChoices):
    """Who entered a position, seen from the body it is for."""

    OWN = "own", _("von der Kommune selbst")
    ADMINISTRATION = "administration", _("von der Samtgemeinde für ihre Mitgliedsgemeinde")
    COORDINATOR = "coordinator", _("von der Koordinierungsstelle im Auftrag der Kommune")


class SourceKind(models.TextChoices):
    """Where a position entered on a body's behalf comes from (shown with its date)."""

    LETTER = "letter", _("Schreiben vom")
    COUNCIL_DECISION = "council_decision", _("Beschluss des Rates vom")
    EMAIL = "email", _("E-Mail vom")


class Position(TimeStampedModel):
    """One body's Stellungnahme on a draft version.

    ``entered_as`` says who gave it: the body's own editors, its Samtgemeinde's editors, or the
    coordinator on the body's behalf (then with its source). A position the body gave itself is
    never replaced by anyone else (drafts.consultation.submit_position).
    """

    consultation = models.ForeignKey(
        Consultation,
        verbose_name=_("Abstimmung"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    municipality = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    stance = models.CharField(_("Stellungnahme"), max_length=20, choices=Stance.choices)
    text = models.TextField(_("Begründung und Anmerkungen"), max_length=10_000, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abgegeben von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("abgegeben am"))
    entered_as = models.CharField(
        _("eingetragen"), max_length=20, choices=EntryKind.choices, default=EntryKind.OWN
    )
    follows_samtgemeinde = models.BooleanField(
        _("wie die Samtgemeinde"),
        default=False,
        help_text=_(
            "Die Mitgliedsgemeinde schließt sich der Stellungnahme ihrer Samtgemeinde an; "
            "ändert die Samtgemeinde ihre Stellungnahme, ändert sich diese mit."
        ),
    )
    source_kind = models.CharField(
        _("Quelle"), max_length=20, choices=SourceKind.choices, blank=True
    )
    source_date = models.DateField(
        _("Datum der Quelle"), null=True, blank=True, validators=[validate_date_range]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Stellungnahme")
        verbose_name_plural = _("Stellungnahmen")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "municipality"], name="unique_position_per_body"
            )
        ]

    def __str__(self):
        return f"{self.municipality}: {self.get_stance_display()}"

    @property
    def source_label(self):
        """„Schreiben vom 3. Dezember 2026“, or "" without a source."""
        if not self.source_kind or not self.source_date:
            return ""
        return source_label(self.source_kind, self.source_date)

    def entry_note(self):
        """Who entered the position for whom, for the page (no personal names)."""
        return entry_note(
            self.entered_as,
            self.municipality,
            self.municipality.parent if self.municipality.parent_id else None,
            self.source_label,
        )


def source_label(kind, day):
    return f"{SourceKind(kind).label} {formats.date_format(day, 'j. F Y')}"


def entry_note(entered_as, body, administration, source):
    """The sentence the page and the PDF annex show under a position not given by the body
    itself; "" for the body's own."""
    if entered_as == EntryKind.COORDINATOR:
        note = f"eingetragen von der Koordinierungsstelle für {body}"
        return f"{note}, Quelle: {source}" if source else note
    if entered_as == EntryKind.ADMINISTRATION:
        return f"eingetragen von der {administration or 'Samtgemeinde'} für {body}"
    return ""


class MeasureRemark(models.Model):
    """A body's remark on one measure of the consulted version (by its id in the snapshot)."""

    position = models.ForeignKey(
        Position, verbose_name=_("Stellungnahme"), on_delete=models.CASCADE, related_name="remarks"
    )
    measure_id = models.PositiveIntegerField(_("Maßnahme"))
    text = models.TextField(_("Anmerkung"), max_length=2_000)

    class Meta:
        verbose_name = _("Anmerkung zu einer Maßnahme")
        verbose_name_plural = _("Anmerkungen zu Maßnahmen")
        ordering = ["measure_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "measure_id"], name="unique_remark_per_measure"
            )
        ]

    def __str__(self):
        return f"Anmerkung zu Maßnahme {self.measure_id}"


class ConsultationReminder(models.Model):
    """A reminder that went out, so a second beat run on the same day sends none."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("Tage vor der Frist"))
    sent_at = models.DateTimeField(_("gesendet am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Erinnerung zur Abstimmung")
        verbose_name_plural = _("Erinnerungen zur Abstimmung")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "days_before"], name="unique_consultation_reminder"
            )
        ]

    def __str__(self):
        return f"Erinnerung {self.days_before} Tage vor der Frist"


def body_document_upload_to(instance, filename):
    return f"vorlagen/{instance.procedure.draft_id}/{filename}"


class BodyDocumentFile(models.Model):
    """The rendered Beschlussvorlage of one deciding body on one version (drafts.body_rendering).

    Rendered in the background and kept in storage; ``html_sha256`` names the content it was
    rendered from (or is being rendered from), so a change of the procedure or of the
    Abstimmung's result is noticed on the next request and rendered again.
    """

    procedure = models.OneToOneField(
        "drafts.DecisionProcedure",
        verbose_name=_("Beschlussverfahren"),
        on_delete=models.CASCADE,
        related_name="document_file",
    )
    html_sha256 = models.CharField(_("SHA-256 des Inhalts"), max_length=64, blank=True)
    render_state = models.CharField(
        _("PDF-Erzeugung"), max_length=20, choices=RenderState.choices, default=RenderState.NONE
    )
    render_error = models.TextField(_("Fehler bei der PDF-Erzeugung"), blank=True)
    requested_at = models.DateTimeField(_("angefordert am"), null=True, blank=True)
    # Why: the render that started last has read the newest data; an older one that finishes
    # later finds another start time here and throws its file away.
    render_started_at = models.DateTimeField(_("Erzeugung begonnen am"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=body_document_upload_to, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 des PDF"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("Größe in Bytes"), null=True, blank=True)
    pdf_html_sha256 = models.CharField(
        _("SHA-256 des Inhalts der Datei"), max_length=64, blank=True
    )
    rendered_at = models.DateTimeField(_("erzeugt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Beschlussvorlage einer Kommune (PDF)")
        verbose_name_plural = _("Beschlussvorlagen der Kommunen (PDF)")

    def __str__(self):
        return f"Beschlussvorlage {self.procedure_id} ({self.get_render_state_display()})"

    def ready_for(self, html_sha256):
        """The stored file shows exactly this content."""
        return bool(self.pdf) and self.pdf_html_sha256 == html_sha256

    @property
    def render_is_busy(self):
        """Queued or rendering, and not for longer than a render can take (else it was lost)."""
        if self.render_state == RenderState.QUEUED:
            since, limit = self.requested_at, settings.CELERY_VISIBILITY_TIMEOUT
        elif self.render_state == RenderState.RENDERING:
            since, limit = self.render_started_at, settings.DRAFTS_RENDER_STALE_SECONDS
        else:
            return False
        return since is not None and timezone.now() - since < datetime.timedelta(seconds=limit)


# The adoption by the councils (issue 20) lives in its own module; importing it here registers
# its models in this app.
from .adoption_models import (  # noqa: E402, F401
    AdoptionReminder,
    CouncilDecision,
    DecisionProcedure,
    DeliberationStep,
    Outcome,
    StepRole,
)
