from django.core.management.base import BaseCommand, CommandError

from procedures.demo import DemoRefused, seed_procedures_demo


class Command(BaseCommand):
    help = (
        "Legt das Demo-Register an: Auszug des Leistungskatalogs, Fachverfahren der "
        "Samtgemeinden und des Landkreises, Online-Stand der Leistungen (alles als Demo "
        "markiert). Nur mit PORTAL_DEMO_ALLOWED (Entwicklung mit SQLite), nie mit den "
        "Produktions-Settings; idempotent."
    )

    def handle(self, *args, **options):
        try:
            result = seed_procedures_demo()
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Demo-Register: {result.services} Leistungen, {result.entries} Verfahren, "
            f"{result.offers} Online-Angaben neu angelegt (vorhandene bleiben unverändert)."
        )
