import re
from decimal import Decimal, InvalidOperation

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.form_help import HelpfulFieldsMixin
from core.layout import columns
from core.locking import VERSION_FIELD, StaleCheckMixin
from core.validators import validate_date_range
from measures.models import AnswerSource, Status
from measures.partnerships import clean_source
from measures.review import ReviewError
from procedures.coverage import topics as coverage_topics
from procedures.models import Service

from .models import (
    Assessment,
    CollectionRound,
    Indicator,
    IndicatorKind,
    Measurement,
    ProgressNote,
    ReportingRound,
    SourceKind,
)
from .periods import Frequency, PeriodError, parse_period
from .plausibility import is_large_change, large_change_text, period_error, range_error
from .sources.base import SourceError, TransientSourceError
from .sources.http import check_public_address

PERIOD_HINTS = {
    Frequency.YEARLY: _("Jahr, z. B. 2026"),
    Frequency.QUARTERLY: _("Quartal, z. B. 2026-Q1 oder Q1/2026"),
    Frequency.MONTHLY: _("Monat, z. B. 2026-03 oder 03.2026"),
}


def parse_german_decimal(text):
    """``1.234,5``, ``1234,5`` and ``1234.5`` all mean 1234.5; raises ValueError otherwise."""
    value = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3}){2,}", value):
        value = value.replace(".", "")
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e16"):
        raise ValueError(text)
    return number.quantize(Decimal("0.0001"))


