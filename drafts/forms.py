from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core.form_help import HelpfulFieldsMixin
from core.locking import VERSION_FIELD, StaleCheckMixin
from fields_of_action.models import FieldOfAction

from .models import (
    DEADLINE_MONTHS,
    FieldIntroduction,
    SourceKind,
    Stance,
    StrategyDraft,
    add_months,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DraftForm(StaleCheckMixin, HelpfulFieldsMixin, forms.ModelForm):
    """Title, version, dates, the introduction and one introduction per field of action."""

    class Meta:
        model = StrategyDraft
        fields = [
            "title",
            "version_label",
            "resolution_date",
            "deadline",
            "proposed_resolution",
            "introduction",
            "easy_read_summary",
        ]
        widgets = {
            "resolution_date": DateInput(),
            "deadline": DateInput(),
            "proposed_resolution": forms.Textarea(attrs={"rows": 8}),
            "introduction": forms.Textarea(attrs={"rows": 8}),
            "easy_read_summary": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resolution_date"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        self.fields["deadline"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        self.fields_of_action = list(FieldOfAction.objects.order_by("number"))
        existing = {}
        if self.instance.pk:
            existing = {
                i.field_of_action_id: i.text for i in self.instance.field_introductions.all()
            }
        intro_names = []
        for field in self.fields_of_action:
            name = f"intro_{field.number}"
            self.fields[name] = forms.CharField(
                label=_("Einleitung zu Handlungsfeld %(number)s: %(title)s")
                % {"number": field.number, "title": field.short_title},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=existing.get(field.pk, ""),
            )
            intro_names.append(name)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                _("Version"),
                "title",
                Div(
                    Div("version_label", css_class="col-md-4"),
                    Div("resolution_date", css_class="col-md-4"),
                    Div("deadline", css_class="col-md-4"),
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Beschlussvorlage"), "proposed_resolution", "introduction", "easy_read_summary"
            ),
            Fieldset(_("Einleitungen zu den Handlungsfeldern"), *intro_names),
            VERSION_FIELD,
        )

    def clean(self):
        cleaned = super().clean()
        resolution, deadline = cleaned.get("resolution_date"), cleaned.get("deadline")
        if resolution and deadline and deadline < resolution:
            self.add_error("deadline", _("Die Frist kann nicht vor dem Beschluss liegen."))
        if resolution and not deadline and "deadline" not in self.errors:
            try:
                cleaned["deadline"] = add_months(resolution, DEADLINE_MONTHS)
            except (ValueError, OverflowError):
                # The default (six months later) would lie after the year 9999.
                self.add_error(
                    "deadline",
                    _(
                        "Bitte geben Sie die Frist an: sechs Monate nach dem Beschluss gibt es "
                        "kein gültiges Datum mehr. Ist das Beschlussdatum richtig?"
                    ),
                )
        return cleaned

    def save(self, commit=True):
        draft = super().save(commit=commit)
        if commit:
            self.save_introductions(draft)
        return draft

    def stored_extra(self, current):
        """The introductions as stored now, for the conflict table."""
        texts = dict(current.field_introductions.values_list("field_of_action__number", "text"))
        return {
            f"intro_{field.number}": texts.get(field.number, "") for field in self.fields_of_action
        }

    def save_introductions(self, draft):
        for field in self.fields_of_action:
            FieldIntroduction.objects.update_or_create(
                draft=draft,
                field_of_action=field,
                defaults={"text": self.cleaned_data.get(f"intro_{field.number}", "")},
            )


class DecisionForm(StaleCheckMixin, forms.ModelForm):
    class Meta:
        model = StrategyDraft
        fields = ["decision_date", "drucksache_number"]
        widgets = {"decision_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_date"].required = True
        self.fields["decision_date"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
        self.fields["drucksache_number"].required = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class ConsultationOpenForm(forms.Form):
    deadline = forms.DateField(
        label=_("Frist für die Stellungnahmen"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=_("Bis zu diesem Tag (einschließlich) können die Kommunen Stellung nehmen."),
        error_messages={
            "required": _("Bitte geben Sie eine Frist an."),
            "invalid": _("Bitte geben Sie ein Datum an, z. B. 31.01.2027."),
        },
    )
    confirm_late = forms.BooleanField(required=False)

    def __init__(self, *args, latest=(None, ""), **kwargs):
        """``latest``: (day, reason) from drafts.consultation.latest_deadline."""
        super().__init__(*args, **kwargs)
        self.latest, self.latest_reason = latest
        self.needs_confirmation = False

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("Die Frist kann nicht in der Vergangenheit liegen."))
        if deadline.year > timezone.localdate().year + 5:
            raise forms.ValidationError(_("Bitte wählen Sie eine Frist in den nächsten Jahren."))
        return deadline

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("deadline")
        if deadline and self.latest and deadline > self.latest:
            day = formats.date_format(deadline, "j. F Y")
            self.fields["confirm_late"].label = _(
                "Ja, die Frist soll trotzdem erst am %(day)s enden. Die Stellungnahmen sollten "
                "%(reason)s vorliegen; was danach eingeht, kann der Kreistag nicht mehr "
                "berücksichtigen."
            ) % {"day": day, "reason": self.latest_reason}
            self._bound_fields_cache.pop("confirm_late", None)  # bound with the old label
            if not cleaned.get("confirm_late"):
                self.needs_confirmation = True
                self.add_error(
                    "confirm_late",
                    _(
                        "Die Frist endet nach dem %(latest)s; die Stellungnahmen müssen "
                        "%(reason)s vorliegen. Wählen Sie eine frühere Frist oder bestätigen "
                        "Sie die spätere."
                    )
                    % {
                        "latest": formats.date_format(self.latest, "j. F Y"),
                        "reason": self.latest_reason,
                    },
                )
        return cleaned


class PositionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Stellungnahme der Kommune"),
        choices=Stance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie eine Stellungnahme.")},
    )
    text = forms.CharField(
        label=_("Begründung und Anmerkungen"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Bei „Zustimmung mit Anmerkungen“ und „Ablehnung“ bitte begründen. Höchstens "
            "10.000 Zeichen."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("stance") in (Stance.AGREE_WITH_REMARKS, Stance.OBJECT)
            and not (cleaned.get("text") or "").strip()
        ):
            self.add_error("text", _("Bitte begründen Sie die Stellungnahme."))
        return cleaned


class SourceForm(forms.Form):
    """Where a position the coordinator enters on a body's behalf comes from."""

    source_kind = forms.ChoiceField(
        label=_("Quelle"),
        choices=[("", _("– bitte wählen –")), *SourceKind.choices],
        error_messages={
            "required": _("Bitte geben Sie an, woher die Stellungnahme stammt."),
            "invalid_choice": _("Bitte wählen Sie Schreiben, Ratsbeschluss oder E-Mail."),
        },
    )
    source_date = forms.DateField(
        label=_("vom (Datum)"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "required": _("Bitte geben Sie das Datum der Quelle an."),
            "invalid": _("Bitte geben Sie ein Datum an, z. B. 03.12.2026."),
        },
    )

    def clean_source_date(self):
        day = self.cleaned_data["source_date"]
        if day.year < 1900 or day > timezone.localdate():
            raise forms.ValidationError(
                _("Das Datum der Quelle muss zwischen 1900 und heute liegen.")
            )
        return day

    def source(self):
        return self.cleaned_data["source_kind"], self.cleaned_data["source_date"]


SAME_AS_SAMTGEMEINDE = "same"


class MembersForm(forms.Form):
    """For each member Gemeinde a Samtgemeinde's editor may answer for: "wie die
    Samtgemeinde" (default) or its own position and text."""

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for body, initial in self.members:
            self.fields[f"{body.pk}-stance"] = forms.ChoiceField(
                label=_("Stellungnahme von %(body)s") % {"body": body},
                choices=[
                    (SAME_AS_SAMTGEMEINDE, _("wie die Samtgemeinde")),
                    *Stance.choices,
                ],
                widget=forms.RadioSelect,
                initial=(initial or {}).get("stance", SAME_AS_SAMTGEMEINDE),
                error_messages={
                    "required": _("Bitte wählen Sie eine Stellungnahme."),
                    "invalid_choice": _("Bitte wählen Sie eine der Stellungnahmen."),
                },
            )
            self.fields[f"{body.pk}-text"] = forms.CharField(
                label=_("Begründung von %(body)s") % {"body": body},
                required=False,
                max_length=10_000,
                initial=(initial or {}).get("text", ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def rows(self):
        return [
            (body, self[f"{body.pk}-stance"], self[f"{body.pk}-text"])
            for body, _initial in self.members
        ]

    def clean(self):
        cleaned = super().clean()
        for body, _initial in self.members:
            stance = cleaned.get(f"{body.pk}-stance")
            text = (cleaned.get(f"{body.pk}-text") or "").strip()
            if stance in (Stance.AGREE_WITH_REMARKS, Stance.OBJECT) and not text:
                self.add_error(f"{body.pk}-text", _("Bitte begründen Sie die Stellungnahme."))
        return cleaned

    def choices(self):
        """{member id: None ("wie die Samtgemeinde") or (stance, text)}."""
        result = {}
        for body, _initial in self.members:
            stance = self.cleaned_data[f"{body.pk}-stance"]
            text = self.cleaned_data[f"{body.pk}-text"].strip()
            result[body.pk] = None if stance == SAME_AS_SAMTGEMEINDE else (stance, text)
        return result


class RemarkForm(forms.Form):
    measure = forms.TypedChoiceField(label=_("Maßnahme"), coerce=int, required=False)
    text = forms.CharField(
        label=_("Anmerkung"),
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, measure_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", _("– Maßnahme wählen –")), *measure_choices]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("text", "").strip() and not cleaned.get("measure"):
            self.add_error("measure", _("Bitte wählen Sie die Maßnahme zu dieser Anmerkung."))
        if cleaned.get("measure") and not cleaned.get("text", "").strip():
            self.add_error("text", _("Bitte schreiben Sie die Anmerkung."))
        return cleaned


class BaseRemarkFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("Bitte geben Sie höchstens %(num)d Anmerkungen zu Maßnahmen ein."),
    }

    def clean(self):
        counts = self.management_form.cleaned_data
        if min(counts.get("TOTAL_FORMS", 0), counts.get("INITIAL_FORMS", 0)) < 0:
            raise forms.ValidationError(
                _("Das Formular kam unvollständig an. Bitte laden Sie die Seite neu.")
            )
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            measure = form.cleaned_data.get("measure")
            if measure in seen:
                raise forms.ValidationError(
                    _("Zu jeder Maßnahme bitte nur eine Anmerkung (fassen Sie sie zusammen).")
                )
            if measure:
                seen.add(measure)

    def remarks(self):
        return {
            form.cleaned_data["measure"]: form.cleaned_data["text"].strip()
            for form in self.forms
            if form.cleaned_data.get("measure")
        }


RemarkFormSet = forms.formset_factory(
    RemarkForm,
    formset=BaseRemarkFormSet,
    extra=3,
    max_num=100,
    validate_max=True,
    # A crafted row count builds no more rows than that (Django's default: 1,100).
    absolute_max=100,
)


class CouncilDocumentForm(StaleCheckMixin, forms.ModelForm):
    """What the cover of the Beschlussvorlage needs before the draft is presented."""

    class Meta:
        model = StrategyDraft
        fields = ["council_document_number", "committee_meeting_date", "council_meeting_date"]
        widgets = {"committee_meeting_date": DateInput(), "council_meeting_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("committee_meeting_date", "council_meeting_date"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]
            self.fields[name].error_messages["invalid"] = _(
                "Bitte geben Sie ein Datum an, z. B. 18.03.2027."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        committee, council = (
            cleaned.get("committee_meeting_date"),
            cleaned.get("council_meeting_date"),
        )
        if committee and council and council < committee:
            self.add_error(
                "council_meeting_date",
                _("Der Kreistag berät nach dem Kreisausschuss: bitte das Datum prüfen."),
            )
        return cleaned
