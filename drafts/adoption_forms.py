"""Forms of the adoption pages: a body's Vorlage and Beratungsfolge, adding a body."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.form_help import HelpfulFieldsMixin
from core.locking import StaleCheckMixin

from .adoption import check_extract, default_resolution
from .adoption_models import CouncilDecision, DecisionProcedure, DeliberationStep, StepRole
from .forms import DateInput
from .workflow import DraftError

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class ProcedureForm(StaleCheckMixin, HelpfulFieldsMixin, forms.ModelForm):
    class Meta:
        model = DecisionProcedure
        fields = ["document_number", "proposed_resolution"]
        widgets = {"proposed_resolution": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = default_resolution(self.instance.municipality)
        self.fields[
            "proposed_resolution"
        ].help_text = f"Leer lassen für den Standardtext: „{default}“"


class StepForm(HelpfulFieldsMixin, forms.ModelForm):
    class Meta:
        model = DeliberationStep
        fields = ["committee", "meeting_date", "public", "role"]
        widgets = {"meeting_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_date"].input_formats = DATE_FORMATS
        self.fields["role"].choices = StepRole.choices


class BaseStepFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": _("Bitte tragen Sie höchstens %(num)d Beratungsschritte ein."),
    }

    def steps(self):
        """The filled rows in their order, without those marked for removal."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("committee")
        ]


StepFormSet = forms.formset_factory(
    StepForm,
    formset=BaseStepFormSet,
    extra=1,
    can_delete=True,
    max_num=12,
    validate_max=True,
    # A crafted row count builds no more rows than that (Django's default would be 1,012,
    # each rendered again on the error page).
    absolute_max=12,
)


def step_initial(steps):
    return [
        {
            "committee": s.committee,
            "meeting_date": s.meeting_date,
            "public": s.public,
            "role": s.role,
        }
        for s in steps
    ]


class AddBodyForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label="Weitere beschließende Kommune",
        queryset=None,
        error_messages={
            "required": "Bitte wählen Sie eine Kommune.",
            "invalid_choice": (
                "Diese Kommune lässt sich nicht hinzufügen: Sie beschließt schon über diese "
                "Version oder gehört nicht zum Landkreis."
            ),
        },
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = bodies


class DecisionForm(HelpfulFieldsMixin, forms.ModelForm):
    """A council's decision with its Beschlussauszug; the file is checked here
    (drafts.adoption.check_extract) and its result kept in ``cleaned_data["extract"]``."""

    extract = forms.FileField(
        label="Beschlussauszug (PDF, höchstens 20 MB)",
        required=False,
        help_text="Der Auszug aus der Niederschrift der Sitzung, als PDF-Datei.",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    class Meta:
        model = CouncilDecision
        fields = ["decided_on", "outcome", "decision_number", "changes"]
        widgets = {
            "decided_on": DateInput(),
            "changes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].input_formats = DATE_FORMATS
        # Django's own checks would refuse a file name with a NUL byte in English, or cut it.
        self.fields["extract"].max_length = None
        self.fields["extract"].allow_empty_file = True

    def clean_extract(self):
        upload = self.cleaned_data.get("extract")
        if not upload:
            return None
        try:
            return check_extract(upload)
        except DraftError as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
