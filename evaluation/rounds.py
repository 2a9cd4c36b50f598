"""Data-collection rounds: which manual values each body owes, completeness and reminders."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone

from municipalities.models import Membership, Municipality, Role

from .models import CollectionRound, Indicator, Measurement, SourceKind
from .periods import format_period, period_start
from .rollup import ACTIVE_STATUSES


@dataclass
class BodyProgress:
    municipality: object
    items: list = field(default_factory=list)  # (indicator, period, measurement or None)

    @property
    def due(self):
        return len(self.items)

    @property
    def done(self):
        return sum(1 for _, _, m in self.items if m is not None)

    @property
    def percent(self):
        return round(100 * self.done / self.due) if self.due else 100

    @property
    def complete(self):
        return self.done == self.due


def round_items(collection_round, municipality=None):
    """{municipality pk: BodyProgress} of the manual values due in the round (two queries)."""
    indicators = Indicator.objects.filter(
        source_kind=SourceKind.MANUAL, measure__status__in=ACTIVE_STATUSES
    ).select_related("measure__lead_municipality")
    if municipality is not None:
        indicators = indicators.filter(measure__lead_municipality=municipality)
    indicators = list(indicators.order_by("measure__title", "name"))
    periods = {i.pk: period_start(collection_round.period, i.frequency) for i in indicators}
    existing = {
        (m.indicator_id, m.period): m
        for m in Measurement.objects.filter(
            indicator__in=[i.pk for i in indicators], period__in=set(periods.values())
        )
    }
    progress = {}
    for indicator in indicators:
        body = indicator.measure.lead_municipality
        period = periods[indicator.pk]
        entry = progress.setdefault(body.pk, BodyProgress(body))
        entry.items.append((indicator, period, existing.get((indicator.pk, period))))
    return dict(sorted(progress.items(), key=lambda item: item[1].municipality.tree_path))


def editors_to_remind(municipality_ids):
    """{municipality pk: [e-mail addresses]} of the editors of the body and its Samtgemeinde."""
    memberships = Membership.objects.filter(role=Role.EDITOR).select_related("user", "municipality")
    result = {}
    bodies = {body.pk: body for body in Municipality.objects.filter(pk__in=municipality_ids)}
    by_body = {}
    for membership in memberships.filter(
        municipality_id__in=set(municipality_ids) | {b.parent_id for b in bodies.values()}
    ):
        if membership.user.email:
            by_body.setdefault(membership.municipality_id, set()).add(membership.user.email)
    for pk, body in bodies.items():
        result[pk] = sorted(by_body.get(pk, set()) | by_body.get(body.parent_id, set()))
    return result


def send_reminders(today=None):
    """E-mail the editors of bodies with missing values, once per round, before the deadline."""
    today = today or timezone.localdate()
    window_end = today + timezone.timedelta(days=settings.EVALUATION_REMINDER_DAYS)
    sent = 0
    rounds = CollectionRound.objects.filter(
        closed_at__isnull=True,
        reminder_sent_at__isnull=True,
        deadline__gte=today,
        deadline__lte=window_end,
    )
    for collection_round in rounds:
        # Claim the round first so that two beat runs never send twice.
        claimed = CollectionRound.objects.filter(
            pk=collection_round.pk, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=timezone.now())
        if not claimed:
            continue
        incomplete = {
            pk: progress
            for pk, progress in round_items(collection_round).items()
            if not progress.complete
        }
        recipients = editors_to_remind(list(incomplete))
        mails = []
        for pk, progress in incomplete.items():
            if not recipients.get(pk):
                continue
            body = progress.municipality
            url = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
                "evaluation:round_entry", args=[collection_round.pk, body.slug]
            )
            missing = [
                f"- {indicator.name} ({indicator.measure.title}), "
                f"{format_period(period, indicator.frequency)}"
                for indicator, period, measurement in progress.items
                if measurement is None
            ]
            text = (
                f"Guten Tag,\n\nin der Datenerhebungsrunde „{collection_round.title}“ fehlen für "
                f"{body.label} noch {progress.due - progress.done} von {progress.due} Werten. "
                f"Die Frist endet am {collection_round.deadline:%d.%m.%Y}.\n\n"
                + "\n".join(missing)
                + f"\n\nHier können Sie die Werte in einem Formular eintragen:\n{url}\n\n"
                "Mit freundlichen Grüßen\nKoordinierungsstelle Digitalisierung, "
                "Landkreis Lüchow-Dannenberg\n"
            )
            subject = (
                f"Erinnerung: Werte für „{collection_round.title}“ bis "
                f"{collection_round.deadline:%d.%m.%Y}"
            )
            mails.append((subject, text, settings.DEFAULT_FROM_EMAIL, recipients[pk]))
        sent += send_mass_mail(mails, fail_silently=False) if mails else 0
    return sent
