"""The base of the management commands that read a CSV or XLSX file into the register."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from .tabular import TableRefused


class TableImportCommand(BaseCommand):
    """Reads ``path`` and hands its bytes to :meth:`import_file`; all or nothing.

    Subclasses set ``help``, ``path_help``, ``summary`` (a format string with ``created``,
    ``updated`` and ``unchanged``) and implement ``import_file(data, path)``.
    """

    path_help = "Pfad zur Datei (CSV oder XLSX)"
    summary = "{created} neu, {updated} geändert, {unchanged} unverändert."

    def import_file(self, data, path):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("path", help=self.path_help)

    def handle(self, path, **options):
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Die Datei {path} ist nicht lesbar: {exc.strerror}") from exc
        try:
            result = self.import_file(data, path)
        except TableRefused as exc:
            raise CommandError(
                "Die Datei wurde abgelehnt, es wurde nichts gespeichert:\n" + "\n".join(exc.errors)
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                self.summary.format(
                    created=result.created, updated=result.updated, unchanged=result.unchanged
                )
            )
        )
