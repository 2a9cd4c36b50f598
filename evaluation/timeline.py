"""The timeline of a measure: status changes, Sachstände, values, assessments and review steps.

One list, newest first, for the measure's page (internal readers only: notes and values are
not part of the reviewed, published version). A fixed number of queries however long the
measure's life: each kind is read newest first up to ``LIMIT`` rows, and the newest ``LIMIT``
of their union are shown (older entries of one kind cannot be among them).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from measures.models import ReviewComment, ReviewState, Status
from measures.status_changes import status_changes_of

from .models import Assessment, Measurement, ProgressNote
from .periods import format_period

LIMIT = 60


@dataclass(frozen=True)
class Entry:
    when: datetime.datetime
    kind: str
    """status, note, value, assessment or review (a CSS class and the test's handle)."""
    kind_label: str
    title: str
    text: str = ""
    who: str = ""
    percent: int | None = None
    value: object = None
    """A measured value: shown after the title with its unit (the page formats it)."""
    unit: str = ""
    period: str = ""

    @property
    def day(self):
        return timezone.localdate(self.when) if timezone.is_aware(self.when) else self.when.date()


def _moment(day, created_at):
    """When a dated entry (a note, an assessment) sorts: the moment it was written if that was
    on its day, else the start of its day (entered later about an earlier day)."""
    if created_at is not None and timezone.localdate(created_at) == day:
        return created_at
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _name(user):
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _status_entries(measure):
    labels = dict(Status.choices)
    entries = []
    for change in status_changes_of(measure, LIMIT):
        if change.old_status:
            title = f"Umsetzungsstand: {labels.get(change.old_status, change.old_status)} → "
        else:
            title = "Angelegt mit Umsetzungsstand: "
        entries.append(
            Entry(
                change.changed_at,
                "status",
                "Statusänderung",
                title + str(labels.get(change.new_status, change.new_status)),
                who=_name(change.changed_by),
            )
        )
    return entries


def _note_entries(measure):
    notes = (
        ProgressNote.objects.filter(measure=measure)
        .select_related("written_by")
        .order_by("-noted_on", "-pk")[:LIMIT]
    )
    return [
        Entry(
            _moment(note.noted_on, note.created_at),
            "note",
            "Sachstand",
            f"Sachstand: {note.get_status_display()}"
            + (f", {note.percent_done}\u00a0% umgesetzt" if note.percent_done is not None else "")
            + (f" ({note.on_behalf_text})" if note.on_behalf_source else ""),
            text=note.text,
            who=_name(note.written_by),
            percent=note.percent_done,
        )
        for note in notes
    ]


def _value_entries(measure):
    values = (
        Measurement.objects.filter(indicator__measure=measure)
        .select_related("indicator")
        .order_by("-recorded_at", "-pk")[:LIMIT]
    )
    return [
        Entry(
            value.recorded_at,
            "value",
            "Messwert",
            value.indicator.name,
            value=value.value,
            unit=value.indicator.unit,
            period=format_period(value.period, value.indicator.frequency),
        )
        for value in values
    ]


def _assessment_entries(measure):
    assessments = (
        Assessment.objects.filter(measure=measure)
        .select_related("assessed_by")
        .order_by("-assessed_on", "-pk")[:LIMIT]
    )
    return [
        Entry(
            _moment(a.assessed_on, a.created_at),
            "assessment",
            "Bewertung",
            f"Bewertung der Wirkung: {a.get_verdict_display()}",
            text=a.justification,
            who=_name(a.assessed_by),
        )
        for a in assessments
    ]


def _review_entries(measure):
    thread = getattr(measure, "thread", None)
    if thread is None:
        thread = ReviewComment.objects.filter(measure=measure).select_related("author")
    steps = [c for c in thread if c.to_state]
    labels = dict(ReviewState.choices)
    return [
        Entry(
            step.created_at,
            "review",
            "Prüfung",
            f"Prüfstatus: {labels.get(step.to_state, step.to_state)}",
            text=step.text,
            who=_name(step.author),
        )
        for step in steps[-LIMIT:]
    ]


def measure_timeline(measure):
    """The newest ``LIMIT`` entries of the measure's timeline, newest first."""
    entries = [
        *_status_entries(measure),
        *_note_entries(measure),
        *_value_entries(measure),
        *_assessment_entries(measure),
        *_review_entries(measure),
    ]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:LIMIT]
