from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Legal and information pages: Impressum, privacy, accessibility, Leichte Sprache, DGS."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pages"
    label = "pages"
    verbose_name = "Rechtliches und Barrierefreiheit"
