from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    label = "measures"
    verbose_name = _("Maßnahmen")

    def ready(self):
        from core import dashboard, data_version

        from . import tasks  # noqa: F401 - services queue them by name (core.dispatch)
        from .models import CostPlanYear, FundingEntry, Measure, Partnership
        from .todo import cockpit_items, dashboard_tasks

        dashboard.register(dashboard_tasks)
        dashboard.register_cockpit(cockpit_items)
        # Cached figures (dashboards, evaluation roll-ups) are computed from these tables.
        data_version.watch(Measure, many_to_many=True)
        data_version.watch(Partnership)
        data_version.watch(CostPlanYear)
        data_version.watch(FundingEntry)
