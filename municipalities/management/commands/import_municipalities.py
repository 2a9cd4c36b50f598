from django.core.management.base import BaseCommand, CommandError

from municipalities.importer import ImportRefused, import_file


class Command(BaseCommand):
    help = (
        "Liest Kreis, Samtgemeinden und Gemeinden aus einem GV-ISys-Auszug von Destatis "
        "(CSV im Originalformat). Idempotent; eine fehlerhafte Datei wird ganz abgelehnt."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Pfad zur CSV-Datei (Auszug GV, Destatis)")
        parser.add_argument(
            "--seats",
            help="optionale CSV mit Spalten ars,seat_ags: Verwaltungssitze der Samtgemeinden",
        )

    def handle(self, path, seats=None, **options):
        try:
            result = import_file(path, seats)
        except ImportRefused as exc:
            raise CommandError(
                "Die Datei wurde abgelehnt, es wurde nichts gespeichert:\n" + "\n".join(exc.errors)
            ) from exc
        if options["verbosity"] < 1:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Kommunen: {len(result.created)} neu, {len(result.updated)} aktualisiert, "
                f"{len(result.unchanged)} unverändert, {len(result.skipped)} übersprungen "
                "(gemeindefreie Gebiete ohne eigene Verwaltung)."
            )
        )
