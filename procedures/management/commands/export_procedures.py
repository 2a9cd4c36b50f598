from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procedures.transfer import export_bytes


class Command(BaseCommand):
    help = (
        "Schreibt das Register der Fachverfahren in eine Datei: XLSX, wenn der Name auf "
        ".xlsx endet, sonst CSV (Semikolon, UTF-8). Eine Zeile je Kommune und Verfahren."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Zieldatei (.csv oder .xlsx)")

    def handle(self, path, **options):
        file_format = "xlsx" if path.lower().endswith(".xlsx") else "csv"
        try:
            Path(path).write_bytes(export_bytes(file_format))
        except OSError as exc:
            raise CommandError(f"Die Datei {path} ist nicht schreibbar: {exc.strerror}") from exc
        self.stdout.write(self.style.SUCCESS(f"Register geschrieben nach {path}."))
