import datetime
import re
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.form_help import HelpfulFieldsMixin
from core.layout import columns
from fields_of_action.models import FieldOfAction, Goal
from municipalities import rules
from municipalities.models import Municipality
from procedures.catalogue import catalogue_note, key_for_name
from procedures.forms import ServiceKeyField

from .costs import PLAN_FIELDS
from .models import (
    FIRST_BUDGET_YEAR,
    LAST_BUDGET_YEAR,
    MAX_AMOUNT,
    MAX_FTE,
    MONEY_DIGITS,
    AnswerSource,
    CostPlanYear,
    FundingEntry,
    FundingProgramme,
    Measure,
    Partnership,
    PartnershipState,
    ReviewState,
    Status,
    TaskKind,
)
from .partnerships import clean_source, notify_request
from .review import ReviewError, storable_text
from .synergy import SIMILARITY_FIELDS, recompute_on_commit


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            # Not strftime: it writes the year 1 as "1", which no month input reads back.
            return f"{value.year:04d}-{value.month:02d}"
        return value


class MonthField(forms.DateField):
    """A month (YYYY-MM, or MM.YYYY as Germans type it), stored as its first day."""

    widget = MonthInput
    default_error_messages = {
        "invalid": _("Bitte geben Sie einen Monat an, z. B. 2027-03 oder 03.2027."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        value = str(value).strip()
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value) or re.fullmatch(
            r"(\d{1,2})[./](\d{4})", value
        )
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        first, second = match.groups()
        year, month = (first, second) if len(first) == 4 else (second, first)
        try:
            return datetime.date(int(year), int(month), 1)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class EuroField(forms.DecimalField):
    """Accepts amounts as German users type them: 12.500,50 or 12500,50 or 12500.50 €."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.error_messages["min_value"] = _("Bitte geben Sie keinen negativen Betrag an.")
        self.error_messages["max_decimal_places"] = _(
            "Bitte geben Sie den Betrag auf den Cent genau an (höchstens zwei Nachkommastellen)."
        )
        if self.max_value is not None:
            largest = _euro_text(self.max_value)
            for key in ("max_value", "max_digits", "max_whole_digits"):
                self.error_messages[key] = _(
                    "Der Betrag ist zu groß: höchstens %(largest)s €. Bitte prüfen Sie die Stellen."
                ) % {"largest": largest}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("€", "").replace("EUR", "").replace(" ", "").strip()
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"\d{1,3}(\.\d{3})+", value):
                value = value.replace(".", "")
        return super().to_python(value)


def _euro_text(value):
    """12345.5 -> "12.345,50"."""
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


class GoalChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"Handlungsfeld {obj.field_of_action.number}: {obj.title}"

    def _check_values(self, value):
        # An id the database cannot hold (999…9, "²") is no goal; without this check the
        # "id IN (…)" query fails at the database instead of being a validation error.
        for pk in value:
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(pk)[:20]},
                )
        return super()._check_values(value)


class MeasureForm(HelpfulFieldsMixin, forms.ModelForm):
    planned_start = MonthField(label=_("geplanter Beginn"), required=False)
    planned_end = MonthField(label=_("geplantes Ende"), required=False)
    # The version the user started editing from (optimistic locking).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = [
            "title",
            "summary",
            "description",
            "lead_municipality",
            "field_of_action",
            "goals",
            "for_citizens",
            "for_businesses",
            "for_administration",
            "status",
            "priority",
            "planned_start",
            "planned_end",
            "task_kind",
            "budget_product",
            "funding_source",
            "contact_name",
            "contact_role",
            "contact_email",
            "leika_key",
        ]
        field_classes = {"goals": GoalChoiceField, "leika_key": ServiceKeyField}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 6}),
            "goals": forms.CheckboxSelectMultiple,
            # The service search turns the field into a combobox (static/js/service_combobox.js);
            # without JavaScript the key or a service's exact name is typed (ServiceKeyField).
            "leika_key": forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "data-service-search": reverse_lazy("procedures:service_search"),
                    "data-service-name": "leika-service",
                }
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self._was_new = self.instance.pk is None
        lead = self.fields["lead_municipality"]
        lead.queryset = rules.editable_municipalities(user).order_by("tree_path")
        lead.empty_label = _("– bitte wählen –")
        if not self.instance.pk and not self.is_bound:
            # Preselect the body when the user acts for exactly one.
            bodies = list(lead.queryset[:2])
            if len(bodies) == 1:
                self.initial["lead_municipality"] = bodies[0].pk
        self.fields["task_kind"].choices = [("", _("– noch nicht angegeben –")), *TaskKind.choices]
        self.fields["field_of_action"].queryset = FieldOfAction.objects.all()
        self.fields["field_of_action"].empty_label = _("– bitte wählen –")
        self.fields["goals"].queryset = Goal.objects.select_related("field_of_action")
        self.fields["goals"].help_text = _(
            "Nur Ziele des gewählten Handlungsfelds. Fehlt ein Ziel, wenden Sie sich an die "
            "Koordinierungsstelle."
        )
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        # No character counter: the key has exactly 14 digits, and with the service search the
        # field takes a service's name to search for.
        self.fields["leika_key"].widget.attrs.pop("data-maxlength", None)
        self.fields["leika_key"].help_text = _(
            "Optional: der 14-stellige Schlüssel des Leistungskatalogs oder der genaue Name der "
            "Leistung, z. B. „Gewerbe anmelden“."
        )
        self._note_catalogue()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Worum geht es?"),
                "title",
                "summary",
                "description",
            ),
            Fieldset(
                _("Einordnung"),
                columns("lead_municipality", "field_of_action"),
                "goals",
                HTML(
                    '<p id="goals-empty-hint" class="form-text" hidden>'
                    "Für dieses Handlungsfeld sind noch keine Ziele festgelegt.</p>"
                ),
            ),
            Fieldset(
                _("Zielgruppen"),
                columns("for_citizens", "for_businesses", "for_administration"),
            ),
            Fieldset(
                _("Stand und Zeitplan"),
                columns("status", "priority", "planned_start", "planned_end"),
            ),
            Fieldset(
                _("Finanzen"),
                columns("task_kind", "budget_product", "funding_source"),
            ),
            Fieldset(
                _("Ansprechperson und OZG-Bezug"),
                columns("contact_name", "contact_role", "contact_email"),
                "leika_key",
                HTML(
                    '<p id="leika-service" class="form-text">{% if form.leika_service %}'
                    "Gewählte Leistung: <strong>{{ form.leika_service.name }}</strong>"
                    "{% endif %}</p>"
                ),
            ),
            "version",
        )

    def _note_catalogue(self):
        """A LeiKa key not in the catalogue gets a warning, not an error; a known key's service
        is named below the field."""
        key = self.data.get("leika_key", "").strip() if self.is_bound else self.instance.leika_key
        if key and not key.isdigit():
            key = key_for_name(key) or key  # a service's exact name (ServiceKeyField)
        self.leika_service, note = catalogue_note(key)
        self.leika_warning = bool(note) and self.leika_service is None
        if self.leika_warning:
            field = self.fields["leika_key"]
            field.help_text = f"{field.help_text} {note}"

    def _save_m2m(self):
        """After the measure and its goals are saved: rescore its similarity after commit
        when anything the synergy finder reads has changed (or the measure is new)."""
        super()._save_m2m()

        if self._was_new or SIMILARITY_FIELDS & set(self.changed_data):
            # Read by the message after saving (measures.views.synergy.similar_message).
            self.instance._similarity_requested_at = timezone.now()
            recompute_on_commit(self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        field = cleaned.get("field_of_action")
        goals = cleaned.get("goals")
        if field and goals:
            foreign = [g for g in goals if g.field_of_action_id != field.pk]
            if foreign:
                self.add_error(
                    "goals",
                    _("Diese Ziele gehören nicht zum gewählten Handlungsfeld: %s")
                    % ", ".join(g.title for g in foreign),
                )
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("Das Ende darf nicht vor dem Beginn liegen."))
        if cleaned.get("status") == Status.COMPLETED and not end:
            self.add_error(
                "planned_end", _("Bitte geben Sie für eine abgeschlossene Maßnahme das Ende an.")
            )
        return cleaned


class GuardedCountsMixin:
    """Counts outside 0 <= initial <= total (crafted or garbled) void the formset's rows.

    Django accepts negative and oversized counts; a negative initial count would turn the
    existing rows into new ones (and a unique-constraint error on save). The formset's
    ``missing_management_form`` message says in German what to do.
    """

    row_gone_message = _(
        "Diese Zeile gibt es nicht mehr, oder sie gehört nicht hierher. Bitte laden Sie die "
        "Seite neu."
    )

    def clean(self):
        """A stored row's id that is not among this formset's rows (deleted meanwhile, or
        crafted: another measure's row) is refused at the row instead of being skipped."""
        for form in self.initial_forms:
            if form.instance.pk is None and form.has_changed():
                form.add_error(None, self.row_gone_message)
        super().clean()

    @cached_property
    def management_form(self):
        form = super().management_form
        if self.is_bound and form.is_valid():
            total = form.cleaned_data[TOTAL_FORM_COUNT]
            initial = form.cleaned_data[INITIAL_FORM_COUNT]
            if not 0 <= initial <= total:
                form.add_error(None, self.error_messages["missing_management_form"])
                form.cleaned_data.update({TOTAL_FORM_COUNT: 0, INITIAL_FORM_COUNT: 0})
        return form


class CostPlanYearForm(HelpfulFieldsMixin, forms.ModelForm):
    year = forms.IntegerField(
        label=_("Haushaltsjahr"),
        required=False,
        min_value=FIRST_BUDGET_YEAR,
        max_value=LAST_BUDGET_YEAR,
        error_messages={
            "min_value": _("Bitte geben Sie ein Haushaltsjahr von 2000 bis 2100 an."),
            "max_value": _("Bitte geben Sie ein Haushaltsjahr von 2000 bis 2100 an."),
        },
    )

    class Meta:
        model = CostPlanYear
        fields = ["year", *PLAN_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "class": "form-control"}
        )
        self.fields["year"].widget.input_type = "text"
        for name in PLAN_FIELDS:
            model_field = CostPlanYear._meta.get_field(name)
            if name.startswith("staff_"):
                field = forms.DecimalField(
                    label=model_field.verbose_name,
                    required=False,
                    min_value=Decimal("0"),
                    max_value=MAX_FTE,
                    max_digits=5,
                    decimal_places=2,
                    localize=True,
                    error_messages={
                        "min_value": _("Bitte geben Sie keine negativen Stellenanteile an."),
                        "max_value": _("Höchstens 999,99 Vollzeitäquivalente (VZÄ)."),
                        "max_digits": _("Höchstens 999,99 Vollzeitäquivalente (VZÄ)."),
                        "max_whole_digits": _("Höchstens 999,99 Vollzeitäquivalente (VZÄ)."),
                        "max_decimal_places": _("Höchstens zwei Nachkommastellen, z. B. 0,25."),
                    },
                )
                field.widget.attrs["inputmode"] = "decimal"
            else:
                field = EuroField(
                    label=model_field.verbose_name,
                    required=False,
                    max_digits=MONEY_DIGITS,
                    max_value=MAX_AMOUNT,
                )
            field.widget.attrs["class"] = "form-control"
            field.initial = self.fields[name].initial
            self.fields[name] = field
        # HelpfulFieldsMixin ran before the fields were replaced; the year keeps its messages.
        self.fields["year"].error_messages["invalid"] = _(
            "Bitte geben Sie das Haushaltsjahr vierstellig an, z. B. 2027."
        )

    def has_values(self):
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) is not None for name in PLAN_FIELDS)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("year") is None and self.has_values() and "year" not in self.errors:
            self.add_error("year", _("Bitte geben Sie das Haushaltsjahr dieser Zeile an."))
        return cleaned


