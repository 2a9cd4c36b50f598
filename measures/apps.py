from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    label = "measures"
    verbose_name = _("Maßnahmen")

    def ready(self):
        from core import dashboard

        from .todo import dashboard_tasks

        dashboard.register(dashboard_tasks)
        # Services queue these tasks by name (core.dispatch): register them in this process.
        from . import tasks  # noqa: F401
