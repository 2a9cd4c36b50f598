from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    label = "evaluation"
    verbose_name = _("Evaluierung")

    def ready(self):
        from strategy_portal import dashboard, data_version

        from .todo import dashboard_tasks

        dashboard.register(dashboard_tasks)
        # The stored status follows every save of an indicator or a value (signals).
        from . import stored_status  # noqa: F401

        # Cached roll-ups (evaluation.rollup_cache) are invalidated by every write of their data.
        data_version.connect()
