from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.validators import validate_date_range
from measures.models import AnswerSource, Measure, Status, on_behalf_text

from .periods import Frequency, format_period
from .plausibility import default_range
from .status import IndicatorStatus, StatusResult


class IndicatorKind(models.TextChoices):
    OUTPUT = "output", _("Leistung (Output)")
    EFFECT = "effect", _("Wirkung (Outcome)")


class Direction(models.TextChoices):
    INCREASE = "increase", _("höher ist besser")
    DECREASE = "decrease", _("niedriger ist besser")


class SourceKind(models.TextChoices):
    MANUAL = "manual", _("manuelle Eingabe")
    PORTAL = "portal", _("aus Daten des Portals")
    CSV_URL = "csv_url", _("CSV-Datei (HTTP)")
    JSON_URL = "json_url", _("JSON-Datei (HTTP)")
    GENESIS = "genesis", _("Regionalstatistik (GENESIS)")


class IndicatorQuerySet(models.QuerySet):
    def with_latest(self):
        """Annotate ``latest_period`` and ``latest_value`` (one query for any number of rows)."""
        latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-period")
        return self.annotate(
            latest_period=Subquery(latest.values("period")[:1]),
            latest_value=Subquery(latest.values("value")[:1]),
            first_period=Subquery(
                Measurement.objects.filter(indicator=OuterRef("pk"))
                .order_by("period")
                .values("period")[:1]
            ),
            first_value=Subquery(
                Measurement.objects.filter(indicator=OuterRef("pk"))
                .order_by("period")
                .values("value")[:1]
            ),
        )

    def automatic(self):
        return self.exclude(source_kind=SourceKind.MANUAL)

    def due_for_gathering(self, now=None):
        """Automatic indicators not tried within ``EVALUATION_GATHER_MIN_INTERVAL_HOURS``."""
        now = now or timezone.now()
        cutoff = now - timezone.timedelta(hours=settings.EVALUATION_GATHER_MIN_INTERVAL_HOURS)
        return (
            self.automatic()
            .exclude(measure__status=Status.DROPPED)
            .filter(models.Q(last_attempt_at__isnull=True) | models.Q(last_attempt_at__lte=cutoff))
        )


