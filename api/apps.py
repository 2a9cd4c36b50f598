from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    label = "api"
    verbose_name = _("Schnittstellen (API und offene Daten)")

    def ready(self):
        from . import checks, schema  # noqa: F401 - register the system check, OpenAPI extension
