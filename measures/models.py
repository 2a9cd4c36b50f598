from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, DecimalField, Q, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.history import HistoricalRecordsWithLightM2M
from core.models import TimeStampedModel
from core.validators import validate_date_range
from fields_of_action.models import FieldOfAction, Goal
from municipalities.models import Municipality


class Status(models.TextChoices):
    IDEA = "idea", _("Idee")
    PLANNED = "planned", _("geplant")
    IN_PROGRESS = "in_progress", _("in Umsetzung")
    COMPLETED = "completed", _("abgeschlossen")
    PAUSED = "paused", _("pausiert")
    DROPPED = "dropped", _("verworfen")


class Priority(models.TextChoices):
    HIGH = "high", _("hoch")
    MEDIUM = "medium", _("mittel")
    LOW = "low", _("niedrig")


leika_validator = RegexValidator(
    r"^\d{14}$",
    _("Der LeiKa-Schlüssel besteht aus genau 14 Ziffern, z. B. 99050012104000."),
)


# Money: cents exact, in Decimal. One amount of one year stays below a trillion euros (a typing
# error long before that); a total over all years of the plan fits TOTAL_DIGITS.
MONEY_DIGITS = 14
TOTAL_DIGITS = 17
MAX_AMOUNT = Decimal("999999999999.99")
FIRST_BUDGET_YEAR = 2000
LAST_BUDGET_YEAR = 2100
MAX_FTE = Decimal("999.99")


class TaskKind(models.TextChoices):
    MANDATORY = "mandatory", _("Pflichtaufgabe")
    VOLUNTARY = "voluntary", _("freiwillige Leistung")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("eingereicht")
    ACCEPTED = "accepted", _("angenommen")
    CHANGES_REQUESTED = "changes_requested", _("Änderungen erbeten")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class PartnershipState(models.TextChoices):
    REQUESTED = "requested", _("angefragt")
    CONFIRMED = "confirmed", _("bestätigt")
    DECLINED = "declined", _("abgelehnt")


class AnswerSource(models.TextChoices):
    """What the coordinator relies on when recording a body's answer on its behalf."""

    LETTER = "letter", _("Schreiben vom")
    COUNCIL_DECISION = "council_decision", _("Beschluss des Rates vom")
    EMAIL = "email", _("E-Mail vom")


#: Appended to a partner's name in short lists where its consent was recorded on its behalf.
ON_BEHALF_MARK = " (Zustimmung im Auftrag)"

CONFIRMED_PARTNER = Q(partnerships__state=PartnershipState.CONFIRMED)


