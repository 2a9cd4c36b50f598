from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from core.validators import validate_date_range
from municipalities.models import Municipality, MunicipalityKind

leika_key_validator = RegexValidator(
    r"^\d{14}$",
    _("Der LeiKa-Schlüssel besteht aus genau 14 Ziffern, z. B. 99050012104000."),
)


class CategoryKind(models.TextChoices):
    PROCEDURE = "procedure", _("Fachverfahren")
    INFRASTRUCTURE = "infrastructure", _("Infrastruktur")


class Category(models.Model):
    """A kind of procedure or infrastructure (Einwohnerwesen, Netz, ...), seeded by a migration."""

    name = models.CharField(_("Bezeichnung"), max_length=100, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=CategoryKind.choices)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ResponsibleLevel(models.TextChoices):
    """Which bodies are responsible for a service (the denominator of its coverage)."""

    DISTRICT = "district", _("Landkreis")
    SAMTGEMEINDE = "samtgemeinde", _("Samtgemeinde bzw. Einheitsgemeinde")
    MUNICIPALITY = "municipality", _("jede Gemeinde")


MUNICIPALITY_KINDS = (
    MunicipalityKind.TOWN,
    MunicipalityKind.FLECKEN,
    MunicipalityKind.MUNICIPALITY,
)


def is_responsible(municipality, level):
    """Is this body responsible for services of this level? (No query: uses parent's kind.)"""
    if level == ResponsibleLevel.DISTRICT:
        return municipality.kind == MunicipalityKind.DISTRICT
    if level == ResponsibleLevel.MUNICIPALITY:
        return municipality.kind in MUNICIPALITY_KINDS
    # A Gemeinde outside any Samtgemeinde (Einheitsgemeinde) does the Samtgemeinde's tasks.
    return municipality.kind == MunicipalityKind.SAMTGEMEINDE or (
        municipality.kind in MUNICIPALITY_KINDS
        and municipality.parent is not None
        and municipality.parent.kind == MunicipalityKind.DISTRICT
    )


class Service(TimeStampedModel):
    """An administrative service from the LeiKa/OZG catalogue (imported, never typed in)."""

    leika_key = models.CharField(
        _("LeiKa-Schlüssel"), max_length=14, unique=True, validators=[leika_key_validator]
    )
    name = models.CharField(_("Bezeichnung"), max_length=300)
    ozg_id = models.CharField(_("OZG-ID"), max_length=20, blank=True)
    topic = models.CharField(
        _("Themenfeld"), max_length=100, blank=True, help_text=_("Themenfeld des OZG-Katalogs.")
    )
    life_situation = models.CharField(_("Lebenslage"), max_length=200, blank=True)
    service_type = models.CharField(
        _("Typ"), max_length=50, blank=True, help_text=_("Typisierung im Leistungskatalog.")
    )
    # Why: the catalogue does not say which local bodies offer a service; coverage counts the
    # bodies of this level as responsible. Kept when a newer catalogue is imported.
    responsible_level = models.CharField(
        _("zuständig"),
        max_length=20,
        choices=ResponsibleLevel.choices,
        default=ResponsibleLevel.SAMTGEMEINDE,
    )

    class Meta:
        verbose_name = _("OZG-Leistung")
        verbose_name_plural = _("OZG-Leistungen")
        ordering = ["topic", "name", "leika_key"]

    def __str__(self):
        return f"{self.name} ({self.leika_key})"

    def get_absolute_url(self):
        return reverse("procedures:service_detail", kwargs={"leika_key": self.leika_key})


class OperatingModel(models.TextChoices):
    ON_PREMISES = "on_premises", _("eigener Betrieb vor Ort")
    PROVIDER = "provider", _("IT-Dienstleister")
    SAAS = "saas", _("Software als Dienst (SaaS)")


