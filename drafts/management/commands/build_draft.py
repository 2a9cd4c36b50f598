"""Build a strategy draft from the accepted measures and print the path of its PDF."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from drafts.models import StrategyDraft
from drafts.tasks import render_now
from drafts.workflow import DraftError, freeze
from municipalities.models import Role


class Command(BaseCommand):
    help = (
        "Legt eine neue Version der Strategie aus den angenommenen Maßnahmen an, friert sie "
        "ein, erzeugt das PDF sofort (ohne Worker) und gibt den Pfad der PDF-Datei aus."
    )

    def add_arguments(self, parser):
        parser.add_argument("title", help="Titel der Version")
        parser.add_argument("--version-label", help="z. B. „Entwurf 2“ (Vorgabe: fortlaufend)")
        parser.add_argument(
            "--resolution-date",
            type=datetime.date.fromisoformat,
            help="Datum des Kreistagsbeschlusses, JJJJ-MM-TT (Vorgabe: wie die letzte Version)",
        )
        parser.add_argument("--introduction", default="", help="Text der Einleitung")

    def handle(self, *args, title, version_label, resolution_date, introduction, **options):
        translation.activate("de")
        last = StrategyDraft.objects.order_by("-created_at", "-pk").first()
        if resolution_date is None:
            resolution_date = last.resolution_date if last else timezone.localdate()
        if not version_label:
            version_label = f"Entwurf {StrategyDraft.objects.count() + 1}"
        user = self._coordinator()
        draft = StrategyDraft.objects.create(
            title=title,
            version_label=version_label,
            resolution_date=resolution_date,
            introduction=introduction,
            created_by=user,
        )
        try:
            draft = freeze(draft, user, render=False)
        except DraftError as refusal:
            draft.delete()
            raise CommandError(str(refusal)) from refusal
        draft = render_now(draft)
        self.stderr.write(
            f"{draft} eingefroren: {len(draft.snapshot['measures'])} Maßnahmen, "
            f"{draft.pdf_pages} Seiten, SHA-256 {draft.pdf_sha256}"
        )
        self.stdout.write(draft.pdf.path)

    def _coordinator(self):
        """Steps are taken in the name of a coordinator (or a superuser), as in the UI."""
        users = get_user_model().objects.filter(is_active=True)
        user = (
            users.filter(memberships__role=Role.COORDINATOR).order_by("pk").first()
            or users.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError(
                "Es gibt keine Person mit der Rolle Koordinierungsstelle und keinen Superuser."
            )
        return user