class BaseCostPlanFormSet(GuardedCountsMixin, forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": _("Bitte tragen Sie höchstens %(num)d Haushaltsjahre ein."),
        "missing_management_form": _(
            "Der Kostenplan wurde unvollständig übermittelt. Bitte laden Sie die Seite neu und "
            "tragen Sie die Haushaltsjahre erneut ein."
        ),
    }

    def validate_unique(self):
        """Years entered twice are reported in clean() at the row, in German."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        seen = {}
        for number, form in enumerate(self.forms, start=1):
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            year = form.cleaned_data.get("year")
            if year is None:
                continue
            if year in seen:
                form.add_error(
                    "year",
                    _("Das Haushaltsjahr %(year)s steht schon in Zeile %(row)s.")
                    % {"year": year, "row": seen[year]},
                )
            else:
                seen[year] = number

    def kept_rows(self):
        """The rows as they will be stored: dicts of the plan's fields, without deleted ones
        and rows left empty. Call after is_valid()."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("year") is None:
                continue
            rows.append({name: data.get(name) for name in ("year", *PLAN_FIELDS)})
        return rows

    # Who the history names for the rows saved (set where no request names the user: the
    # import in the background or on the command line).
    history_user = None

    def save(self, commit=True):
        """Deleted rows go first, and a row whose year changed is stored anew: a swap of two
        years, or a year moved to one just removed, never meets the unique constraint."""
        if not commit:
            return super().save(commit=False)
        if self.history_user is not None:
            for form in self.forms:
                form.instance._history_user = self.history_user
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        keep, moved = [], []
        for form in self.initial_forms:
            obj = form.instance
            data = getattr(form, "cleaned_data", None) or {}
            if form in self.deleted_forms or data.get("year") is None:
                if obj.pk is not None:
                    self.deleted_objects.append(obj)
                    obj.delete()
            elif form.has_changed():
                if "year" in form.changed_data:
                    moved.append(form)
                    self.deleted_objects.append(obj)
                    obj.delete()
                else:
                    keep.append(form)
        for form in keep:
            self.changed_objects.append((form.save(), form.changed_data))
        # A year saved by someone else since this form was loaded (the user saw the conflict
        # page and saves on purpose): the typed row wins, as the measure's own fields do.
        stored = {row.year: row for row in CostPlanYear.objects.filter(measure=self.instance)}
        for form in [*moved, *self.extra_forms]:
            data = getattr(form, "cleaned_data", None) or {}
            if form in self.deleted_forms or data.get("year") is None:
                continue
            row = stored.get(data["year"]) or CostPlanYear(measure=self.instance)
            for name in ("year", *PLAN_FIELDS):
                setattr(row, name, data.get(name))
            if self.history_user is not None:
                row._history_user = self.history_user
            row.save()
            self.new_objects.append(row)
        return [*[obj for obj, _changed in self.changed_objects], *self.new_objects]