class GermanDecimalField(forms.Field):
    """A number as Germans type it; empty is None when not required."""

    default_error_messages = {
        "invalid": _("Bitte geben Sie eine Zahl an, z. B. 12,5."),
    }

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("maxlength", "30")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value.normalize():f}".replace(".", ",")
        return value

    def to_python(self, value):
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return parse_german_decimal(value)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class IndicatorForm(StaleCheckMixin, HelpfulFieldsMixin, forms.ModelForm):
    baseline_value = GermanDecimalField(label=_("Ausgangswert"), required=False)
    target_value = GermanDecimalField(label=_("Zielwert"))
    plausible_min = GermanDecimalField(
        label=_("kleinster plausibler Wert"),
        required=False,
        help_text=_("Leer: bei % 0, bei Anzahl, Tagen und Euro 0, sonst keine Untergrenze."),
    )
    plausible_max = GermanDecimalField(
        label=_("größter plausibler Wert"),
        required=False,
        help_text=_("Leer: bei % 100, sonst keine Obergrenze."),
    )
    source_url = forms.URLField(
        label=_("Adresse der Datenquelle"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Für CSV, JSON und GENESIS: die Adresse (http/https)."),
    )
    json_path = forms.CharField(
        label=_("Pfad zur Liste (nur JSON)"),
        required=False,
        help_text=_("z. B. data.series; leer, wenn die Datei selbst eine Liste ist."),
    )
    genesis_table = forms.CharField(
        label=_("Tabelle (nur GENESIS)"),
        required=False,
        help_text=_("z. B. 12411-01-01-5 (Bevölkerung nach Gemeinden)."),
    )
    portal_metric = forms.ChoiceField(
        label=_("Kennzahl (nur Portal)"),
        required=False,
        choices=[
            ("share_completed", _("Anteil abgeschlossener Maßnahmen (%)")),
            ("count_in_progress", _("Anzahl Maßnahmen in Umsetzung")),
            ("count_completed", _("Anzahl abgeschlossener Maßnahmen")),
            ("ozg_coverage_service", _("OZG-Leistung online: Anteil der zuständigen Kommunen (%)")),
            ("ozg_coverage_topic", _("OZG-Themenfeld online: Anteil der Angebote (%)")),
        ],
    )
    coverage_service = forms.ModelChoiceField(
        label=_("OZG-Leistung (nur Portal)"),
        queryset=Service.objects.all(),
        to_field_name="leika_key",
        required=False,
        empty_label=_("– bitte wählen –"),
        help_text=_("Für „OZG-Leistung online“: die Leistung aus dem Leistungskatalog."),
    )
    coverage_topic = forms.ChoiceField(
        label=_("OZG-Themenfeld (nur Portal)"),
        required=False,
        help_text=_("Für „OZG-Themenfeld online“: das Themenfeld des Leistungskatalogs."),
    )
    ags = forms.RegexField(
        label=_("AGS für die Datenquelle"),
        regex=r"^\d{8}$",
        required=False,
        help_text=_("Nur nötig, wenn die federführende Kommune keinen AGS hat (Samtgemeinde)."),
        error_messages={"invalid": _("Der AGS hat genau 8 Ziffern.")},
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "description",
            "unit",
            "kind",
            "direction",
            "baseline_value",
            "baseline_date",
            "target_value",
            "target_date",
            "plausible_min",
            "plausible_max",
            "frequency",
            "source_kind",
            "source_url",
            "source_note",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "baseline_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "target_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = self.instance.source_options or {}
        self.fields["json_path"].initial = options.get("path", "")
        self.fields["genesis_table"].initial = options.get("table", "")
        self.fields["portal_metric"].initial = options.get("metric", "share_completed")
        self.fields["ags"].initial = options.get("ags", "")
        self.fields["coverage_service"].initial = options.get("leika_key", "")
        self.fields["coverage_topic"].choices = [("", _("– bitte wählen –"))] + [
            (topic, topic) for topic in coverage_topics()
        ]
        self.fields["coverage_topic"].initial = options.get("topic", "")
        # Plain words instead of "Output"/"Outcome" (the stored values stay the same).
        self.fields["kind"].choices = [
            (IndicatorKind.OUTPUT, _("Leistung: was die Maßnahme selbst bereitstellt")),
            (
                IndicatorKind.EFFECT,
                _("Wirkung: was sich dadurch für Menschen oder Verwaltung ändert"),
            ),
        ]
        self.fields["kind"].help_text = _(
            "Leistung, z. B. „Zahl der online angebotenen Dienste“; Wirkung, z. B. „Anteil der "
            "Anträge, die online gestellt werden“."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Was wird gemessen?"),
                "name",
                "description",
                columns("unit", "kind", "direction"),
            ),
            Fieldset(
                _("Ausgangs- und Zielwert"),
                columns("baseline_value", "baseline_date", "target_value", "target_date"),
            ),
            Fieldset(
                _("Plausible Werte"),
                HTML(
                    '<p class="form-text">'
                    + str(_("Werte außerhalb dieses Bereichs werden bei der Eingabe abgelehnt."))
                    + "</p>"
                ),
                columns("plausible_min", "plausible_max"),
            ),
            Fieldset(
                _("Datenquelle"),
                columns(("frequency", 4), ("source_kind", 8)),
                "source_url",
                columns("json_path", "genesis_table", "portal_metric"),
                columns("coverage_service", "coverage_topic"),
                "ags",
                "source_note",
            ),
            VERSION_FIELD,
        )

    def clean_source_url(self):
        url = self.cleaned_data.get("source_url")
        if url:
            try:
                check_public_address(url)
            except TransientSourceError:
                pass  # not resolvable now: gathering will record the error
            except SourceError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return url

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("source_kind")
        if kind == SourceKind.GENESIS and not cleaned.get("genesis_table"):
            self.add_error("genesis_table", _("Für GENESIS wird die Tabelle benötigt."))
        metric = cleaned.get("portal_metric") if kind == SourceKind.PORTAL else None
        if metric == "ozg_coverage_service" and not cleaned.get("coverage_service"):
            self.add_error("coverage_service", _("Bitte wählen Sie die OZG-Leistung."))
        if metric == "ozg_coverage_topic" and not cleaned.get("coverage_topic"):
            self.add_error("coverage_topic", _("Bitte wählen Sie das Themenfeld."))
        low, high = cleaned.get("plausible_min"), cleaned.get("plausible_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "plausible_max",
                _("Der größte plausible Wert darf nicht kleiner sein als der kleinste."),
            )
        return cleaned

    def save(self, commit=True):
        indicator = super().save(commit=False)
        kind = self.cleaned_data["source_kind"]
        options = {}
        if kind == SourceKind.JSON_URL and self.cleaned_data.get("json_path"):
            options["path"] = self.cleaned_data["json_path"].strip()
        if kind == SourceKind.GENESIS:
            options["table"] = self.cleaned_data["genesis_table"].strip()
        if kind == SourceKind.PORTAL:
            options["metric"] = self.cleaned_data.get("portal_metric") or "share_completed"
            if options["metric"] == "ozg_coverage_service":
                options["leika_key"] = self.cleaned_data["coverage_service"].leika_key
            if options["metric"] == "ozg_coverage_topic":
                options["topic"] = self.cleaned_data["coverage_topic"]
        if kind in (SourceKind.CSV_URL, SourceKind.JSON_URL, SourceKind.GENESIS) and (
            self.cleaned_data.get("ags")
        ):
            options["ags"] = self.cleaned_data["ags"]
        indicator.source_options = options
        if commit:
            indicator.save()
        return indicator


class MeasurementForm(forms.Form):
    """One value for one period; an existing value of the period is corrected.

    Values for periods that have not begun and values outside the indicator's plausible range
    are refused. A correction by more than a factor of ten needs ``confirm`` and a note (a
    second POST); the API push sends the same fields.
    """

    period = forms.CharField(label=_("Zeitraum"), max_length=20)
    value = GermanDecimalField(label=_("Wert"))
    note = forms.CharField(label=_("Notiz"), max_length=500, required=False)
    confirm = forms.BooleanField(
        label=_("Ja, die große Korrektur ist richtig."),
        required=False,
        help_text=_("Bitte begründen Sie sie in der Notiz."),
    )

    def __init__(self, *args, indicator, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.today = today
        self.needs_confirmation = False
        self.fields["period"].help_text = PERIOD_HINTS[indicator.frequency]
        self.fields["value"].label = _("Wert in %(unit)s") % {"unit": indicator.unit}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(columns(("period", 3), ("value", 3), ("note", 6)))
        if self.is_bound and self.data.get("confirm"):
            self._show_confirmation()

    def _show_confirmation(self):
        if not getattr(self, "_confirmation_shown", False):
            self.helper.layout.append("confirm")
            self._confirmation_shown = True

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"], self.indicator.frequency)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        cleaned = super().clean()
        period, value = cleaned.get("period"), cleaned.get("value")
        if period is not None and (reason := period_error(self.indicator, period, self.today)):
            self.add_error("period", reason)
        if value is not None and (reason := range_error(self.indicator, value)):
            self.add_error("value", reason)
        if self.errors or period is None or value is None:
            return cleaned
        old = (
            Measurement.objects.filter(indicator=self.indicator, period=period)
            .values_list("value", flat=True)
            .first()
        )
        if is_large_change(old, value):
            self.needs_confirmation = True
            self._show_confirmation()
            text = large_change_text(self.indicator, period, old, value)
            if not cleaned.get("confirm"):
                self.add_error(
                    "value",
                    f"{text} Ist das richtig? Dann bestätigen Sie die Korrektur unten und "
                    "begründen Sie sie in der Notiz.",
                )
            elif not cleaned.get("note", "").strip():
                self.add_error("note", "Bitte begründen Sie die große Korrektur in der Notiz.")
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-Datei"),
        help_text=_("Im Format des Exports: Semikolon-getrennt, UTF-8, eine Zeile je Messwert."),
    )


class RoundForm(forms.ModelForm):
    class Meta:
        model = CollectionRound
        fields = ["title", "period", "deadline", "message"]
        widgets = {
            "period": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["assessed_on", "verdict", "justification"]
        widgets = {
            "assessed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "verdict": forms.RadioSelect,
            "justification": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ProgressNoteForm(HelpfulFieldsMixin, forms.ModelForm):
    """A Sachstand: the day it describes (not in the future), the status then, optionally the
    share done, and the text. Status and share start from the measure and its last note."""

    class Meta:
        model = ProgressNote
        fields = [
            "noted_on",
            "status",
            "percent_done",
            "text",
            "on_behalf_source",
            "on_behalf_date",
        ]
        widgets = {
            "on_behalf_source": forms.RadioSelect,
            "on_behalf_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "noted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "percent_done": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "text": forms.Textarea(attrs={"rows": 6}),
        }
        error_messages = {
            "percent_done": {
                "max_value": _("Der Fortschritt liegt zwischen 0 und 100 Prozent."),
                "min_value": _("Der Fortschritt liegt zwischen 0 und 100 Prozent."),
                "invalid": _("Bitte geben Sie den Fortschritt als ganze Zahl von 0 bis 100 an."),
            },
            "noted_on": {"invalid": _("Bitte geben Sie den Tag als Datum an, z. B. 31.12.2026.")},
            "on_behalf_date": {
                "invalid": _("Bitte geben Sie das Datum der Quelle an, z. B. 03.12.2026.")
            },
        }

    def __init__(self, *args, measure, today=None, on_behalf=False, **kwargs):
        """``on_behalf``: the coordinator writes it for the lead body, with the source."""
        self.measure = measure
        self.today = today or timezone.localdate()
        self.on_behalf = on_behalf
        super().__init__(*args, **kwargs)
        if on_behalf:
            source = self.fields["on_behalf_source"]
            source.required = True
            source.choices = AnswerSource.choices  # no empty choice among the radio buttons
            source.error_messages["required"] = _(
                "Bitte geben Sie an, woher der Sachstand stammt: Schreiben, Beschluss des Rates "
                "oder E-Mail der Kommune."
            )
            self.fields["on_behalf_date"].required = True
            self.fields["on_behalf_date"].error_messages["required"] = _(
                "Bitte geben Sie das Datum der Quelle an."
            )
            self.fields["on_behalf_date"].help_text = _(
                "Datum des Schreibens, des Ratsbeschlusses oder der E-Mail."
            )
        else:
            del self.fields["on_behalf_source"], self.fields["on_behalf_date"]
        # Dropped measures keep no Sachstand; the other statuses are what a body reports.
        self.fields["status"].choices = [
            (value, label) for value, label in Status.choices if value != Status.DROPPED
        ] + (
            [(Status.DROPPED.value, Status.DROPPED.label)]
            if measure.status == Status.DROPPED
            else []
        )
        if not self.is_bound:
            last = measure.progress_notes.order_by("-noted_on", "-pk").first()
            self.initial["status"] = self.initial.get("status") or measure.status
            if last is not None and self.initial.get("percent_done") is None:
                self.initial["percent_done"] = last.percent_done
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *([columns(("on_behalf_source", 6), ("on_behalf_date", 6))] if on_behalf else []),
            columns(("noted_on", 4), ("status", 4), ("percent_done", 4)),
            "text",
        )

    def clean_on_behalf_date(self):
        day = self.cleaned_data["on_behalf_date"]
        try:  # the date rules of a source (not in the future, not before 1900); kind: below
            clean_source(AnswerSource.LETTER, day, today=self.today)
        except ReviewError as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return day

    def clean_noted_on(self):
        day = self.cleaned_data["noted_on"]
        validate_date_range(day)  # before "future": a year 9999 is a typing error
        if day > self.today:
            raise forms.ValidationError(
                _(
                    "Ein Sachstand beschreibt, was schon ist: Der Tag darf nicht in der "
                    "Zukunft liegen."
                )
            )
        return day


class ReportingRoundForm(HelpfulFieldsMixin, forms.ModelForm):
    """A Berichtsrunde: the period (by default the calendar year) and a deadline not passed."""

    class Meta:
        model = ReportingRound
        fields = ["title", "period_start", "period_end", "deadline", "message"]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, today=None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial.setdefault("title", f"Sachstandsbericht {self.today.year}")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "title",
            columns(("period_start", 4), ("period_end", 4), ("deadline", 4)),
            "message",
        )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        validate_date_range(deadline)
        if deadline < self.today:
            raise forms.ValidationError(_("Die Frist darf nicht in der Vergangenheit liegen."))
        return deadline
