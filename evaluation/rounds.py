"""Data-collection rounds: which manual values each body owes, completeness and reminders."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from municipalities.acting import acting_map
from municipalities.models import Municipality
from municipalities.notices import notice_report

from .models import (
    CollectionRound,
    Indicator,
    Measurement,
    RoundNotice,
    RoundNotification,
    SourceKind,
)
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
    """{municipality pk: [e-mail addresses]} of whoever gets the body's notices: its own
    editors, else its Samtgemeinde's (municipalities.acting); empty when nobody can be told."""
    bodies = Municipality.objects.filter(pk__in=municipality_ids).select_related("parent")
    return {
        pk: sorted({user.email for user in entry.notice_recipients})
        for pk, entry in acting_map(bodies).items()
    }


def opening_report(collection_round):
    """Who the opening mails reach, by body (``municipalities.notices``): the same bodies and
    recipients as :func:`send_opening`, for the coordinator's confirmation."""
    bodies = [entry.municipality for entry in round_items(collection_round).values() if entry.due]
    return notice_report(bodies)


def _claim(collection_round, notice):
    """Record the notice as sent; False if it was sent before (never twice, also in races)."""
    try:
        with transaction.atomic():
            RoundNotification.objects.create(collection_round=collection_round, notice=notice)
    except IntegrityError:
        return False
    return True


def _owed_text(progress, missing_only):
    return "\n".join(
        f"- {indicator.name} ({indicator.measure.title}), "
        f"{format_period(period, indicator.frequency)}"
        for indicator, period, measurement in progress.items
        if measurement is None or not missing_only
    )


def _hint(collection_round, opening):
    if opening and collection_round.message:
        return f"\n\nHinweis der Koordinierungsstelle:\n{collection_round.message}"
    return ""


def _mail(collection_round, progress, recipients, *, opening, today):
    body = progress.municipality
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "evaluation:round_entry", args=[collection_round.pk, body.slug]
    )
    deadline = f"{collection_round.deadline:%d.%m.%Y}"
    if opening:
        intro = (
            f"die Koordinierungsstelle hat die Datenerhebungsrunde „{collection_round.title}“ "
            f"eröffnet. Bitte tragen Sie für {body.label} bis zum {deadline} diese "
            f"{progress.due} Werte zum Stichtag {collection_round.period:%d.%m.%Y} ein:"
        )
        subject = f"Neue Datenerhebungsrunde „{collection_round.title}“: Werte bis {deadline}"
    else:
        days = (collection_round.deadline - today).days
        when = "morgen" if days == 1 else "heute" if days <= 0 else f"in {days} Tagen"
        intro = (
            f"in der Datenerhebungsrunde „{collection_round.title}“ fehlen für {body.label} noch "
            f"{progress.due - progress.done} von {progress.due} Werten. Die Frist endet {when}, "
            f"am {deadline}."
        )
        subject = f"Erinnerung: Werte für „{collection_round.title}“ bis {deadline}"
    message = (
        f"Guten Tag,\n\n{intro}\n\n"
        + _owed_text(progress, missing_only=not opening)
        + _hint(collection_round, opening)
        + f"\n\nHier können Sie die Werte in einem Formular eintragen:\n{url}\n\n"
        "Mit freundlichen Grüßen\nKoordinierungsstelle Digitalisierung, "
        "Landkreis Lüchow-Dannenberg\n"
    )
    return (subject, message, settings.DEFAULT_FROM_EMAIL, recipients)


def _send(collection_round, *, opening, today=None):
    """One mail per body that still owes values (at opening: every body that owes any)."""
    progress = {
        pk: entry
        for pk, entry in round_items(collection_round).items()
        if entry.due and (opening or not entry.complete)
    }
    recipients = editors_to_remind(list(progress))
    mails = [
        _mail(
            collection_round,
            entry,
            recipients[pk],
            opening=opening,
            today=today or timezone.localdate(),
        )
        for pk, entry in progress.items()
        if recipients.get(pk)
    ]
    return send_mass_mail(mails, fail_silently=False) if mails else 0


def _record_count(collection_round, notice, sent):
    RoundNotification.objects.filter(collection_round=collection_round, notice=notice).update(
        recipients=sent
    )


def send_opening(collection_round_pk):
    """Tell every body that owes values that the round is open (once); reminders it covers."""
    collection_round = CollectionRound.objects.filter(
        pk=collection_round_pk, closed_at__isnull=True
    ).first()
    if collection_round is None or not _claim(collection_round, RoundNotice.OPENED):
        return 0
    sent = _send(collection_round, opening=True)
    _record_count(collection_round, RoundNotice.OPENED, sent)
    # Opened late: the opening mail already says the deadline is near.
    days_left = (collection_round.deadline - timezone.localdate()).days
    if days_left <= settings.EVALUATION_REMINDER_DAYS:
        _claim(collection_round, RoundNotice.FIRST_REMINDER)
    if days_left <= 1:
        _claim(collection_round, RoundNotice.LAST_REMINDER)
    return sent


def send_reminders(today=None):
    """E-mail the editors of bodies with missing values a week and a day before the deadline.

    Daily (beat). Each reminder goes out once per round, recorded as a RoundNotification; a
    day missed by the beat is made up the next day (the windows are "at most 7 days left" and
    "at most 1 day left"), and a round opened within the window gets no separate reminder.
    """
    today = today or timezone.localdate()
    window_end = today + timezone.timedelta(days=settings.EVALUATION_REMINDER_DAYS)
    sent = 0
    rounds = CollectionRound.objects.filter(
        closed_at__isnull=True, deadline__gte=today, deadline__lte=window_end
    )
    for collection_round in rounds:
        days_left = (collection_round.deadline - today).days
        notice = RoundNotice.LAST_REMINDER if days_left <= 1 else RoundNotice.FIRST_REMINDER
        if notice == RoundNotice.LAST_REMINDER:
            # The one-week reminder is not sent any more once the last day has come.
            _claim(collection_round, RoundNotice.FIRST_REMINDER)
        if not _claim(collection_round, notice):
            continue
        count = _send(collection_round, opening=False, today=today)
        _record_count(collection_round, notice, count)
        CollectionRound.objects.filter(pk=collection_round.pk).update(
            reminder_sent_at=timezone.now()
        )
        sent += count
    return sent
