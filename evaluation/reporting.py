"""Berichtsrunden: which body owes a Sachstand and values, completeness and reminders.

A body is asked when it leads active measures (evaluation.figures.ACTIVE_STATUSES). For each
of them it owes a Sachstand dated in the round (from the start of the period to the later of
its end and the deadline) and a current value for each manual indicator (the stored status is
neither stale nor without data). Mails reach whoever gets the body's notices
(municipalities.acting, as for the data-collection rounds).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone

from measures.models import Measure, ReviewState

from .figures import ACTIVE_STATUSES
from .models import (
    Indicator,
    ProgressNote,
    ReportingRound,
    ReportingRoundNotice,
    RoundNotice,
    SourceKind,
)
from .rounds import editors_to_remind
from .status import CURRENT_STATUSES


@dataclass
class MeasureItem:
    measure: object
    note: object = None
    """The newest Sachstand dated in the round, or None."""
    missing: list = field(default_factory=list)
    """Names of its manual indicators without a current value."""

    @property
    def complete(self):
        return self.note is not None and not self.missing


@dataclass
class BodyCompleteness:
    municipality: object
    items: list = field(default_factory=list)

    @property
    def due(self):
        return len(self.items)

    @property
    def with_note(self):
        return sum(1 for item in self.items if item.note is not None)

    @property
    def missing_values(self):
        return sum(len(item.missing) for item in self.items)

    @property
    def complete(self):
        return all(item.complete for item in self.items)

    @property
    def percent(self):
        return round(100 * self.with_note / self.due) if self.due else 100


def window(reporting_round):
    """The days a Sachstand counts for the round: from the period's start to the later of its
    end and the deadline (a report on the year is often written in January)."""
    return reporting_round.period_start, max(reporting_round.period_end, reporting_round.deadline)


def asked_measures(measures=None):
    """The active measures a round asks about (not withdrawn), lead selected, in tree order."""
    measures = Measure.objects.all() if measures is None else measures
    return (
        measures.filter(status__in=ACTIVE_STATUSES)
        .exclude(review_state=ReviewState.WITHDRAWN)
        .select_related("lead_municipality__parent")
        .defer("accepted_snapshot", "public_snapshot")
        .order_by("lead_municipality__tree_path", "title", "pk")
    )


def completeness(reporting_round, measures=None):
    """{body pk: BodyCompleteness} of the round (three queries), bodies in tree order.
    ``measures``: only these (a queryset), e.g. the ones an editor answers for."""
    rows = list(asked_measures(measures))
    ids = [m.pk for m in rows]
    start, end = window(reporting_round)
    latest = {}
    notes = ProgressNote.objects.filter(
        measure_id__in=ids, noted_on__gte=start, noted_on__lte=end
    ).order_by("measure_id", "-noted_on", "-pk")
    for note in notes:
        latest.setdefault(note.measure_id, note)
    missing = {}
    stale = (
        Indicator.objects.filter(measure_id__in=ids, source_kind=SourceKind.MANUAL)
        .exclude(stored_status__in=CURRENT_STATUSES)
        .order_by("measure_id", "name", "pk")
        .values_list("measure_id", "name")
    )
    for measure_id, name in stale:
        missing.setdefault(measure_id, []).append(name)
    result = {}
    for measure in rows:
        body = measure.lead_municipality
        entry = result.setdefault(body.pk, BodyCompleteness(body))
        entry.items.append(
            MeasureItem(measure, latest.get(measure.pk), missing.get(measure.pk, []))
        )
    return result


def _claim(reporting_round, notice):
    """Record the notice as sent; False if it was sent before (never twice, also in races)."""
    try:
        with transaction.atomic():
            ReportingRoundNotice.objects.create(reporting_round=reporting_round, notice=notice)
    except IntegrityError:
        return False
    return True


def _owed(entry, missing_only):
    lines = []
    for item in entry.items:
        if missing_only and item.complete:
            continue
        owed = []
        if item.note is None:
            owed.append("Sachstand")
        if item.missing:
            owed.append("Werte: " + ", ".join(item.missing))
        lines.append(
            f"- {item.measure.reference} {item.measure.title}"
            + (f" ({'; '.join(owed)})" if owed else " (vollständig)")
        )
    return "\n".join(lines)


def _mail(reporting_round, entry, recipients, *, opening, today):
    body = entry.municipality
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "evaluation:reporting_round_detail", args=[reporting_round.pk]
    )
    deadline = formats.date_format(reporting_round.deadline, "d.m.Y")
    period = (
        f"{formats.date_format(reporting_round.period_start, 'd.m.Y')} bis "
        f"{formats.date_format(reporting_round.period_end, 'd.m.Y')}"
    )
    if opening:
        subject = f"Berichtsrunde „{reporting_round.title}“: Sachstand bis {deadline}"
        intro = (
            f"die Koordinierungsstelle hat die Berichtsrunde „{reporting_round.title}“ für den "
            f"Zeitraum {period} eröffnet. Bitte schreiben Sie für {body.label} bis zum "
            f"{deadline} zu jeder dieser {entry.due} Maßnahmen einen Sachstand und tragen Sie "
            "fehlende Werte nach. Daraus entsteht der Sachstandsbericht an den Kreistag:"
        )
    else:
        days = (reporting_round.deadline - today).days
        when = "morgen" if days == 1 else "heute" if days <= 0 else f"in {days} Tagen"
        subject = f"Erinnerung: Sachstand für „{reporting_round.title}“ bis {deadline}"
        intro = (
            f"in der Berichtsrunde „{reporting_round.title}“ fehlt für {body.label} noch "
            f"bei {entry.due - sum(1 for i in entry.items if i.complete)} von {entry.due} "
            f"Maßnahmen ein Sachstand oder ein Wert. Die Frist endet {when}, am {deadline}."
        )
    hint = (
        f"\n\nHinweis der Koordinierungsstelle:\n{reporting_round.message}"
        if opening and reporting_round.message
        else ""
    )
    message = (
        f"Guten Tag,\n\n{intro}\n\n{_owed(entry, missing_only=not opening)}{hint}\n\n"
        f"Den Stand Ihrer Kommune sehen Sie hier:\n{url}\n\n"
        "Mit freundlichen Grüßen\nKoordinierungsstelle Digitalisierung, "
        "Landkreis Lüchow-Dannenberg\n"
    )
    return (subject, message, settings.DEFAULT_FROM_EMAIL, recipients)


def _send(reporting_round, *, opening, today):
    entries = {
        pk: entry
        for pk, entry in completeness(reporting_round).items()
        if opening or not entry.complete
    }
    recipients = editors_to_remind(list(entries))
    mails = [
        _mail(reporting_round, entry, recipients[pk], opening=opening, today=today)
        for pk, entry in entries.items()
        if recipients.get(pk)
    ]
    return send_mass_mail(mails, fail_silently=False) if mails else 0


def _record(reporting_round, notice, sent):
    ReportingRoundNotice.objects.filter(reporting_round=reporting_round, notice=notice).update(
        recipients=sent
    )


def send_opening(reporting_round_pk):
    """Ask every body that leads active measures (once); reminders the opening covers."""
    reporting_round = ReportingRound.objects.filter(
        pk=reporting_round_pk, closed_at__isnull=True
    ).first()
    if reporting_round is None or not _claim(reporting_round, RoundNotice.OPENED):
        return 0
    today = timezone.localdate()
    sent = _send(reporting_round, opening=True, today=today)
    _record(reporting_round, RoundNotice.OPENED, sent)
    days_left = (reporting_round.deadline - today).days
    if days_left <= settings.EVALUATION_REMINDER_DAYS:
        _claim(reporting_round, RoundNotice.FIRST_REMINDER)
    if days_left <= 1:
        _claim(reporting_round, RoundNotice.LAST_REMINDER)
    return sent


def send_reminders(today=None):
    """Daily (beat): remind the bodies with something missing a week and a day before the
    deadline, each reminder once per round; a day missed by the beat is made up the next."""
    today = today or timezone.localdate()
    window_end = today + timezone.timedelta(days=settings.EVALUATION_REMINDER_DAYS)
    sent = 0
    rounds = ReportingRound.objects.filter(
        closed_at__isnull=True, deadline__gte=today, deadline__lte=window_end
    )
    for reporting_round in rounds:
        days_left = (reporting_round.deadline - today).days
        notice = RoundNotice.LAST_REMINDER if days_left <= 1 else RoundNotice.FIRST_REMINDER
        if notice == RoundNotice.LAST_REMINDER:
            _claim(reporting_round, RoundNotice.FIRST_REMINDER)
        if not _claim(reporting_round, notice):
            continue
        count = _send(reporting_round, opening=False, today=today)
        _record(reporting_round, notice, count)
        sent += count
    return sent