class Indicator(TimeStampedModel):
    """A measurable sign of whether a measure delivers (output) or works (effect)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("Bezeichnung"), max_length=200)
    description = models.TextField(
        _("Was zeigt der Indikator?"),
        blank=True,
        help_text=_("Kurz erklären, was der Wert aussagt und wie er entsteht."),
    )
    unit = models.CharField(_("Einheit"), max_length=50, help_text=_("z. B. %, Anzahl, Tage"))
    kind = models.CharField(
        _("Art"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.EFFECT
    )
    direction = models.CharField(
        _("Richtung"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("Ausgangswert"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(
        _("Stichtag des Ausgangswerts"), null=True, blank=True, validators=[validate_date_range]
    )
    target_value = models.DecimalField(_("Zielwert"), max_digits=20, decimal_places=4)
    target_date = models.DateField(_("Zieldatum"), validators=[validate_date_range])
    frequency = models.CharField(
        _("Erhebungsrhythmus"), max_length=10, choices=Frequency.choices, default=Frequency.YEARLY
    )
    source_kind = models.CharField(
        _("Datenquelle"), max_length=10, choices=SourceKind.choices, default=SourceKind.MANUAL
    )
    source_url = models.URLField(
        _("Adresse der Datenquelle"),
        max_length=500,
        blank=True,
        help_text=_("Für CSV, JSON und GENESIS: die Adresse (http/https)."),
    )
    # Why: each source kind needs one or two settings of its own (JSON path, GENESIS table,
    # portal metric); a small dict keeps the indicator table free of kind-specific columns.
    source_options = models.JSONField(_("Einstellungen der Datenquelle"), default=dict, blank=True)
    source_note = models.CharField(
        _("Quelle (Angabe für Leserinnen und Leser)"),
        max_length=300,
        blank=True,
        help_text=_("z. B. „Regionalstatistik, Tabelle 12411-01-01-5“ oder „eigene Zählung“."),
    )
    # Why: a typing slip (-999.999 %, a value in the wrong unit) must not silently replace a
    # real value; empty bounds fall back to defaults by unit (see plausible_range()).
    plausible_min = models.DecimalField(
        _("kleinster plausibler Wert"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Leer: bei % 0, bei Anzahl, Tagen und Euro 0, sonst keine Untergrenze."),
    )
    plausible_max = models.DecimalField(
        _("größter plausibler Wert"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Leer: bei % 100, sonst keine Obergrenze."),
    )
    last_attempt_at = models.DateTimeField(_("letzter Abrufversuch"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("letzter erfolgreicher Abruf"), null=True, blank=True)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    last_error_at = models.DateTimeField(_("Zeitpunkt des letzten Fehlers"), null=True, blank=True)
    # The status (evaluation.status) as last computed, so that dashboards count it in SQL.
    # Written by evaluation.stored_status in the transaction of every write that changes it
    # (a value, the baseline or target) and nightly for the passage of time.
    stored_status = models.CharField(
        _("Status"),
        max_length=10,
        choices=IndicatorStatus.choices,
        default=IndicatorStatus.NO_DATA,
        editable=False,
    )
    stored_expected = models.DecimalField(
        _("erwarteter Fortschritt"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
    )
    stored_actual = models.DecimalField(
        _("tatsächlicher Fortschritt"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        editable=False,
    )
    status_computed_on = models.DateField(
        _("Status berechnet am"), null=True, blank=True, editable=False
    )

    # The texts of the measure's published version (evaluation.published writes them on
    # publication): the public reads these, never text typed after the coordinator's review.
    # public_since empty: not in a published version yet, so nothing of it is public.
    public_since = models.DateTimeField(_("öffentlich seit"), null=True, blank=True, editable=False)
    public_name = models.CharField(
        _("veröffentlichte Bezeichnung"), max_length=200, blank=True, editable=False
    )
    public_description = models.TextField(
        _("veröffentlichte Erläuterung"), blank=True, editable=False
    )
    public_unit = models.CharField(
        _("veröffentlichte Einheit"), max_length=50, blank=True, editable=False
    )
    public_source_note = models.CharField(
        _("veröffentlichte Quellenangabe"), max_length=300, blank=True, editable=False
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["measure_id", "name", "pk"]
        indexes = [models.Index(fields=["measure", "stored_status"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("evaluation:indicator_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.baseline_value is not None and self.target_value is not None:
            if self.direction == Direction.INCREASE and self.target_value < self.baseline_value:
                errors["target_value"] = _(
                    "Wenn höher besser ist, darf der Zielwert nicht unter dem Ausgangswert liegen."
                )
            if self.direction == Direction.DECREASE and self.target_value > self.baseline_value:
                errors["target_value"] = _(
                    "Wenn niedriger besser ist, darf der Zielwert nicht über dem Ausgangswert "
                    "liegen."
                )
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            errors["target_date"] = _(
                "Das Zieldatum muss nach dem Stichtag des Ausgangswerts liegen."
            )
        if self.source_kind in (SourceKind.CSV_URL, SourceKind.JSON_URL) and not self.source_url:
            errors["source_url"] = _("Für diese Datenquelle wird eine Adresse benötigt.")
        if self.source_url and not self.source_url.lower().startswith(("http://", "https://")):
            errors["source_url"] = _("Nur http- und https-Adressen sind erlaubt.")
        if errors:
            raise ValidationError(errors)

    @property
    def stored_result(self):
        """The stored status as a StatusResult (what ``compute_status`` returned last)."""
        return StatusResult(self.stored_status, self.stored_expected, self.stored_actual)

    @property
    def is_manual(self):
        return self.source_kind == SourceKind.MANUAL

    def plausible_range(self):
        """``(lowest, highest)`` a value may have; ``None`` is no bound. Defaults by unit."""
        low, high = default_range(self.unit)
        return (
            self.plausible_min if self.plausible_min is not None else low,
            self.plausible_max if self.plausible_max is not None else high,
        )


class Origin(models.TextChoices):
    MANUAL = "manual", _("manuell erfasst")
    ROUND = "round", _("Datenerhebungsrunde")
    IMPORT = "import", _("CSV-Import")
    GATHERED = "gathered", _("automatisch abgerufen")
    API = "api", _("über die Schnittstelle (API) übermittelt")


class Measurement(TimeStampedModel):
    """One value of an indicator for one period (unique per indicator and period)."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("Indikator"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period = models.DateField(
        _("Zeitraum"),
        help_text=_("Erster Tag des Monats, Quartals oder Jahres."),
        validators=[validate_date_range],
    )
    value = models.DecimalField(_("Wert"), max_digits=20, decimal_places=4)
    origin = models.CharField(_("Herkunft"), max_length=10, choices=Origin.choices)
    recorded_at = models.DateTimeField(_("erfasst am"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("Notiz"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Messwert")
        verbose_name_plural = _("Messwerte")
        ordering = ["indicator_id", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="unique_measurement_per_period"
            )
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.period:%Y-%m-%d})"

    @property
    def period_label(self):
        return format_period(self.period, self.indicator.frequency)


class MeasurementCorrection(models.Model):
    """The value a period had before it was corrected or deleted: who, when, from what to what.

    Append-only. Kept by indicator and period (not by the measurement row), so the record of a
    deleted value survives the deletion.
    """

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("Indikator"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    period = models.DateField(_("Zeitraum"))
    old_value = models.DecimalField(_("bisheriger Wert"), max_digits=20, decimal_places=4)
    new_value = models.DecimalField(
        _("neuer Wert"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Leer: Der Wert wurde gelöscht."),
    )
    old_origin = models.CharField(_("bisherige Herkunft"), max_length=10, choices=Origin.choices)
    origin = models.CharField(_("Herkunft der Korrektur"), max_length=10, choices=Origin.choices)
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("Begründung"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("Korrektur eines Messwerts")
        verbose_name_plural = _("Korrekturen von Messwerten")
        ordering = ["indicator_id", "-changed_at", "-pk"]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self):
        return f"{self.indicator_id} {self.period:%Y-%m-%d}: {self.old_value} -> {self.new_value}"

    @property
    def period_label(self):
        return format_period(self.period, self.indicator.frequency)


class RoundNotice(models.TextChoices):
    OPENED = "opened", _("Eröffnung der Runde")
    FIRST_REMINDER = "first", _("Erinnerung eine Woche vor der Frist")
    LAST_REMINDER = "last", _("Erinnerung am Tag vor der Frist")


class RoundNotification(models.Model):
    """One e-mail notice of a round (opening, a week and a day before the deadline), sent once.

    ``recipients`` 0 with a later notice: covered by an earlier one (a round opened five days
    before its deadline gets no separate one-week reminder).
    """

    collection_round = models.ForeignKey(
        "CollectionRound",
        verbose_name=_("Runde"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    notice = models.CharField(_("Anlass"), max_length=10, choices=RoundNotice.choices)
    sent_at = models.DateTimeField(_("versandt am"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("E-Mails"), default=0)

    class Meta:
        verbose_name = _("Benachrichtigung zu einer Runde")
        verbose_name_plural = _("Benachrichtigungen zu Runden")
        ordering = ["collection_round_id", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection_round", "notice"], name="unique_notice_per_round"
            )
        ]

    def __str__(self):
        return f"{self.collection_round_id}: {self.get_notice_display()}"


class RunTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Zeitplan")
    MANUAL = "manual", _("von Hand ausgelöst")
    COMMAND = "command", _("Verwaltungsbefehl")


class CollectionRun(TimeStampedModel):
    """The log of one gathering run over one or all due indicators."""

    trigger = models.CharField(_("Anlass"), max_length=10, choices=RunTrigger.choices)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ausgelöst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("begonnen"), default=timezone.now)
    finished_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    indicators_total = models.PositiveIntegerField(_("Indikatoren"), default=0)
    indicators_ok = models.PositiveIntegerField(_("erfolgreich"), default=0)
    indicators_failed = models.PositiveIntegerField(_("fehlgeschlagen"), default=0)
    values_created = models.PositiveIntegerField(_("neue Werte"), default=0)
    values_updated = models.PositiveIntegerField(_("geänderte Werte"), default=0)

    class Meta:
        verbose_name = _("Abruflauf")
        verbose_name_plural = _("Abrufläufe")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.get_trigger_display()} {self.started_at:%d.%m.%Y %H:%M}"

    @property
    def is_finished(self):
        return self.finished_at is not None

    @property
    def indicators_removed(self):
        """Indicators of the run deleted before their result: the rest of the total."""
        return max(self.indicators_total - self.indicators_ok - self.indicators_failed, 0)


class CollectionResult(models.Model):
    """What one indicator yielded in one run; unique so that a re-run task overwrites it.

    Created ``pending`` (no ``finished_at``) for every indicator when the run starts; the run
    is finished once no result is pending, so every indicator is accounted for.
    """

    run = models.ForeignKey(
        CollectionRun, verbose_name=_("Lauf"), on_delete=models.CASCADE, related_name="results"
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("Indikator"),
        on_delete=models.CASCADE,
        related_name="collection_results",
    )
    ok = models.BooleanField(_("erfolgreich"), default=False)
    values_created = models.PositiveIntegerField(_("neue Werte"), default=0)
    values_updated = models.PositiveIntegerField(_("geänderte Werte"), default=0)
    error = models.TextField(_("Fehler"), blank=True)
    finished_at = models.DateTimeField(
        _("beendet"), null=True, blank=True, help_text=_("Leer: Das Ergebnis steht noch aus.")
    )

    class Meta:
        verbose_name = _("Abrufergebnis")
        verbose_name_plural = _("Abrufergebnisse")
        ordering = ["run_id", "indicator_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "indicator"], name="unique_result_per_run")
        ]

    def __str__(self):
        return f"{self.indicator_id} in {self.run_id}"


class Verdict(models.TextChoices):
    ACHIEVED = "achieved", _("Wirkung erreicht")
    PARTLY = "partly", _("teilweise erreicht")
    NOT_ACHIEVED = "not_achieved", _("nicht erreicht")
    TOO_EARLY = "too_early", _("zu früh für eine Aussage")


class Assessment(TimeStampedModel):
    """A dated judgement whether a measure achieves its intended effect (append-only)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(
        _("Bewertet am"), default=timezone.localdate, validators=[validate_date_range]
    )
    verdict = models.CharField(_("Ergebnis"), max_length=20, choices=Verdict.choices)
    justification = models.TextField(
        _("Begründung"),
        help_text=_("Worauf stützt sich die Bewertung? Indikatoren, Rückmeldungen, Erfahrungen."),
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bewertet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # As for indicators: the justification of the measure's published version; public_since
    # empty: not published yet (evaluation.published).
    public_since = models.DateTimeField(_("öffentlich seit"), null=True, blank=True, editable=False)
    public_justification = models.TextField(
        _("veröffentlichte Begründung"), blank=True, editable=False
    )

    class Meta:
        verbose_name = _("Bewertung")
        verbose_name_plural = _("Bewertungen")
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["measure", "-assessed_on"])]

    def __str__(self):
        return f"{self.measure} – {self.get_verdict_display()} ({self.assessed_on:%d.%m.%Y})"


class CollectionRound(TimeStampedModel):
    """A data-collection round: every body enters its manual values for one period by a deadline."""

    title = models.CharField(_("Bezeichnung"), max_length=200)
    period = models.DateField(
        _("Stichtag der Werte"),
        help_text=_("Ein Tag im Zeitraum, für den Werte erhoben werden, z. B. 31.12.2026."),
        validators=[validate_date_range],
    )
    deadline = models.DateField(_("Frist"), validators=[validate_date_range])
    message = models.TextField(_("Hinweis an die Kommunen"), blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eröffnet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("Erinnerung versandt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Datenerhebungsrunde")
        verbose_name_plural = _("Datenerhebungsrunden")
        ordering = ["-deadline", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluation:round_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self):
        return self.closed_at is None


class ProgressNote(TimeStampedModel):
    """A dated Sachstand of a measure: where it stands, in the words of its lead body.

    Written by the editors who answer for the lead body (municipalities.acting), never changed
    afterwards: a later note tells the later state, so a report can quote what was known when.
    """

    # Long enough for a page of text; a council document quotes it, a novel it is not.
    TEXT_MAX_LENGTH = 5000

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="progress_notes"
    )
    noted_on = models.DateField(
        _("Stand vom"), default=timezone.localdate, validators=[validate_date_range]
    )
    status = models.CharField(
        _("Umsetzungsstand an diesem Tag"), max_length=20, choices=Status.choices
    )
    percent_done = models.PositiveSmallIntegerField(
        _("Fortschritt in Prozent"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("Freiwillig: wie viel der Maßnahme ist umgesetzt (0 bis 100)?"),
    )
    text = models.TextField(
        _("Sachstand"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_(
            "Was ist seit dem letzten Sachstand geschehen, was steht als Nächstes an? Der "
            "Sachstand einer veröffentlichten Maßnahme steht im Sachstandsbericht, der dem "
            "Kreistag vorgelegt und veröffentlicht wird: bitte keine Namen von Personen."
        ),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Why: the coordinator may write a body's Sachstand on its behalf only with the source it
    # relies on (as for answers to partnership requests); both set means "on behalf".
    on_behalf_source = models.CharField(
        _("Quelle des Sachstands"), max_length=20, choices=AnswerSource.choices, blank=True
    )
    on_behalf_date = models.DateField(
        _("Datum der Quelle"), null=True, blank=True, validators=[validate_date_range]
    )

    class Meta:
        verbose_name = _("Sachstand")
        verbose_name_plural = _("Sachstände")
        ordering = ["-noted_on", "-pk"]
        indexes = [models.Index(fields=["measure", "-noted_on"])]

    def __str__(self):
        return f"{self.measure_id} – Sachstand vom {self.noted_on:%d.%m.%Y}"

    @property
    def on_behalf_text(self):
        """ "eingetragen von der Koordinierungsstelle auf Grund: Schreiben vom 3. Dezember
        2026"; empty when the body wrote it itself."""
        return on_behalf_text(self.on_behalf_source, self.on_behalf_date)


class IndicatorStatusChange(models.Model):
    """One change of an indicator's stored status (evaluation.stored_status writes it with the
    status, nightly runs included); append-only. "Status as of a day" is the newest change up
    to that day (evaluation.status_history), one SQL query for any number of indicators."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("Indikator"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    changed_on = models.DateField(_("Status seit"))
    old_status = models.CharField(
        _("vorheriger Status"), max_length=10, choices=IndicatorStatus.choices, blank=True
    )
    new_status = models.CharField(_("neuer Status"), max_length=10, choices=IndicatorStatus.choices)

    class Meta:
        verbose_name = _("Änderung des Indikatorstatus")
        verbose_name_plural = _("Änderungen des Indikatorstatus")
        ordering = ["indicator_id", "changed_on", "pk"]
        indexes = [models.Index(fields=["indicator", "changed_on"], name="indicator_status_on_idx")]

    def __str__(self):
        return f"{self.indicator_id}: {self.old_status or '–'} → {self.new_status}"


def _year_start():
    return timezone.localdate().replace(month=1, day=1)


def _year_end():
    return timezone.localdate().replace(month=12, day=31)


class ReportingRound(TimeStampedModel):
    """A Berichtsrunde: every body that leads active measures is asked for a Sachstand per
    measure and its missing values, for a period (by default the calendar year), by a deadline.
    The Sachstandsbericht to the Kreistag is built from what the round gathered."""

    title = models.CharField(_("Bezeichnung"), max_length=200)
    period_start = models.DateField(
        _("Berichtszeitraum von"), default=_year_start, validators=[validate_date_range]
    )
    period_end = models.DateField(
        _("Berichtszeitraum bis"), default=_year_end, validators=[validate_date_range]
    )
    deadline = models.DateField(_("Frist"), validators=[validate_date_range])
    message = models.TextField(_("Hinweis an die Kommunen"), blank=True, max_length=2000)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eröffnet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Berichtsrunde")
        verbose_name_plural = _("Berichtsrunden")
        ordering = ["-deadline", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("evaluation:reporting_round_detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": _("Der Berichtszeitraum endet vor seinem Beginn.")}
            )

    @property
    def is_open(self):
        return self.closed_at is None


class ReportingRoundNotice(models.Model):
    """One e-mail notice of a Berichtsrunde (opening, a week and a day before the deadline),
    sent once (the unique constraint claims it, also in races)."""

    reporting_round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("Berichtsrunde"),
        on_delete=models.CASCADE,
        related_name="notices",
    )
    notice = models.CharField(_("Anlass"), max_length=10, choices=RoundNotice.choices)
    sent_at = models.DateTimeField(_("versandt am"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("E-Mails"), default=0)

    class Meta:
        verbose_name = _("Benachrichtigung zu einer Berichtsrunde")
        verbose_name_plural = _("Benachrichtigungen zu Berichtsrunden")
        ordering = ["reporting_round_id", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporting_round", "notice"], name="unique_notice_per_reporting_round"
            )
        ]

    def __str__(self):
        return f"{self.reporting_round_id}: {self.get_notice_display()}"


def report_upload_to(instance, filename):
    return f"berichte/{instance.pk}/{filename}"


class ProgressReport(TimeStampedModel):
    """A Sachstandsbericht: frozen when built (``snapshot`` holds everything it prints), then
    rendered to a tagged PDF; rendering the same report again gives the same bytes."""

    title = models.CharField(_("Titel"), max_length=200)
    body = models.ForeignKey(
        "municipalities.Municipality",
        verbose_name=_("Kommune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leer: der Bericht des Landkreises über alle Maßnahmen."),
    )
    period_start = models.DateField(_("Berichtszeitraum von"), validators=[validate_date_range])
    period_end = models.DateField(_("Berichtszeitraum bis"), validators=[validate_date_range])
    previous = models.ForeignKey(
        "self",
        verbose_name=_("vorheriger Bericht"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    frozen_at = models.DateTimeField(_("eingefroren am"), default=timezone.now, editable=False)
    snapshot = models.JSONField(_("Inhalt"), default=dict, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pdf = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 des PDF"), max_length=64, blank=True, editable=False)
    pdf_pages = models.PositiveIntegerField(_("Seiten"), null=True, blank=True, editable=False)
    # Presented "zur Kenntnisnahme" to the council of the body it covers, the district's to the
    # Kreistag (evaluation.report_presenting): from then on the report and its PDF are public.
    presented_at = models.DateTimeField(
        _("zur Kenntnisnahme vorgelegt am"), null=True, blank=True, editable=False
    )
    presented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vorgelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Set when the e-mails about the presentation are claimed for sending: they go out once.
    presentation_mailed_at = models.DateTimeField(
        _("Benachrichtigung verschickt am"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("Sachstandsbericht")
        verbose_name_plural = _("Sachstandsberichte")
        ordering = ["-period_end", "-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError(
                {"period_end": _("Der Berichtszeitraum endet vor seinem Beginn.")}
            )

    @property
    def is_presented(self):
        return self.presented_at is not None

    @property
    def scope_label(self):
        """Whose measures it covers, the body named with its kind."""
        if self.body_id is None:
            return "Landkreis (alle Maßnahmen)"
        return self.body.label_with_kind

    @property
    def council_label(self):
        """The council it is presented to, fit to follow "dem": the Kreistag for the
        district's report, else the body's own ("Samtgemeinderat der Samtgemeinde Gartow")."""
        if self.body_id is None:
            return "Kreistag"
        return self.body.council_label
