from procedures.catalogue import import_catalogue
from procedures.table_command import TableImportCommand


class Command(TableImportCommand):
    help = (
        "Liest den Leistungskatalog (LeiKa/OZG) aus einer CSV- oder XLSX-Datei. Idempotent; "
        "eine fehlerhafte Datei wird ganz abgelehnt, die Meldung nennt jede fehlerhafte Zeile."
    )
    path_help = "Pfad zur Katalogdatei (CSV oder XLSX)"
    summary = "Leistungen: {created} neu, {updated} aktualisiert, {unchanged} unverändert."

    def import_file(self, data, path):
        return import_catalogue(data, path)
