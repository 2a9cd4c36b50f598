from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "drafts"
    label = "drafts"
    verbose_name = _("Strategieentwürfe")

    def ready(self):
        from strategy_portal import dashboard

        from .consultation import dashboard_tasks

        dashboard.register(dashboard_tasks)
