"""Import measures from Excel (.xlsx), CSV or a zip of CSV files with the browser's rules; all
or nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from measures.exchange.importer import apply_import, plan_import, read_upload
from measures.exchange.sheets import ExchangeFileError
from measures.permissions import can_create_measure

from .export_measures import partners_path


class Command(BaseCommand):
    help = (
        "Importiert Maßnahmen aus .xlsx (mit Kostenplan und Förderungen), .csv (mit "
        "<name>_beteiligte.csv, falls vorhanden) oder .zip (die CSV-Dateien des Exports, mit "
        "Kostenplan und Förderungen) als die angegebene Person. Bei einem Fehler wird nichts "
        "gespeichert (Exit-Status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Datei, .xlsx, .csv oder .zip")
        parser.add_argument("--user", required=True, help="Benutzername der importierenden Person")
        parser.add_argument("--dry-run", action="store_true", help="Nur prüfen, nichts speichern")
        parser.add_argument(
            "--partners", help="CSV-Datei der Beteiligten (Standard: <name>_beteiligte.csv)"
        )

    def handle(self, *args, path, user, dry_run=False, partners=None, **options):
        person = get_user_model().objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"Eine Person mit dem Benutzernamen „{user}“ gibt es nicht.")
        if not can_create_measure(person):
            raise CommandError(f"„{user}“ darf keine Maßnahmen importieren.")
        path = Path(path)
        if not path.is_file():
            raise CommandError(f"Die Datei {path} gibt es nicht.")
        second = Path(partners) if partners else partners_path(path)
        if partners and not second.is_file():
            raise CommandError(f"Die Datei {second} gibt es nicht.")
        use_second = path.suffix.lower() == ".csv" and second.is_file()
        try:
            tables = read_upload(
                path.name,
                path.read_bytes(),
                second.name if use_second else "",
                second.read_bytes() if use_second else None,
            )
        except ExchangeFileError as exc:
            raise CommandError(f"{exc} Es wurde nichts gespeichert.") from exc
        plan = (plan_import if dry_run else apply_import)(user=person, **tables.plan_tables())
        for notice in tables.notices + plan.notices:
            self.stdout.write(self.style.WARNING(notice))
        for row in plan.changed_rows:
            action = "neu" if row.action == "create" else "geändert"
            self.stdout.write(f"Zeile {row.line}: {action}: {row.title}")
            for change in row.changes:
                self.stdout.write(f"    {change.header}: {change.old} -> {change.new}")
        if plan.errors:
            for error in plan.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(plan.errors)} Fehler; es wurde nichts gespeichert.")
        prefix = "Probelauf, nichts gespeichert: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + plan.summary()))
