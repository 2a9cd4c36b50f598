from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DraftsConfig(AppConfig):
    name = "drafts"
    label = "drafts"
    verbose_name = _("Strategieentwürfe")

    def ready(self):
        from core import dashboard
        from measures import publication

        from . import tasks  # noqa: F401 - services queue them by name (core.dispatch)
        from .adoption import dashboard_tasks as adoption_tasks
        from .adoption import notices as adoption_notices
        from .consultation import dashboard_tasks
        from .presenting import presentations
        from .todo import cockpit_items

        dashboard.register(dashboard_tasks)
        dashboard.register(adoption_tasks)
        dashboard.register_notice(adoption_notices)
        publication.register_presentations(presentations)
        dashboard.register_cockpit(cockpit_items)
