"""Freeze the district's Sachstandsbericht, render its PDF and print the PDF's path."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from evaluation import report
from municipalities.models import Municipality, Role


def _day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"„{value}“ ist kein Datum der Form JJJJ-MM-TT.") from error


class Command(BaseCommand):
    help = (
        "Friert den Sachstandsbericht des Landkreises für einen Berichtszeitraum ein (Vorgabe: "
        "das Kalenderjahr), erzeugt das PDF sofort und gibt den Pfad der PDF-Datei aus."
    )

    def add_arguments(self, parser):
        parser.add_argument("title", help="Titel des Berichts")
        parser.add_argument("--period-start", type=_day, help="Beginn, JJJJ-MM-TT")
        parser.add_argument(
            "--body",
            help="Kennung (slug) einer Kommune: ihr Bericht statt des Berichts des Landkreises",
        )
        parser.add_argument(
            "--period-end", type=_day, help="Ende, JJJJ-MM-TT (Vorgabe: 31.12. des Beginns)"
        )

    def handle(self, *args, title, period_start, period_end, body=None, **options):
        translation.activate("de")
        today = timezone.localdate()
        # The calendar year: of the given start, else the current one.
        start = period_start or today.replace(month=1, day=1)
        end = period_end or start.replace(month=12, day=31)
        municipality = None
        if body:
            municipality = Municipality.objects.filter(slug=body).first()
            if municipality is None:
                raise CommandError(f"Es gibt keine Kommune mit der Kennung „{body}“.")
        try:
            built = report.build(title, start, end, user=self._coordinator(), body=municipality)
        except ValidationError as refusal:
            raise CommandError(" ".join(refusal.messages)) from refusal
        built = report.render(built)
        self.stderr.write(
            f"{built} eingefroren: {len(built.snapshot['measures'])} veröffentlichte aktive "
            f"Maßnahmen genannt, {built.snapshot['unlisted']} nicht veröffentlichte nur gezählt, "
            f"{built.pdf_pages} Seiten, SHA-256 {built.pdf_sha256}"
        )
        self.stdout.write(built.pdf.path)

    def _coordinator(self):
        users = get_user_model().objects.filter(is_active=True)
        return (
            users.filter(memberships__role=Role.COORDINATOR).order_by("pk").first()
            or users.filter(is_superuser=True).order_by("pk").first()
        )
