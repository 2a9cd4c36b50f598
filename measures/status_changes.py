"""A measure's implementation status over time, from its change records.

``MeasureStatusChange`` rows are written by ``Measure.save`` whenever the status changes (and
were back-filled from the history by migration). Reading never replays the history: the
status of a measure on a day is the newest change up to that day, so "status at the last
report" or "status per quarter" is one SQL query for any number of measures.
"""

import datetime
from collections import Counter

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import MeasureStatusChange


def _moment(value):
    """A day means its end (everything that happened on it); a datetime is itself."""
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.max))


def status_changes_of(measure, limit):
    """The newest ``limit`` status changes of one measure, newest first (one query)."""
    return list(
        MeasureStatusChange.objects.filter(measure=measure)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")[:limit]
    )


def status_then(moment):
    """An expression for a queryset of measures: the status as of ``moment`` (a date: its
    end), None where the measure had no status yet (did not exist)."""
    return Subquery(
        MeasureStatusChange.objects.filter(measure=OuterRef("pk"), changed_at__lte=_moment(moment))
        .order_by("-changed_at", "-pk")
        .values("new_status")[:1]
    )


def statuses_as_of(measures, moment):
    """{measure id: status as of ``moment``} of a queryset of measures (one query)."""
    rows = measures.order_by().annotate(then=status_then(moment)).values_list("pk", "then")
    return {pk: then for pk, then in rows if then}


def status_counts_as_of(measures, moments):
    """{moment: Counter(status: count)} for several days at once, in one query (one
    subquery per day; the measures are read once)."""
    moments = list(moments)
    names = {f"then_{i}": moment for i, moment in enumerate(moments)}
    rows = (
        measures.order_by()
        .annotate(**{name: status_then(moment) for name, moment in names.items()})
        .values_list(*names)
    )
    counts = {moment: Counter() for moment in moments}
    for row in rows:
        for moment, then in zip(moments, row, strict=True):
            if then:
                counts[moment][then] += 1
    return counts
