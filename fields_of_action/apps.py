from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldsOfActionConfig(AppConfig):
    name = "fields_of_action"
    label = "fields_of_action"
    verbose_name = _("Handlungsfelder")

    def ready(self):
        from core import data_version

        from .models import FieldOfAction

        # Cached figures (dashboards, evaluation roll-ups) are counted by field of action.
        data_version.watch(FieldOfAction)
