from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People and roles, managed by the coordinator in the portal: invitations, roles, log."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    label = "people"
    verbose_name = "Personen und Rollen"
