from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldsOfActionConfig(AppConfig):
    name = "fields_of_action"
    label = "fields_of_action"
    verbose_name = _("Handlungsfelder")
