from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procedures.tabular import TableRefused
from procedures.transfer import import_bytes


class Command(BaseCommand):
    help = (
        "Liest das Register der Fachverfahren aus einer CSV- oder XLSX-Datei im Format des "
        "Exports. Alles oder nichts; ein zweiter Lauf ändert nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Pfad zur Datei (CSV oder XLSX)")

    def handle(self, path, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Die Datei {path} ist nicht lesbar: {exc.strerror}") from exc
        try:
            result = import_bytes(data, path)
        except TableRefused as exc:
            raise CommandError(
                "Die Datei wurde abgelehnt, es wurde nichts gespeichert:\n" + "\n".join(exc.errors)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Register: {result.created} neu, {result.updated} geändert, "
                f"{result.unchanged} unverändert."
            )
        )