class MeasureQuerySet(models.QuerySet):
    def with_related(self):
        """Everything list and detail pages show, in a constant number of queries."""
        return self.select_related(
            "lead_municipality",
            "lead_municipality__parent",
            "field_of_action",
            "public_lead",
            "public_field",
        ).prefetch_related("partnerships__municipality", "goals")

    def with_money(self):
        """Cost plan and funding (with programmes), for snapshots of many measures: two
        queries more, whatever the number of measures."""
        return self.prefetch_related(
            "cost_plan",
            models.Prefetch("funding", queryset=FundingEntry.objects.select_related("programme")),
        )

    def search(self, text, public=False):
        """Every word in title, summary, description or LeiKa key.

        ``public``: search the published version (public_snapshot), so that the public
        cannot probe unreviewed wording.
        """
        text = (text or "").strip()
        if not text:
            return self
        prefix = "public_snapshot__" if public else ""
        query = Q()
        for word in text.split():
            query &= (
                Q(**{f"{prefix}title__icontains": word})
                | Q(**{f"{prefix}summary__icontains": word})
                | Q(**{f"{prefix}description__icontains": word})
                | Q(**{f"{prefix}leika_key__startswith": word})
            )
        return self.filter(query)

    def concerning(self, municipality, public=False):
        """What a body's dashboards show, each measure once: for the district everything;
        otherwise what the body (and, for a Samtgemeinde, its members) leads or takes part in.

        ``public``: lead and partners as published (see :meth:`published_values`). Only
        confirmed partnerships count: a body named as partner without its consent does not see
        the measure on its dashboards (a published version holds confirmed partners only).
        Withdrawn measures count nowhere.
        """
        scope = self.exclude(review_state=ReviewState.WITHDRAWN)
        if municipality is None or municipality.is_district:
            return scope
        lead, partner = _lead_and_partner_paths(public)
        confirmed = Q() if public else CONFIRMED_PARTNER
        matching = scope.filter(
            Q(**{lead: municipality})
            | Q(**{f"{lead}__parent": municipality})
            | (confirmed & Q(**{partner: municipality}))
            | (confirmed & Q(**{f"{partner}__parent": municipality}))
        )
        return self.filter(pk__in=matching.values("pk"))

    def led_by_or_partnered(self, municipality, public=False):
        """Measures a municipality leads or takes part in as a confirmed partner
        (``public``: as published)."""
        lead, partner = _lead_and_partner_paths(public)
        confirmed = Q() if public else CONFIRMED_PARTNER
        matching = self.filter(
            Q(**{lead: municipality}) | (confirmed & Q(**{partner: municipality}))
        )
        return self.filter(pk__in=matching.values("pk"))

    def published_values(self):
        """Annotate the published status, title, dates and budget (``published_*``) in SQL.

        The published version is ``public_snapshot`` (JSON) plus the columns ``public_lead``,
        ``public_field``, ``public_partners`` and ``public_changed_at``, written together by
        ``measures.publication``. Public filters, sorts and counts use only these.
        """
        return self.annotate(
            published_title=_published_text("title"),
            published_status=_published_text("status"),
            published_start=_published_text("planned_start"),
            published_end=_published_text("planned_end"),
            published_budget=Cast(
                KeyTextTransform("budget_planned", "public_snapshot"),
                DecimalField(max_digits=14, decimal_places=2),
            ),
        )

    def in_latest_presentation(self, presentation):
        """The measures of the version last laid before the Kreistag (its
        measures.publication.Presentation); none without one. Only for the latest: a measure
        of an earlier Vorlage that is in the latest, too, carries the latest's time."""
        if presentation is None or presentation.presented_at is None:
            return self.none()
        return self.filter(public_presented_at__gte=presentation.presented_at)

    def status_counts(self, public=False):
        """{status: count} in one query (``public``: the published status)."""
        if public:
            rows = (
                self.published_values()
                .order_by()
                .values("published_status")
                .annotate(n=Count("pk"))
            )
            return {row["published_status"]: row["n"] for row in rows}
        rows = self.order_by().values("status").annotate(n=Count("pk"))
        return {row["status"]: row["n"] for row in rows}


def _published_text(key):
    # Why Cast: lookups on a bare KeyTextTransform annotation compare against JSON on SQLite.
    return Cast(KeyTextTransform(key, "public_snapshot"), TextField())


def _lead_and_partner_paths(public):
    if public:
        return "public_lead", "public_partners"
    return "lead_municipality", "partnerships__municipality"


