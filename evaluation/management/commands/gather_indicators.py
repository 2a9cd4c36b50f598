"""Run one gathering synchronously (without a worker) and print a summary."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from evaluation.gathering import gather, indicators_for_gathering, start_run
from evaluation.models import RunTrigger
from evaluation.sources import TransientSourceError


class Command(BaseCommand):
    help = "Ruft die Werte der automatischen Indikatoren ab (synchron) und gibt eine Übersicht aus."

    def add_arguments(self, parser):
        parser.add_argument(
            "--indicator", type=int, action="append", help="nur diesen Indikator (mehrfach möglich)"
        )
        parser.add_argument(
            "--all",
            action="store_true",
            help="alle automatischen Indikatoren, nicht nur die fälligen",
        )

    def handle(self, *args, **options):
        translation.activate("de")
        indicators = indicators_for_gathering().automatic()
        if options["indicator"]:
            indicators = indicators.filter(pk__in=options["indicator"])
            if not indicators.exists():
                raise CommandError(
                    "Keiner der angegebenen Indikatoren hat eine automatische Quelle."
                )
        elif not options["all"]:
            indicators = indicators.due_for_gathering()
        indicators = list(indicators.order_by("pk"))
        run = start_run([i.pk for i in indicators], RunTrigger.COMMAND)
        for indicator in indicators:
            try:
                ok, created, updated, error = gather(indicator, run.pk)
            except TransientSourceError as exc:
                ok, created, updated, error = False, 0, 0, str(exc)
            mark = "ok    " if ok else "FEHLER"
            line = f"{mark} #{indicator.pk} {indicator.name}: {created} neu, {updated} geändert"
            self.stdout.write(line + (f" – {error}" if error else ""))
        run.refresh_from_db()
        self.stdout.write(
            f"Abruflauf {run.pk}: {run.indicators_total} Indikatoren, {run.indicators_ok} "
            f"erfolgreich, {run.indicators_failed} fehlgeschlagen, {run.values_created} neue "
            f"und {run.values_updated} geänderte Werte."
        )
