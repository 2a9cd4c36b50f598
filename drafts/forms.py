from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from fields_of_action.models import FieldOfAction

from .models import DEADLINE_MONTHS, FieldIntroduction, StrategyDraft, add_months


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DraftForm(forms.ModelForm):
    """Title, version, dates, the introduction and one introduction per field of action."""

    class Meta:
        model = StrategyDraft
        fields = ["title", "version_label", "resolution_date", "deadline", "introduction"]
        widgets = {
            "resolution_date": DateInput(),
            "deadline": DateInput(),
            "introduction": forms.Textarea(attrs={"rows": 8}),
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
            Fieldset(_("Einleitung"), "introduction"),
            Fieldset(_("Einleitungen zu den Handlungsfeldern"), *intro_names),
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
            for field in self.fields_of_action:
                FieldIntroduction.objects.update_or_create(
                    draft=draft,
                    field_of_action=field,
                    defaults={"text": self.cleaned_data.get(f"intro_{field.number}", "")},
                )
        return draft


class DecisionForm(forms.ModelForm):
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
