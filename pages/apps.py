from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The front door and the legal and information pages: home, navigation, Impressum,
    privacy, accessibility, Leichte Sprache, DGS."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
    label = "pages"
    verbose_name = "Rechtliches und Barrierefreiheit"

    def ready(self):
        # Register the app's Celery tasks in this process, as every app with tasks does.
        from . import tasks  # noqa: F401
