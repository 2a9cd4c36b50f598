from django.core.management.base import BaseCommand

from evaluation.demo import seed_evaluation_demo


class Command(BaseCommand):
    help = "Legt Demo-Indikatoren, Messwerte und Bewertungen für die Demo-Maßnahmen an."

    def handle(self, *args, **options):
        created = seed_evaluation_demo()
        self.stdout.write(f"{created} Demo-Indikatoren angelegt (vorhandene bleiben unverändert).")
