from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    label = "evaluation"
    verbose_name = _("Evaluierung")

    def ready(self):
        from core import dashboard, data_version

        from .todo import dashboard_tasks

        dashboard.register(dashboard_tasks)
        # Services queue these tasks by name (core.dispatch): register them in this process.
        # The stored status follows every save of an indicator or a value (signals).
        from . import (
            stored_status,  # noqa: F401
            tasks,  # noqa: F401
        )

        # Cached roll-ups (evaluation.rollup_cache) are invalidated by every write of their data.
        data_version.connect()
