import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.layout import columns
from core.locking import VERSION_FIELD, StaleCheckMixin

from . import tabular
from .catalogue import key_for_name
from .models import Category, OnlineStatus, ProcedureEntry, Service, ServiceOffer


class ServiceKeyField(forms.CharField):
    """A LeiKa key, or the exact name of a catalogue service (typed without the search's list,
    e.g. without JavaScript), which becomes its key. Spaces and dots inside a key are dropped;
    the model's validator then checks the 14 digits."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value or "\x00" in value:
            return value  # empty, or refused by the field's own NUL check
        compact = re.sub(r"[\s.]", "", value)
        if re.fullmatch(r"[0-9]+", compact):
            return compact
        key = key_for_name(value)
        if key is None:
            raise ValidationError(
                _(
                    "Keine Leistung dieses Namens im Leistungskatalog. Wählen Sie die Leistung "
                    "aus den Vorschlägen unter dem Feld oder geben Sie den 14-stelligen "
                    "LeiKa-Schlüssel ein."
                ),
                code="unknown_service",
            )
        return key


class EuroField(forms.CharField):
    """An amount as Germans type it (12.500,50 €); the same rules as the import."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def prepare_value(self, value):
        if hasattr(value, "quantize"):
            return f"{value:.2f}".replace(".", ",")
        return value

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return tabular.euro(value)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Bitte geben Sie einen Betrag an, z. B. 12.500,00.")
            ) from exc


class ServiceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.leika_key})"

    def _check_values(self, value):
        # An id the database cannot hold (999…9, "²") is no service; without this check the
        # "id IN (…)" query fails at the database (error 500) instead of being refused.
        for pk in value:
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super()._check_values(value)


class EntryForm(StaleCheckMixin, forms.ModelForm):
    annual_cost = EuroField(label=_("jährliche Kosten (EUR)"), required=False)

    class Meta:
        model = ProcedureEntry
        fields = [
            "category",
            "product",
            "vendor",
            "version",
            "operating_model",
            "provider_name",
            "contract_end",
            "notice_period_months",
            "annual_cost",
            "user_count",
            "standards",
            "services",
            "satisfaction",
            "remarks",
        ]
        field_classes = {"services": ServiceChoiceField}
        widgets = {
            "contract_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "services": forms.SelectMultiple(attrs={"size": 8}),
            "remarks": forms.Textarea(attrs={"rows": 3}),
            "satisfaction": forms.Select(
                choices=[("", _("– keine Angabe –"))] + [(i, str(i)) for i in range(1, 6)]
            ),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["category"].queryset = Category.objects.all()
        self.fields["category"].empty_label = _("– bitte wählen –")
        self.fields["services"].queryset = Service.objects.all()
        self.fields["services"].help_text = _(
            "Die OZG-Leistungen, die mit diesem Verfahren bearbeitet werden (Mehrfachauswahl "
            "mit Strg bzw. Cmd)."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Verfahren"),
                columns("category", "product"),
                columns("vendor", "version"),
            ),
            Fieldset(
                _("Betrieb und Vertrag"),
                columns("operating_model", "provider_name"),
                columns("contract_end", "notice_period_months", "annual_cost", "user_count"),
            ),
            Fieldset(
                _("Schnittstellen und Leistungen"),
                "standards",
                "services",
            ),
            Fieldset(_("Erfahrungen"), columns(("satisfaction", 3), ("remarks", 9))),
            VERSION_FIELD,
        )

    def clean(self):
        cleaned = super().clean()
        category, product = cleaned.get("category"), cleaned.get("product")
        if category and product:
            duplicate = ProcedureEntry.objects.filter(
                municipality=self.instance.municipality, category=category, product=product
            ).exclude(pk=self.instance.pk)
            if duplicate.exists():
                self.add_error(
                    "product",
                    _("Dieses Produkt ist für diese Kommune in dieser Kategorie schon erfasst."),
                )
        return cleaned

    def validate_unique(self):
        """Reported in clean() with a German message."""


class OfferForm(StaleCheckMixin, forms.ModelForm):
    url = forms.URLField(
        label=_("Adresse des Online-Dienstes"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Pflicht, wenn die Leistung online ist."),
    )

    class Meta:
        model = ServiceOffer
        fields = ["service", "status", "url", "portal", "procedure", "remarks"]
        widgets = {"status": forms.RadioSelect}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["service"].queryset = Service.objects.all()
        self.fields["service"].empty_label = _("– bitte wählen –")
        self.fields["service"].label_from_instance = lambda s: f"{s.name} ({s.leika_key})"
        self.fields["procedure"].queryset = ProcedureEntry.objects.filter(
            municipality=municipality
        ).select_related("category")
        self.fields["procedure"].empty_label = _("– keines / unbekannt –")
        self.fields["status"].help_text = _(
            "„geplant“: eine Maßnahme mit diesem LeiKa-Schlüssel bereitet das Angebot vor."
        )
        if self.instance.pk:
            self.fields["service"].disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "service",
            "status",
            columns("url", "portal"),
            columns("procedure", "remarks"),
            VERSION_FIELD,
        )

    def clean(self):
        cleaned = super().clean()
        service = cleaned.get("service")
        if service and not self.instance.pk:
            exists = ServiceOffer.objects.filter(
                municipality=self.instance.municipality, service=service
            ).exists()
            if exists:
                self.add_error("service", _("Für diese Leistung gibt es schon einen Eintrag."))
        if cleaned.get("status") == OnlineStatus.ONLINE and not cleaned.get("url"):
            self.add_error("url", _("Bitte geben Sie die Adresse des Online-Dienstes an."))
        return cleaned

    def validate_unique(self):
        """Reported in clean() with a German message."""


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        help_text=_(
            "Im Format des Exports: eine Zeile je Kommune und Verfahren. Die Datei wird ganz "
            "oder gar nicht übernommen."
        ),
    )
