from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from core.locking import StaleCheckMixin

from .models import Goal


class GoalForm(StaleCheckMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, field_of_action, **kwargs):
        super().__init__(*args, **kwargs)
        self.field_of_action = field_of_action
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Ziel speichern"))

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        duplicate = Goal.objects.filter(field_of_action=self.field_of_action, title__iexact=title)
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(
                "Dieses Handlungsfeld hat bereits ein Ziel mit diesem Titel."
            )
        return title
