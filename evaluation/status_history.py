"""Indicators' status over time, from their change records (``IndicatorStatusChange``).

Written with the stored status (evaluation.stored_status), so the status of an indicator on a
day is the newest change up to that day: one SQL query for any number of indicators and days.
Before its first record an indicator's status is unknown (None): the back-fill could only
date the status known when it ran.
"""

from collections import Counter

from django.db.models import OuterRef, Subquery

from .models import IndicatorStatusChange


def status_then(day):
    """An expression for a queryset of indicators: the stored status as of ``day``."""
    return Subquery(
        IndicatorStatusChange.objects.filter(indicator=OuterRef("pk"), changed_on__lte=day)
        .order_by("-changed_on", "-pk")
        .values("new_status")[:1]
    )


def statuses_as_of(indicators, day):
    """{indicator id: status as of ``day``} of a queryset of indicators (one query)."""
    rows = indicators.order_by().annotate(then=status_then(day)).values_list("pk", "then")
    return {pk: then for pk, then in rows if then}


def status_counts_as_of(indicators, days):
    """{day: Counter(status: count)} for several days, in one query."""
    days = list(days)
    names = [f"then_{i}" for i in range(len(days))]
    rows = (
        indicators.order_by()
        .annotate(**{name: status_then(day) for name, day in zip(names, days, strict=True)})
        .values_list(*names)
    )
    counts = {day: Counter() for day in days}
    for row in rows:
        for day, then in zip(days, row, strict=True):
            if then:
                counts[day][then] += 1
    return counts