class ProcedureEntry(TimeStampedModel):
    """One procedure or piece of infrastructure a body runs (one row of the register)."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="procedure_entries",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("Kategorie"), on_delete=models.PROTECT, related_name="entries"
    )
    product = models.CharField(
        _("Produkt"), max_length=200, help_text=_("Name des Verfahrens, z. B. „AutiSta“.")
    )
    vendor = models.CharField(_("Hersteller"), max_length=200, blank=True)
    version = models.CharField(_("Version"), max_length=50, blank=True)
    operating_model = models.CharField(
        _("Betrieb"),
        max_length=20,
        choices=OperatingModel.choices,
        default=OperatingModel.PROVIDER,
    )
    provider_name = models.CharField(
        _("IT-Dienstleister"),
        max_length=200,
        blank=True,
        help_text=_("Wer das Verfahren betreibt, wenn nicht die Kommune selbst."),
    )
    contract_end = models.DateField(
        _("Vertragsende"), null=True, blank=True, validators=[validate_date_range]
    )
    notice_period_months = models.PositiveSmallIntegerField(
        _("Kündigungsfrist in Monaten"), null=True, blank=True
    )
    annual_cost = models.DecimalField(
        _("jährliche Kosten (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    user_count = models.PositiveIntegerField(_("Anzahl Nutzende"), null=True, blank=True)
    standards = models.CharField(
        _("Schnittstellen und XÖV-Standards"),
        max_length=300,
        blank=True,
        help_text=_("Durch Komma getrennt, z. B. „XMeld, XPersonenstand, XRechnung“."),
    )
    services = models.ManyToManyField(
        Service,
        verbose_name=_("OZG-Leistungen"),
        related_name="procedure_entries",
        blank=True,
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("Zufriedenheit (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = sehr unzufrieden, 5 = sehr zufrieden."),
    )
    remarks = models.TextField(_("Bemerkungen"), blank=True)
    is_demo = models.BooleanField(_("Demo-Inhalt"), default=False, editable=False)

    class Meta:
        verbose_name = _("Eintrag im Register der Fachverfahren")
        verbose_name_plural = _("Register der Fachverfahren")
        ordering = ["municipality__tree_path", "category__position", "product"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "category", "product"],
                name="unique_procedure_per_body_and_category",
            )
        ]

    def __str__(self):
        return f"{self.product} ({self.category})"

    def get_absolute_url(self):
        return reverse("procedures:register", kwargs={"slug": self.municipality.slug})

    def clean(self):
        if self.operating_model == OperatingModel.PROVIDER and not self.provider_name:
            raise ValidationError({"provider_name": _("Bitte nennen Sie den IT-Dienstleister.")})

    @property
    def operator(self):
        """Who runs it, as the overview shows it."""
        if self.operating_model == OperatingModel.PROVIDER and self.provider_name:
            return self.provider_name
        return self.get_operating_model_display()

    @property
    def standard_list(self):
        return [s.strip() for s in self.standards.split(",") if s.strip()]


class OnlineStatus(models.TextChoices):
    NOT_ONLINE = "not_online", _("nicht online")
    PLANNED = "planned", _("geplant")
    ONLINE = "online", _("online")


class ServiceOffer(TimeStampedModel):
    """Whether a body offers a catalogue service online."""

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("Kommune"),
        on_delete=models.CASCADE,
        related_name="service_offers",
    )
    service = models.ForeignKey(
        Service, verbose_name=_("OZG-Leistung"), on_delete=models.CASCADE, related_name="offers"
    )
    status = models.CharField(
        _("Stand"), max_length=20, choices=OnlineStatus.choices, default=OnlineStatus.NOT_ONLINE
    )
    url = models.URLField(
        _("Adresse des Online-Dienstes"),
        max_length=500,
        blank=True,
        help_text=_("Pflicht, wenn die Leistung online ist."),
    )
    portal = models.CharField(
        _("Portal"),
        max_length=200,
        blank=True,
        help_text=_("Wo die Leistung angeboten wird, z. B. das Serviceportal des Landes."),
    )
    procedure = models.ForeignKey(
        ProcedureEntry,
        verbose_name=_("Fachverfahren dahinter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_offers",
    )
    remarks = models.CharField(_("Bemerkung"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("Demo-Inhalt"), default=False, editable=False)

    class Meta:
        verbose_name = _("Online-Angebot einer Leistung")
        verbose_name_plural = _("Online-Angebote der Leistungen")
        ordering = ["municipality__tree_path", "service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "service"], name="unique_offer_per_body_and_service"
            )
        ]

    def __str__(self):
        return f"{self.service.name} – {self.municipality}: {self.get_status_display()}"

    def clean(self):
        if self.status == OnlineStatus.ONLINE and not self.url:
            raise ValidationError({"url": _("Bitte geben Sie die Adresse des Online-Dienstes an.")})
        if (
            self.procedure_id
            and self.municipality_id
            and (self.procedure.municipality_id != self.municipality_id)
        ):
            raise ValidationError(
                {"procedure": _("Das Fachverfahren gehört zu einer anderen Kommune.")}
            )
