"""Full recompute of the synergy finder's stored matches (after seed_demo, or nightly)."""

import time

from django.core.management.base import BaseCommand

from measures.synergy import recompute_all


class Command(BaseCommand):
    help = "Berechnet die ähnlichen Maßnahmen anderer Kommunen für alle Maßnahmen neu."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = recompute_all()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Ähnliche Maßnahmen neu berechnet: {rows} Treffer in {seconds:.1f} s.")
