from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    label = "measures"
    verbose_name = _("Maßnahmen")

    def ready(self):
        from strategy_portal import dashboard

        from .todo import dashboard_tasks

        dashboard.register(dashboard_tasks)
