"""The correction log of an indicator, for the people who maintain it."""

from .models import MeasurementCorrection

# The most recent corrections shown on the indicator page; the admin has all of them.
SHOWN = 20


def corrections_for(indicator):
    """The latest corrections of one indicator (one query), with the indicator attached."""
    rows = list(
        MeasurementCorrection.objects.filter(indicator=indicator)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")[:SHOWN]
    )
    for row in rows:
        row.indicator = indicator
    return rows
