"""Create the first coordinator in production and print the link to set a password."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from municipalities.models import Municipality, MunicipalityKind, Role
from people import services


class Command(BaseCommand):
    help = (
        "Legt eine Person der Koordinierungsstelle an (Mitgliedschaft im Landkreis) und gibt "
        "den Link zum Festlegen des Passworts aus."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="dienstliche E-Mail-Adresse, zugleich Benutzername")
        parser.add_argument("--first-name", default="", help="Vorname")
        parser.add_argument("--last-name", default="", help="Nachname")

    def handle(self, *args, email, first_name, last_name, **options):
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Keine gültige E-Mail-Adresse: {email}") from error
        district = (
            Municipality.objects.filter(kind=MunicipalityKind.DISTRICT).order_by("pk").first()
        )
        if district is None:
            raise CommandError(
                "Es gibt noch keinen Landkreis. Lesen Sie zuerst die Kommunen ein "
                "(manage.py import_municipalities, siehe README)."
            )
        email = email.strip().lower()
        users = get_user_model().objects
        with transaction.atomic():
            user = users.filter(email__iexact=email).first() or users.filter(username=email).first()
            if user is None:
                user, token = services.invite(
                    actor=None,
                    first_name=first_name,
                    last_name=last_name,
                    email=email,
                    municipality=district,
                    role=Role.COORDINATOR,
                )
                self.stdout.write(f"Konto {user.username} angelegt (Koordinierungsstelle).")
            else:
                if not user.memberships.filter(role=Role.COORDINATOR).exists():
                    services.add_role(
                        actor=None, user=user, municipality=district, role=Role.COORDINATOR
                    )
                    self.stdout.write(f"{user.username}: Rolle Koordinierungsstelle vergeben.")
                else:
                    self.stdout.write(f"{user.username} gehört schon zur Koordinierungsstelle.")
                if not user.is_active:
                    services.reactivate(actor=None, user=user)
                token = services.resend_invitation(actor=None, user=user)
        hours = services.settings.PEOPLE_INVITATION_HOURS
        self.stdout.write(f"Link zum Festlegen des Passworts (gültig {hours} Stunden, nur einmal):")
        self.stdout.write(services.invitation_link(token))
