from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procedures.catalogue import import_catalogue
from procedures.tabular import TableRefused


class Command(BaseCommand):
    help = (
        "Liest den Leistungskatalog (LeiKa/OZG) aus einer CSV- oder XLSX-Datei. Idempotent; "
        "eine fehlerhafte Datei wird ganz abgelehnt, die Meldung nennt jede fehlerhafte Zeile."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Pfad zur Katalogdatei (CSV oder XLSX)")

    def handle(self, path, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Die Datei {path} ist nicht lesbar: {exc.strerror}") from exc
        try:
            result = import_catalogue(data, path)
        except TableRefused as exc:
            raise CommandError(
                "Die Datei wurde abgelehnt, es wurde nichts gespeichert:\n" + "\n".join(exc.errors)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Leistungen: {result.created} neu, {result.updated} aktualisiert, "
                f"{result.unchanged} unverändert."
            )
        )