CostPlanFormSet = inlineformset_factory(
    Measure,
    CostPlanYear,
    form=CostPlanYearForm,
    formset=BaseCostPlanFormSet,
    fk_name="measure",
    extra=1,
    can_delete=True,
    # 2000..2100: no plan has more years.
    max_num=101,
    absolute_max=101,
)


class PartnershipForm(HelpfulFieldsMixin, forms.ModelForm):
    cost_share_percent = forms.DecimalField(
        label=_("Kostenanteil in %"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
    )

    class Meta:
        model = Partnership
        fields = ["municipality", "cost_share_percent"]

    def __init__(self, *args, bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        field.queryset = Municipality.objects.order_by("tree_path")
        field.empty_label = _("– keine –")
        if bodies is not None:
            bodies.share_with(field)


class SharedChoices(BaseChoiceIterator):
    """The choices of a model choice field, read once and offered by every row of a formset.

    Each row's select otherwise counts and lists the bodies anew (two queries per row).
    Read only when a row is rendered: validating (the import, say) needs no list.
    """

    def __init__(self):
        self.field = None
        self.rows = None

    def share_with(self, field):
        self.field = self.field or field
        field.choices = self  # also the widget's

    def __iter__(self):
        if self.rows is None:
            self.rows = list(self.field.iterator(self.field))
        return iter(self.rows)


class BasePartnershipFormSet(GuardedCountsMixin, forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": _("Bitte tragen Sie höchstens %(num)d beteiligte Kommunen ein."),
        "missing_management_form": _(
            "Die Liste der beteiligten Kommunen wurde unvollständig übermittelt. Bitte laden "
            "Sie die Seite neu und tragen Sie die beteiligten Kommunen erneut ein."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = self.queryset.select_related("municipality")  # each row names its body

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "bodies": self.bodies}

    @cached_property
    def bodies(self):
        return SharedChoices()

    def validate_unique(self):
        """Duplicates are reported in clean() with a German message naming the row."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        lead = getattr(self, "lead_municipality", None)
        # Partners saved meanwhile by someone else (not among this form's rows) stay: a new
        # row for one of them would be a second entry of the same body.
        shown = {form.instance.pk for form in self.initial_forms if form.instance.pk}
        others = {}
        if self.instance.pk:
            others = dict(
                Partnership.objects.filter(measure=self.instance)
                .exclude(pk__in=shown)
                .values_list("municipality_id", "cost_share_percent")
            )
        seen = set(others)
        total = sum((share or 0 for share in others.values()), Decimal("0"))
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            municipality = form.cleaned_data.get("municipality")
            if municipality is None:
                continue
            if lead is not None and municipality.pk == lead.pk:
                form.add_error(
                    "municipality",
                    _("Die federführende Kommune kann nicht zugleich beteiligt sein."),
                )
            if municipality.pk in others and form.instance.pk is None:
                form.add_error(
                    "municipality",
                    _(
                        "Diese Kommune ist bereits beteiligt: jemand anderes hat sie inzwischen "
                        "eingetragen. Bitte leeren Sie diese Zeile; den Kostenanteil können Sie "
                        "danach im vorhandenen Eintrag ändern."
                    ),
                )
            elif municipality.pk in seen:
                form.add_error("municipality", _("Diese Kommune ist bereits beteiligt."))
            seen.add(municipality.pk)
            declined = form.instance.pk and form.instance.state == PartnershipState.DECLINED
            if not declined or form.has_changed():
                total += form.cleaned_data.get("cost_share_percent") or 0
        if total > 100:
            raise forms.ValidationError(
                _(
                    "Die Kostenanteile der Beteiligten ergeben zusammen mehr als 100 %% "
                    "(%(total)s %%). Bitte verringern Sie einzelne Anteile."
                )
                % {"total": f"{total:.2f}".rstrip("0").rstrip(".").replace(".", ",")}
            )

    def save(self, commit=True):
        """New partners start "angefragt"; a changed partner or cost share asks again.

        The partner body's editors are told by e-mail after the commit.
        """
        asked_again = []
        for form in self.initial_forms:
            if form in self.deleted_forms or not form.has_changed():
                continue
            if {"municipality", "cost_share_percent"} & set(form.changed_data):
                partnership = form.instance
                partnership.state = PartnershipState.REQUESTED
                partnership.requested_at = timezone.now()
                partnership.decided_at = partnership.decided_by = None
                partnership.decline_reason = ""
                partnership.reminded_at = None
                partnership.clear_on_behalf()
                asked_again.append(partnership)
        saved = super().save(commit)
        #: The partnerships asked (again) by this save, for the confirmation (who was told).
        self.asked = [*self.new_objects, *asked_again] if commit else []
        if commit:
            for partnership in self.asked:
                notify_request(partnership.pk)
            if self.new_objects or self.deleted_objects or asked_again:
                # Partners are no longer suggested as similar (and removed ones again are).
                recompute_on_commit(self.instance.pk)
        return saved


PartnershipFormSet = inlineformset_factory(
    Measure,
    Partnership,
    form=PartnershipForm,
    formset=BasePartnershipFormSet,
    fk_name="measure",
    extra=2,
    can_delete=True,
    # Far more than there are bodies in the district; a crafted larger count is refused.
    max_num=200,
    absolute_max=200,
)


SORT_CHOICES = [
    ("-updated_at", _("zuletzt geändert")),
    ("title", _("Titel (A–Z)")),
    ("lead_municipality__tree_path", _("federführende Kommune")),
    ("field_of_action__number", _("Handlungsfeld")),
    ("status", _("Umsetzungsstand")),
    ("planned_start", _("Beginn (früheste zuerst)")),
    ("-budget_planned", _("Budget (höchstes zuerst)")),
]


# The public sorts by the published values (measures.models.MeasureQuerySet.published_values
# and the public_* columns), never by unreviewed edits.
PUBLIC_SORT = {
    "updated_at": "public_changed_at",
    "title": "published_title",
    "lead_municipality__tree_path": "public_lead__tree_path",
    "field_of_action__number": "public_field__number",
    "status": "published_status",
    "planned_start": "published_start",
    "budget_planned": "published_budget",
}


class MeasureFilterForm(forms.Form):
    q = forms.CharField(label=_("Suche"), required=False, max_length=200)
    field = forms.ModelChoiceField(
        label=_("Handlungsfeld"),
        queryset=FieldOfAction.objects.all(),
        required=False,
        empty_label=_("alle"),
        to_field_name="slug",
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.order_by("tree_path"),
        required=False,
        empty_label=_("alle"),
        to_field_name="slug",
    )
    status = forms.ChoiceField(
        label=_("Umsetzungsstand"), choices=[("", _("alle")), *Status.choices], required=False
    )
    review = forms.ChoiceField(
        label=_("Prüfung"), choices=[("", _("alle")), *ReviewState.choices], required=False
    )
    sort = forms.ChoiceField(label=_("Sortierung"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, internal=False, presentation=None, **kwargs):
        """``internal``: the review state is a filter (the public never sees it).
        ``presentation``: the Vorlage the Kreistag has now (measures.publication); its
        measures are a filter, shown as presented."""
        super().__init__(*args, **kwargs)
        self.internal = internal
        self.presentation = presentation
        if not internal:
            del self.fields["review"]
        if presentation is not None:
            self.fields["vorgelegt"] = forms.ChoiceField(
                label=_("Vorlage an den Kreistag"),
                choices=[
                    ("", _("alle Maßnahmen")),
                    ("1", _("Maßnahmen der Vorlage (%s)") % presentation.label),
                ],
                required=False,
            )
            self.order_fields(["vorgelegt", "q"])
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css
        self.fields["q"].widget.attrs["type"] = "search"
        self.fields["q"].widget.input_type = "search"

    @property
    def presented_only(self):
        """Is the list restricted to the measures of the Vorlage? (Only once validated.)"""
        return self.presentation is not None and self.cleaned_data.get("vorgelegt") == "1"

    def filter(self, queryset, public=False):
        """Apply the filter. ``public``: on the published version of each measure. The
        measures of the Vorlage are filtered and sorted as presented, for everyone."""
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if self.presented_only:
            queryset = queryset.in_latest_presentation(self.presentation)
            public = True
        queryset = queryset.search(data.get("q"), public=public)
        if public:
            queryset = queryset.published_values()
        if data.get("field"):
            key = "public_field" if public else "field_of_action"
            queryset = queryset.filter(**{key: data["field"]})
        if data.get("municipality"):
            queryset = queryset.led_by_or_partnered(data["municipality"], public=public)
        if data.get("status"):
            key = "published_status" if public else "status"
            queryset = queryset.filter(**{key: data["status"]})
        if data.get("review") and self.internal:
            queryset = queryset.filter(review_state=data["review"])
        sort = data.get("sort") or "-updated_at"
        if public:
            descending, key = sort.startswith("-"), sort.lstrip("-")
            sort = ("-" if descending else "") + PUBLIC_SORT[key]
        return queryset.order_by(sort, "pk")


def review_text(raw):
    """A comment of the review thread as typed, or ReviewError with a German reason.

    The review views take the comment straight from the POST data, without a form; the check
    itself is ``review.storable_text``, which every review step applies as well.
    """
    return storable_text(raw, _("Der Kommentar"))


class OnBehalfAnswerForm(HelpfulFieldsMixin, forms.Form):
    """The coordinator records a body's answer to a partnership request on its behalf, with
    the source it relies on (``measures.partnerships.clean_source``)."""

    body = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        label=_("Antwort der Kommune"),
        choices=[
            ("confirm", _("Die Kommune stimmt der Beteiligung zu")),
            ("decline", _("Die Kommune lehnt die Beteiligung ab")),
        ],
        widget=forms.RadioSelect,
    )
    source = forms.ChoiceField(
        label=_("Quelle der Antwort"), choices=AnswerSource.choices, widget=forms.RadioSelect
    )
    source_date = forms.DateField(
        label=_("Datum der Quelle"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Datum des Schreibens, des Ratsbeschlusses oder der E-Mail."),
    )
    reason = forms.CharField(
        label=_("Begründung der Ablehnung (bei Ablehnung Pflichtangabe)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wie von der Kommune mitgeteilt; die Federführung liest sie."),
    )

    def __init__(self, *args, partnership, **kwargs):
        self.partnership = partnership
        kwargs.setdefault("initial", {}).setdefault("body", partnership.municipality_id)
        super().__init__(*args, **kwargs)

    def clean_body(self):
        body = self.cleaned_data["body"]
        if body != self.partnership.municipality_id:
            raise forms.ValidationError(
                _(
                    "Die Anfrage gilt %(body)s. Eine Antwort für eine andere Kommune kann hier "
                    "nicht eingetragen werden. Bitte laden Sie die Seite neu."
                )
                % {"body": self.partnership.municipality.label}
            )
        return body

    def clean_reason(self):
        try:
            return storable_text(self.cleaned_data.get("reason"), _("Die Begründung"))
        except ReviewError as refusal:
            raise forms.ValidationError(str(refusal)) from refusal

    def clean(self):
        cleaned = super().clean()
        if "source" in cleaned and "source_date" in cleaned:
            try:
                cleaned["source_obj"] = clean_source(cleaned["source"], cleaned["source_date"])
            except ReviewError as refusal:
                self.add_error("source_date", str(refusal))
        if cleaned.get("action") == "decline" and "reason" in cleaned and not cleaned["reason"]:
            self.add_error(
                "reason",
                _(
                    "Bitte geben Sie die Begründung der Kommune an, damit die Federführung sie "
                    "versteht."
                ),
            )
        return cleaned


class FundingEntryForm(HelpfulFieldsMixin, forms.ModelForm):
    year = forms.IntegerField(
        label=_("Haushaltsjahr"),
        min_value=FIRST_BUDGET_YEAR,
        max_value=LAST_BUDGET_YEAR,
        error_messages={
            "min_value": _("Bitte geben Sie ein Haushaltsjahr von 2000 bis 2100 an."),
            "max_value": _("Bitte geben Sie ein Haushaltsjahr von 2000 bis 2100 an."),
        },
    )
    rate_percent = forms.DecimalField(
        label=_("Förderquote in %"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        error_messages={
            "min_value": _("Die Förderquote liegt zwischen 0 und 100 %%."),
            "max_value": _("Die Förderquote liegt zwischen 0 und 100 %%."),
            "max_digits": _("Die Förderquote liegt zwischen 0 und 100 %%."),
            "max_whole_digits": _("Die Förderquote liegt zwischen 0 und 100 %%."),
            "max_decimal_places": _("Höchstens zwei Nachkommastellen, z. B. 62,5."),
        },
    )
    amount = EuroField(label=_("Betrag (EUR)"), max_digits=MONEY_DIGITS, max_value=MAX_AMOUNT)

    class Meta:
        model = FundingEntry
        fields = [
            "programme",
            "year",
            "rate_percent",
            "amount",
            "state",
            "applied_on",
            "decided_on",
            "settled_on",
            "proof_due",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("applied_on", "decided_on", "settled_on", "proof_due")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = FundingProgramme.objects.filter(is_active=True)
        if self.instance.pk and self.instance.programme_id:
            # A retired programme stays selectable on the entries that name it.
            programmes = FundingProgramme.objects.filter(
                Q(is_active=True) | Q(pk=self.instance.programme_id)
            )
        self.fields["programme"].queryset = programmes.order_by("name")
        self.fields["programme"].empty_label = _("– bitte wählen –")
        self.fields["year"].widget.input_type = "text"
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["year"].error_messages["invalid"] = _(
            "Bitte geben Sie das Haushaltsjahr vierstellig an, z. B. 2027."
        )
        for name in ("applied_on", "decided_on", "settled_on", "proof_due"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            elif not isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-control form-control-sm"


class BaseFundingFormSet(GuardedCountsMixin, forms.BaseInlineFormSet):
    default_error_messages = {
        "too_many_forms": _("Bitte tragen Sie höchstens %(num)d Förderungen ein."),
        "missing_management_form": _(
            "Die Förderungen wurden unvollständig übermittelt. Bitte laden Sie die Seite neu "
            "und tragen Sie die Förderungen erneut ein."
        ),
    }


FundingFormSet = inlineformset_factory(
    Measure,
    FundingEntry,
    form=FundingEntryForm,
    formset=BaseFundingFormSet,
    fk_name="measure",
    extra=1,
    can_delete=True,
    max_num=100,
    absolute_max=100,
)


class FundingProgrammeForm(HelpfulFieldsMixin, forms.ModelForm):
    url = forms.URLField(label=_("Internetadresse"), required=False, assume_scheme="https")

    class Meta:
        model = FundingProgramme
        fields = ["name", "funder", "url", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "is_active":
                field.widget.attrs["class"] = "form-control form-control-sm"


class BaseFundingProgrammeFormSet(GuardedCountsMixin, forms.BaseModelFormSet):
    default_error_messages = {
        "too_many_forms": _("Bitte tragen Sie höchstens %(num)d Programme auf einmal ein."),
        "missing_management_form": _(
            "Die Liste wurde unvollständig übermittelt. Bitte laden Sie die Seite neu."
        ),
    }

    def validate_unique(self):
        """Names entered twice are reported at the row, in German."""
        names = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            name = (data.get("name") or "").strip().casefold()
            if not name or data.get("DELETE"):
                continue
            if name in names:
                form.add_error("name", _("Dieses Programm steht schon in der Liste."))
            names[name] = True


FundingProgrammeFormSet = forms.modelformset_factory(
    FundingProgramme,
    form=FundingProgrammeForm,
    formset=BaseFundingProgrammeFormSet,
    extra=1,
    can_delete=False,
    max_num=500,
    absolute_max=500,
)
