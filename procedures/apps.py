from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    """Register of procedures and infrastructure per body; OZG services and their coverage."""

    name = "procedures"
    label = "procedures"
    verbose_name = "Fachverfahren und OZG-Leistungen"
    default_auto_field = "django.db.models.BigAutoField"
