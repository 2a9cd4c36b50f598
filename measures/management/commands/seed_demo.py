from django.core.management.base import BaseCommand, CommandError

from measures.demo.seeder import DEMO_PASSWORD, DemoRefused, DemoSeeder


class Command(BaseCommand):
    help = (
        "Legt Demo-Inhalte an: Ziele, rund 130 als Demo markierte Maßnahmen und vier "
        "Demo-Zugänge mit dem Passwort „demo“. Nur mit PORTAL_DEMO_ALLOWED (Entwicklung mit "
        "SQLite), nie mit den Produktions-Settings; idempotent, ein zweiter "
        "Lauf ändert nichts."
    )

    def handle(self, *args, **options):
        try:
            result = DemoSeeder().run()
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc

        if result.measures_created:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo-Inhalte angelegt: {result.measures_created} Maßnahmen, "
                    f"{result.goals_created} Ziele."
                )
            )
        else:
            self.stdout.write(
                f"Es gibt bereits {result.measures_existing} Demo-Maßnahmen; sie bleiben "
                f"unverändert. Neu angelegte Ziele: {result.goals_created}."
            )
        self._print_logins(result.logins)

    def _print_logins(self, logins):
        rows = [("Benutzername", "Passwort", "Rolle")]
        for login in logins:
            rows.append((login.username, DEMO_PASSWORD, f"{login.role} – {login.municipality}"))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo-Zugänge (nur für die Entwicklung):"))
        for number, row in enumerate(rows):
            line = "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True))
            self.stdout.write(("  " + line).rstrip())
            if number == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        if not all(login.created for login in logins):
            self.stdout.write(
                "Bereits vorhandene Zugänge wurden nicht verändert; ein zwischenzeitlich "
                "geändertes Passwort gilt weiter."
            )
