from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    label = "evaluation"
    verbose_name = _("Evaluierung")

    def ready(self):
        from core import dashboard, data_version

        # stored_status: the stored status follows every save of an indicator or a value
        # (signals). tasks: services queue them by name (core.dispatch), so register them here.
        from . import stored_status, tasks  # noqa: F401
        from .models import Assessment, Indicator, Measurement
        from .todo import cockpit_items, dashboard_tasks

        dashboard.register(dashboard_tasks)
        dashboard.register_cockpit(cockpit_items)
        # The texts of indicators and assessments are part of a measure's reviewed and
        # published version (evaluation.published).
        from measures import publication, review

        from .published import PART, review_part, write_published

        review.register_part(PART, review_part)
        publication.register_publisher(write_published)
        # Cached roll-ups (evaluation.rollup_cache) are invalidated by every write of their data.
        data_version.watch(Indicator, Measurement, Assessment)