class Measure(TimeStampedModel):
    """A measure (Maßnahme) of the strategy, led by one municipality, possibly joint."""

    lead_municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("federführende Kommune"),
        on_delete=models.PROTECT,
        related_name="led_measures",
    )
    partners = models.ManyToManyField(
        Municipality,
        verbose_name=_("beteiligte Kommunen"),
        through="Partnership",
        through_fields=("measure", "municipality"),
        related_name="partner_measures",
        blank=True,
    )
    field_of_action = models.ForeignKey(
        FieldOfAction,
        verbose_name=_("Handlungsfeld"),
        on_delete=models.PROTECT,
        related_name="measures",
    )
    goals = models.ManyToManyField(
        Goal,
        verbose_name=_("Ziele"),
        related_name="measures",
        blank=True,
        help_text=_("Nur Ziele des gewählten Handlungsfelds."),
    )
    title = models.CharField(_("Titel"), max_length=200)
    summary = models.CharField(
        _("Kurzbeschreibung"),
        max_length=500,
        help_text=_("Ein bis zwei Sätze, die in Listen und im Entwurf erscheinen."),
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    for_citizens = models.BooleanField(_("Bürgerinnen und Bürger"), default=False)
    for_businesses = models.BooleanField(_("Unternehmen"), default=False)
    for_administration = models.BooleanField(_("Verwaltung"), default=False)
    status = models.CharField(
        _("Umsetzungsstand"), max_length=20, choices=Status.choices, default=Status.IDEA
    )
    priority = models.CharField(
        _("Priorität"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    # Month precision: always stored as the first day of the month.
    planned_start = models.DateField(
        _("geplanter Beginn"), null=True, blank=True, validators=[validate_date_range]
    )
    planned_end = models.DateField(
        _("geplantes Ende"), null=True, blank=True, validators=[validate_date_range]
    )
    # Why: the totals of the cost plan (CostPlanYear: investment and running costs, planned
    # and actual, over all years), written with it by measures.costs.store_totals, so that
    # lists sort and sum in SQL. Never entered on their own.
    budget_planned = models.DecimalField(
        _("geplantes Budget (EUR)"),
        max_digits=TOTAL_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    budget_spent = models.DecimalField(
        _("verausgabt (EUR)"),
        max_digits=TOTAL_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    # Why: under a Haushaltssicherungskonzept a council weighs a voluntary service against its
    # deficit, a mandatory task only by its cost; empty until the body has said which it is.
    task_kind = models.CharField(
        _("Pflichtaufgabe oder freiwillige Leistung"),
        max_length=20,
        choices=TaskKind.choices,
        blank=True,
    )
    budget_product = models.CharField(
        _("Produkt / Kostenstelle"),
        max_length=100,
        blank=True,
        help_text=_("Schlüssel im Haushalt der Kommune, z. B. „11.1.01 Digitalisierung“."),
    )
    funding_source = models.CharField(
        _("Finanzierung"),
        max_length=200,
        blank=True,
        help_text=_("z. B. Haushalt, Förderprogramm (Name), Landesmittel"),
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_role = models.CharField(
        _("Funktion der Ansprechperson"),
        max_length=200,
        blank=True,
        help_text=_("Öffentlich sichtbar, z. B. „Fachdienst Digitalisierung“; der Name nicht."),
    )
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    leika_key = models.CharField(
        _("OZG-Leistung (LeiKa-Schlüssel)"),
        max_length=14,
        blank=True,
        validators=[leika_validator],
        help_text=_("Optional: 14-stelliger Schlüssel des Leistungskatalogs."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("angelegt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Why: optimistic locking. Every save increments it; a form posts the version it was
    # loaded with, and a save from a stale version is refused instead of overwriting.
    version = models.PositiveIntegerField(_("Version"), default=1, editable=False)
    is_demo = models.BooleanField(
        _("Demo-Inhalt"), default=False, editable=False, help_text=_("Von seed_demo angelegt.")
    )
    # Set when the measure was withdrawn because its body joined another, joint measure.
    joined_into = models.ForeignKey(
        "self",
        verbose_name=_("aufgegangen in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="joined_measures",
    )

    review_state = models.CharField(
        _("Prüfstatus"),
        max_length=20,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
    )
    # Why: drafts use the accepted version until a changed measure is accepted again
    # (see measures/review.py); JSON of measure_snapshot(), without personal data.
    accepted_snapshot = models.JSONField(
        _("angenommene Fassung"), null=True, blank=True, editable=False
    )
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True, editable=False)
    # Set by the drafts app when a published draft contains the measure: the public may read it,
    # in the version of the latest published draft (measure_snapshot(), no personal data).
    public_since = models.DateTimeField(_("öffentlich seit"), null=True, blank=True, editable=False)
    public_snapshot = models.JSONField(
        _("veröffentlichte Fassung"), null=True, blank=True, editable=False
    )
    # Why: the published lead, field, partners and time of the last published change as
    # columns (written with public_snapshot by measures.publication), so that the public's
    # filters, sorts and counts run in SQL on the published version, never on unreviewed edits.
    public_lead = models.ForeignKey(
        Municipality,
        verbose_name=_("federführende Kommune (veröffentlicht)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    public_field = models.ForeignKey(
        FieldOfAction,
        verbose_name=_("Handlungsfeld (veröffentlicht)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    public_partners = models.ManyToManyField(
        Municipality,
        verbose_name=_("beteiligte Kommunen (veröffentlicht)"),
        related_name="published_partner_measures",
        blank=True,
        editable=False,
    )
    public_changed_at = models.DateTimeField(
        _("veröffentlichte Fassung geändert am"), null=True, blank=True, editable=False
    )
    # Why: when the published version was last laid before the Kreistag (the Vorlage's
    # presentation time, written with it by measures.publication). The measures of the latest
    # Vorlage are those presented at or after its time (MeasureQuerySet.in_latest_presentation); a
    # measure of an earlier Vorlage only keeps that earlier time.
    public_presented_at = models.DateTimeField(
        _("zuletzt dem Kreistag vorgelegt am"), null=True, blank=True, editable=False
    )

    history = HistoricalRecordsWithLightM2M(
        m2m_fields=[goals],
        excluded_fields=[
            "created_at",
            "updated_at",
            "accepted_snapshot",
            "accepted_at",
            "public_since",
            "public_snapshot",
            "public_lead",
            "public_field",
            "public_changed_at",
            "public_presented_at",
        ],
        verbose_name=_("Änderung einer Maßnahme"),
    )
    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = _("Maßnahme")
        verbose_name_plural = _("Maßnahmen")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["status"]),
            models.Index(fields=["field_of_action", "status"]),
            # The dashboards' "recent changes" (ten rows, newest first) read these backwards
            # instead of sorting every measure of the district.
            models.Index(fields=["updated_at", "id"], name="measure_updated_idx"),
            models.Index(fields=["public_changed_at", "id"], name="measure_public_changed_idx"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Why: the status as loaded, so that a save knows whether it changes the status and
        # writes one MeasureStatusChange (measures.status_changes). Absent when deferred.
        if "status" in instance.__dict__:
            instance._loaded_status = instance.status
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        # The status now in memory is the stored one: a later save compares with it.
        if "status" in self.__dict__ and (fields is None or "status" in fields):
            self._loaded_status = self.status

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if "status" not in self.__dict__ or (
            update_fields is not None and "status" not in update_fields
        ):
            return
        before = "" if adding else getattr(self, "_loaded_status", None)
        if before is None:
            return  # built in memory, never loaded: not a known change
        if before != self.status:
            MeasureStatusChange.objects.create(
                measure=self,
                old_status=before,
                new_status=self.status,
                changed_by_id=self.updated_by_id or self.created_by_id,
            )
        self._loaded_status = self.status

    def get_absolute_url(self):
        return reverse("measures:detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("Das Ende darf nicht vor dem Beginn liegen.")})

    @property
    def reference(self):
        return f"M-{self.pk:04d}" if self.pk else ""

    @property
    def target_groups(self):
        groups = []
        for field in ("for_citizens", "for_businesses", "for_administration"):
            if getattr(self, field):
                groups.append(self._meta.get_field(field).verbose_name)
        return groups

    @property
    def lead_name(self):
        """Name of the lead body as shown; the published one for the public (see review.py)."""
        return getattr(self, "_shown_lead_name", None) or self.lead_municipality.label

    @property
    def partner_names(self):
        """Names of the partner bodies as shown; the published ones for the public."""
        shown = getattr(self, "_shown_partner_names", None)
        if shown is not None:
            return shown
        return [
            p.municipality.label + (ON_BEHALF_MARK if p.on_behalf else "")
            for p in self.confirmed_partnerships
        ]

    @property
    def confirmed_partnerships(self):
        """Partners that agreed; filtered in Python so a prefetch of partnerships is reused."""
        return [p for p in self.partnerships.all() if p.state == PartnershipState.CONFIRMED]

    @property
    def is_joint(self):
        return bool(self.confirmed_partnerships)

    @property
    def is_withdrawn(self):
        return self.review_state == ReviewState.WITHDRAWN


class MeasureStatusChange(models.Model):
    """One change of a measure's implementation status: what it was, what it became, when.

    Written by ``Measure.save`` (the one path every status change takes) and back-filled from
    the history; append-only. "Status as of a day" is the newest change up to that day
    (measures.status_changes), one SQL query for any number of measures.
    """

    measure = models.ForeignKey(
        Measure,
        verbose_name=_("Maßnahme"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now)
    old_status = models.CharField(
        _("vorheriger Umsetzungsstand"), max_length=20, choices=Status.choices, blank=True
    )
    new_status = models.CharField(_("neuer Umsetzungsstand"), max_length=20, choices=Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Änderung des Umsetzungsstands")
        verbose_name_plural = _("Änderungen des Umsetzungsstands")
        ordering = ["measure_id", "changed_at", "pk"]
        indexes = [models.Index(fields=["measure", "changed_at"], name="measure_status_at_idx")]

    def __str__(self):
        return f"{self.measure_id}: {self.old_status or '–'} → {self.new_status}"


def _money_field(label, help_text=""):
    return models.DecimalField(
        label,
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
        help_text=help_text,
    )


def _fte_field(label):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_FTE)],
    )


class CostPlanYear(models.Model):
    """One budget year (Haushaltsjahr) of a measure's cost plan: planned and actual (Ist).

    Investment are investive Auszahlungen, running costs ordentliche Aufwendungen (Doppik);
    staff in full-time equivalents (VZÄ). Follow-up costs are what the measure costs in a year
    after its completion (licences, maintenance); they are entered in those years. Empty is
    "not stated", not zero.
    """

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="cost_plan"
    )
    year = models.PositiveSmallIntegerField(
        _("Haushaltsjahr"),
        validators=[
            MinValueValidator(FIRST_BUDGET_YEAR, _("Das Haushaltsjahr liegt vor 2000.")),
            MaxValueValidator(LAST_BUDGET_YEAR, _("Das Haushaltsjahr liegt nach 2100.")),
        ],
    )
    investment_planned = _money_field(_("Investition geplant (EUR)"))
    investment_actual = _money_field(_("Investition Ist (EUR)"))
    running_planned = _money_field(_("laufender Aufwand geplant (EUR)"))
    running_actual = _money_field(_("laufender Aufwand Ist (EUR)"))
    staff_fte_planned = _fte_field(_("Personal geplant (VZÄ)"))
    staff_fte_actual = _fte_field(_("Personal Ist (VZÄ)"))
    follow_up_planned = _money_field(_("Folgekosten (EUR)"))

    history = HistoricalRecords(verbose_name=_("Änderung eines Kostenplans"))

    class Meta:
        verbose_name = _("Haushaltsjahr des Kostenplans")
        verbose_name_plural = _("Kostenplan")
        ordering = ["measure", "year"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "year"], name="unique_cost_year"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_BUDGET_YEAR) & Q(year__lte=LAST_BUDGET_YEAR),
                name="cost_year_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.measure_id}: {self.year}"

    @property
    def values_in_order(self):
        """The plan's figures in the order tables show them (measures.costs.PLAN_FIELDS)."""
        from .costs import PLAN_FIELDS

        return [getattr(self, name) for name in PLAN_FIELDS]


class FundingProgramme(TimeStampedModel):
    """A funding programme (Förderprogramm) measures can name; the coordinator keeps the list.

    Seeded with programmes that fund municipal digitalisation in Lower Saxony, marked as
    examples: their conditions change, and a body checks them with the funder before applying.
    """

    name = models.CharField(_("Name"), max_length=200, unique=True)
    funder = models.CharField(
        _("Fördermittelgeber"), max_length=200, blank=True, help_text=_("z. B. Land, Bund, EU")
    )
    url = models.URLField(_("Internetadresse"), blank=True)
    is_example = models.BooleanField(
        _("Beispiel"),
        default=False,
        help_text=_("Vorgegebener Eintrag: Bedingungen vor einem Antrag beim Geldgeber prüfen."),
    )
    is_active = models.BooleanField(
        _("auswählbar"),
        default=True,
        help_text=_("Nicht mehr auswählbare Programme bleiben an bestehenden Einträgen stehen."),
    )

    class Meta:
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} (Beispiel)" if self.is_example else self.name


class FundingState(models.TextChoices):
    PLANNED = "planned", _("geplant")
    APPLIED = "applied", _("beantragt")
    APPROVED = "approved", _("bewilligt")
    REJECTED = "rejected", _("abgelehnt")
    SETTLED = "settled", _("abgerechnet")


class FundingEntry(TimeStampedModel):
    """Funding of a measure from one programme for one budget year.

    Only approved (bewilligt) and settled (abgerechnet) funding lowers a body's own share;
    planned and applied funding is shown as still open. The proof of use (Verwendungsnachweis)
    is due at ``proof_due``; editors are reminded before (measures.funding).
    """

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="funding"
    )
    programme = models.ForeignKey(
        FundingProgramme,
        verbose_name=_("Förderprogramm"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    year = models.PositiveSmallIntegerField(
        _("Haushaltsjahr"),
        help_text=_("Das Jahr, in dem die Mittel fließen."),
        validators=[
            MinValueValidator(FIRST_BUDGET_YEAR, _("Das Haushaltsjahr liegt vor 2000.")),
            MaxValueValidator(LAST_BUDGET_YEAR, _("Das Haushaltsjahr liegt nach 2100.")),
        ],
    )
    rate_percent = models.DecimalField(
        _("Förderquote in %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount = models.DecimalField(
        _("Betrag (EUR)"),
        max_digits=MONEY_DIGITS,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )
    state = models.CharField(
        _("Stand"), max_length=20, choices=FundingState.choices, default=FundingState.PLANNED
    )
    applied_on = models.DateField(
        _("beantragt am"), null=True, blank=True, validators=[validate_date_range]
    )
    decided_on = models.DateField(
        _("entschieden am"),
        null=True,
        blank=True,
        validators=[validate_date_range],
        help_text=_("Tag der Bewilligung oder Ablehnung."),
    )
    settled_on = models.DateField(
        _("abgerechnet am"), null=True, blank=True, validators=[validate_date_range]
    )
    proof_due = models.DateField(
        _("Verwendungsnachweis fällig am"),
        null=True,
        blank=True,
        validators=[validate_date_range],
    )
    # Why: the e-mail reminder goes out once per due date (idempotent beat task); a new due
    # date is reminded again.
    reminded_for = models.DateField(
        _("erinnert für Fälligkeit"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at", "reminded_for"],
        verbose_name=_("Änderung einer Förderung"),
    )

    class Meta:
        verbose_name = _("Förderung")
        verbose_name_plural = _("Förderungen")
        ordering = ["measure", "year", "pk"]
        indexes = [models.Index(fields=["state", "proof_due"], name="funding_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_BUDGET_YEAR) & Q(year__lte=LAST_BUDGET_YEAR),
                name="funding_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(rate_percent__isnull=True)
                | (Q(rate_percent__gte=0) & Q(rate_percent__lte=100)),
                name="funding_rate_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.amount} ({self.year})"

    @property
    def is_approved(self):
        """Counts against the costs: approved, or approved and settled."""
        return self.state in (FundingState.APPROVED, FundingState.SETTLED)

    def clean(self):
        errors = {}
        if self.state in (FundingState.APPROVED, FundingState.REJECTED) and not self.decided_on:
            errors["decided_on"] = _("Bitte geben Sie an, wann entschieden wurde.")
        if self.state == FundingState.SETTLED and not self.settled_on:
            errors["settled_on"] = _("Bitte geben Sie an, wann abgerechnet wurde.")
        if self.applied_on and self.decided_on and self.decided_on < self.applied_on:
            errors["decided_on"] = _("Die Entscheidung kann nicht vor dem Antrag liegen.")
        if errors:
            raise ValidationError(errors)


class ReviewComment(TimeStampedModel):
    """One entry of the review thread of a measure; transitions leave one, too."""

    measure = models.ForeignKey(
        "measures.Measure",
        verbose_name=_("Maßnahme"),
        on_delete=models.CASCADE,
        related_name="review_comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("Kommentar"), blank=True)
    from_state = models.CharField(
        _("vorheriger Prüfstatus"), max_length=20, choices=ReviewState.choices, blank=True
    )
    to_state = models.CharField(
        _("neuer Prüfstatus"), max_length=20, choices=ReviewState.choices, blank=True
    )

    class Meta:
        verbose_name = _("Prüfkommentar")
        verbose_name_plural = _("Prüfkommentare")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.measure_id}: {self.text[:40]}"

    @property
    def is_transition(self):
        return bool(self.to_state)


class Partnership(models.Model):
    """A partner municipality of a joint measure, with its optional share of the cost.

    A partnership is only "requested" until an editor of the partner body confirms it or
    declines it with a reason; only confirmed partnerships count anywhere outside the
    measure's own internal page (see ``measures/partnerships.py``).
    """

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="partnerships"
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("beteiligte Kommune"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    cost_share_percent = models.DecimalField(
        _("Kostenanteil in %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    state = models.CharField(
        _("Zustimmung"),
        max_length=20,
        choices=PartnershipState.choices,
        default=PartnershipState.REQUESTED,
        db_index=True,
    )
    requested_at = models.DateTimeField(_("angefragt am"), default=timezone.now)
    decided_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beantwortet von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decline_reason = models.TextField(_("Begründung der Ablehnung"), blank=True)
    # Why: a join (synergies) asks the partner to give up its own similar measure; on
    # confirmation that measure is withdrawn with a link to this joint one.
    merges_measure = models.ForeignKey(
        Measure,
        verbose_name=_("eigene Maßnahme, die aufgeht"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="join_requests",
    )
    # Why: unanswered requests are reminded every 14 days (measures.reminders); the time of
    # the last reminder makes the beat task idempotent. Cleared when the body is asked again.
    reminded_at = models.DateTimeField(_("zuletzt erinnert am"), null=True, blank=True)
    # Why: the coordinator may record the body's answer on its behalf only with its source;
    # both set means "on behalf" (decided_by is then the coordinator, not the body).
    on_behalf_source = models.CharField(
        _("Quelle der Antwort"), max_length=20, choices=AnswerSource.choices, blank=True
    )
    on_behalf_date = models.DateField(_("Datum der Quelle"), null=True, blank=True)

    history = HistoricalRecords(verbose_name=_("Änderung einer Beteiligung"))

    class Meta:
        verbose_name = _("Beteiligung")
        verbose_name_plural = _("Beteiligungen")
        ordering = ["municipality__tree_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "municipality"], name="unique_partner_per_measure"
            )
        ]

    def __str__(self):
        return str(self.municipality)

    @property
    def is_confirmed(self):
        return self.state == PartnershipState.CONFIRMED

    @property
    def on_behalf(self):
        """Answered by the coordinator on the body's behalf (with a source)?"""
        return bool(self.on_behalf_source)

    @property
    def on_behalf_text(self):
        """German, e.g. "eingetragen von der Koordinierungsstelle auf Grund: Schreiben vom
        3. Dezember 2026"; empty when the body answered itself."""
        return on_behalf_text(self.on_behalf_source, self.on_behalf_date)

    def clear_on_behalf(self):
        self.on_behalf_source = ""
        self.on_behalf_date = None


def on_behalf_text(source, day):
    """German marking of an answer recorded on a body's behalf (also for snapshots, where
    ``day`` is an ISO string); empty for an answer the body gave itself."""
    if not source:
        return ""
    if isinstance(day, str):
        day = parse_date(day)
    label = AnswerSource(source).label if source in AnswerSource.values else source
    when = f" {date_format(day, 'j. F Y')}" if day else ""
    return f"eingetragen von der Koordinierungsstelle auf Grund: {label}{when}"


class SimilarMeasure(models.Model):
    """A stored match of the synergy finder: ``other`` (another body's measure) is similar.

    Written only by ``measures/synergy.py`` (Celery task or ``recompute_similarity``), the
    top matches per measure; pages read these rows instead of computing.
    """

    measure = models.ForeignKey(
        Measure, verbose_name=_("Maßnahme"), on_delete=models.CASCADE, related_name="similar"
    )
    other = models.ForeignKey(
        Measure,
        verbose_name=_("ähnliche Maßnahme"),
        on_delete=models.CASCADE,
        related_name="similar_to",
    )
    score = models.FloatField(_("Ähnlichkeit"))
    reasons = models.JSONField(_("Gründe"), default=list)
    computed_at = models.DateTimeField(_("berechnet am"), default=timezone.now)

    class Meta:
        verbose_name = _("ähnliche Maßnahme")
        verbose_name_plural = _("ähnliche Maßnahmen")
        ordering = ["measure", "-score", "other"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "other"], name="unique_similar_pair")
        ]

    def __str__(self):
        return f"{self.measure_id} ~ {self.other_id} ({self.score:.2f})"


class ImportState(models.TextChoices):
    CHECKING = "checking", _("wird geprüft")
    READY = "ready", _("geprüft, wartet auf Bestätigung")
    REFUSED = "refused", _("abgelehnt")
    APPLYING = "applying", _("wird übernommen")
    APPLIED = "applied", _("übernommen")


class MeasureImport(models.Model):
    """An uploaded spreadsheet between its dry run and its confirmation, kept for its uploader.

    Why: the confirmation applies exactly the file that was previewed, without a second upload;
    the version column refuses rows changed in between. Once applied, ``applied_at`` is set
    and the file dropped in the same transaction as the import, so that a second (double-click
    or parallel) confirmation finds it applied and creates nothing; stale ones are removed on
    the next upload (see measures/views/exchange.py).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hochgeladen von"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    filename = models.CharField(_("Dateiname"), max_length=255)
    data = models.BinaryField(_("Inhalt"))
    partners_filename = models.CharField(_("Dateiname der Beteiligten"), max_length=255, blank=True)
    partners_data = models.BinaryField(_("Inhalt der Beteiligten"), null=True, blank=True)
    applied_at = models.DateTimeField(_("ausgeführt am"), null=True, blank=True)
    # Large files are checked and applied by a Celery task (measures/exchange/background.py),
    # so no request holds a web worker for minutes; the page then shows this state.
    state = models.CharField(
        _("Stand"), max_length=20, choices=ImportState.choices, default=ImportState.READY
    )
    rows = models.PositiveIntegerField(_("Zeilen"), default=0)
    # The preview or result as the task rendered it (measures/includes/exchange_outcome.html).
    result_html = models.TextField(_("Ergebnis"), blank=True)
    # New rows whose measure is already there (same body, same title): the preview offers to
    # create them anyway, and the apply does so only when the user chose it.
    duplicates = models.PositiveIntegerField(_("bereits vorhandene Zeilen"), default=0)
    create_duplicates = models.BooleanField(_("vorhandene trotzdem anlegen"), default=False)
    # The measures of the file's rows once applied, for the file again with their IDs.
    measure_ids = models.JSONField(_("Maßnahmen der Datei"), default=list, blank=True)

    class Meta:
        verbose_name = _("Import von Maßnahmen")
        verbose_name_plural = _("Importe von Maßnahmen")

    def __str__(self):
        return self.filename
