"""Export the measures as Excel (.xlsx) or CSV (.csv: a second file for the partners)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from measures.exchange.csv_format import write_csv, write_zip
from measures.exchange.sheets import Lookups, build_export
from measures.exchange.xlsx_format import write_xlsx
from measures.models import Measure
from measures.permissions import visible_measures
from municipalities import rules
from municipalities.models import Municipality


def partners_path(path):
    """massnahmen.csv -> massnahmen_beteiligte.csv (the export's second CSV file)."""
    path = Path(path)
    return path.with_name(f"{path.stem}_beteiligte{path.suffix}")


class Command(BaseCommand):
    help = (
        "Exportiert Maßnahmen als Excel (.xlsx), CSV (.csv, dazu <name>_beteiligte.csv) oder "
        "als Zip-Archiv der CSV-Dateien mit Kostenplan und Förderungen (.zip). Ohne --user alle "
        "Maßnahmen."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Zieldatei, .xlsx, .csv oder .zip")
        parser.add_argument(
            "--user", help="Nur was diese Person sehen darf; 'anonymous' für die Öffentlichkeit"
        )
        parser.add_argument(
            "--kommune",
            help="Nur Maßnahmen, die diese Kommune (Kürzel) führt oder an denen sie beteiligt "
            "ist; ohne Maßnahmen ist die Datei die Vorlage zum Erfassen",
        )

    def handle(self, *args, path, user=None, kommune=None, **options):
        path = Path(path)
        if path.suffix.lower() not in (".xlsx", ".csv", ".zip"):
            raise CommandError("Die Zieldatei muss auf .xlsx, .csv oder .zip enden.")
        if user is None:
            measures, public = Measure.objects.all(), False
        else:
            person = self.person(user)
            measures, public = visible_measures(person), not rules.is_internal(person)
        if kommune:
            body = Municipality.objects.filter(slug=kommune).first()
            if body is None:
                raise CommandError(f"Eine Kommune mit dem Kürzel „{kommune}“ gibt es nicht.")
            measures = measures.led_by_or_partnered(body)
        lookups = Lookups()
        exported = build_export(measures, public=public, lookups=lookups)
        if path.suffix.lower() == ".xlsx":
            path.write_bytes(write_xlsx(exported, lookups))
            written = [path]
        elif path.suffix.lower() == ".zip":  # the four CSV files, cost plan and funding too
            path.write_bytes(write_zip(exported, path.stem))
            written = [path]
        else:
            second = partners_path(path)
            path.write_text(write_csv(exported.measure_columns, exported.measures), "utf-8")
            second.write_text(write_csv(exported.partner_columns, exported.partners), "utf-8")
            written = [path, second]
        self.stdout.write(
            f"{len(exported.measures)} Maßnahmen, {len(exported.partners)} Beteiligungen: "
            + ", ".join(str(p) for p in written)
        )

    @staticmethod
    def person(username):
        if username == "anonymous":
            return AnonymousUser()
        person = get_user_model().objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"Eine Person mit dem Benutzernamen „{username}“ gibt es nicht.")
        return person
