from procedures.table_command import TableImportCommand
from procedures.transfer import import_bytes


class Command(TableImportCommand):
    help = (
        "Liest das Register der Fachverfahren aus einer CSV- oder XLSX-Datei im Format des "
        "Exports. Alles oder nichts; ein zweiter Lauf ändert nichts."
    )
    summary = "Register: {created} neu, {updated} geändert, {unchanged} unverändert."

    def import_file(self, data, path):
        return import_bytes(data, path)
