from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "drafts"
    label = "drafts"
    verbose_name = _("Strategieentwürfe")

    def ready(self):
        from core import dashboard

        from .consultation import dashboard_tasks

        dashboard.register(dashboard_tasks)
        # Services queue these tasks by name (core.dispatch): register them in this process.
        from . import tasks  # noqa: F401
