"""Status of an indicator from baseline, target, the latest value and the time elapsed.

The method follows the idea of Open SDG's progress calculation: compare the progress that has
actually been made since the baseline with the progress that would be expected by now if the
indicator moved in a straight line from the baseline to the target. docs/evaluierung.md
explains it for readers; the tests in tests/evaluation/test_status.py pin the edge cases.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .periods import Frequency, add_periods, period_end, period_start

# Share of the expected progress that counts as "on track" / still only "at risk".
ON_TRACK_RATIO = Decimal("0.95")
AT_RISK_RATIO = Decimal("0.5")
# When the target equals the baseline (hold a level), a shortfall up to this share of the
# target is "at risk", more is "off track".
HOLD_TOLERANCE = Decimal("0.05")
# How long after the end of a period its value may arrive before the indicator is stale.
# Yearly values come from official statistics that are published about a year later.
GRACE_DAYS = {Frequency.MONTHLY: 45, Frequency.QUARTERLY: 90, Frequency.YEARLY: 365}


class IndicatorStatus(models.TextChoices):
    ON_TRACK = "on_track", _("auf Kurs")
    AT_RISK = "at_risk", _("gefährdet")
    OFF_TRACK = "off_track", _("nicht auf Kurs")
    STALE = "stale", _("veraltet")
    NO_DATA = "no_data", _("keine Daten")


# Worst first: used to order and to pick a measure's overall status.
STATUS_ORDER = [
    IndicatorStatus.OFF_TRACK,
    IndicatorStatus.AT_RISK,
    IndicatorStatus.STALE,
    IndicatorStatus.NO_DATA,
    IndicatorStatus.ON_TRACK,
]
CURRENT_STATUSES = {IndicatorStatus.ON_TRACK, IndicatorStatus.AT_RISK, IndicatorStatus.OFF_TRACK}


@dataclass(frozen=True)
class StatusResult:
    status: str
    expected: Decimal | None = None
    """Share of the way from baseline to target that should be covered by the latest period."""
    actual: Decimal | None = None
    """Share of the way actually covered (1 = target reached; negative = moved away)."""

    @property
    def label(self):
        return IndicatorStatus(self.status).label


def last_due_period(frequency, today):
    """The most recent period whose value should be available on ``today``."""
    current = period_start(today, frequency)
    grace = datetime.timedelta(days=GRACE_DAYS[frequency])
    period = add_periods(current, frequency, -1)
    while period_end(period, frequency) + grace > today:
        period = add_periods(period, frequency, -1)
    return period


def compute_status(
    *,
    direction,
    frequency,
    target_value,
    target_date,
    baseline_value=None,
    baseline_date=None,
    latest_period=None,
    latest_value=None,
    first_period=None,
    first_value=None,
    created=None,
    today=None,
):
    """Status of one indicator. All values are Decimals, all periods dates; see module doc."""
    today = today or timezone.localdate()
    due = last_due_period(frequency, today)
    if latest_period is None:
        # Values are due from the period of the baseline (or of the indicator's creation) on.
        start = baseline_date or created or today
        if due >= period_start(start, frequency):
            return StatusResult(IndicatorStatus.STALE)
        return StatusResult(IndicatorStatus.NO_DATA)
    start_period = period_start(baseline_date, frequency) if baseline_date else first_period
    if latest_period < due and due >= start_period:
        return StatusResult(IndicatorStatus.STALE)

    # Without a baseline value the first measurement is the baseline; without a baseline
    # date, the first measurement's period is the start of the way.
    base = baseline_value if baseline_value is not None else first_value
    # A value describes the state at the end of its period (the start of the next one).
    base_date = baseline_date or add_periods(first_period, frequency, 1)
    sign = Decimal(1) if direction == "increase" else Decimal(-1)
    better_by = (latest_value - target_value) * sign  # >= 0: target reached or exceeded

    if target_value == base:
        # Hold the level: anything not worse than the target is on track.
        if better_by >= 0:
            return StatusResult(IndicatorStatus.ON_TRACK, Decimal(1), Decimal(1))
        shortfall = -better_by / abs(target_value) if target_value else None
        if shortfall is not None and shortfall <= HOLD_TOLERANCE:
            return StatusResult(IndicatorStatus.AT_RISK, Decimal(1), 1 - shortfall)
        return StatusResult(IndicatorStatus.OFF_TRACK, Decimal(1), None)

    actual = (latest_value - base) / (target_value - base)
    measured_on = add_periods(latest_period, frequency, 1)
    span = (target_date - base_date).days
    if span <= 0:
        expected = Decimal(1)
    else:
        elapsed = (min(measured_on, target_date) - base_date).days
        expected = min(max(Decimal(elapsed) / Decimal(span), Decimal(0)), Decimal(1))
    expected = expected.quantize(Decimal("0.0001"))
    actual = actual.quantize(Decimal("0.0001"))

    if actual >= 1:
        return StatusResult(IndicatorStatus.ON_TRACK, expected, actual)
    if measured_on >= target_date:
        # The target date has passed (for the latest value) and the target was missed.
        return StatusResult(IndicatorStatus.OFF_TRACK, expected, actual)
    if expected == 0:
        status = IndicatorStatus.ON_TRACK if actual >= 0 else IndicatorStatus.AT_RISK
        return StatusResult(status, expected, actual)
    ratio = actual / expected
    if ratio >= ON_TRACK_RATIO:
        status = IndicatorStatus.ON_TRACK
    elif ratio >= AT_RISK_RATIO:
        status = IndicatorStatus.AT_RISK
    else:
        status = IndicatorStatus.OFF_TRACK
    return StatusResult(status, expected, actual)


def indicator_status(indicator, today=None):
    """Status of an indicator annotated by ``Indicator.objects.with_latest()``."""
    return compute_status(
        direction=indicator.direction,
        frequency=indicator.frequency,
        target_value=indicator.target_value,
        target_date=indicator.target_date,
        baseline_value=indicator.baseline_value,
        baseline_date=indicator.baseline_date,
        latest_period=indicator.latest_period,
        latest_value=indicator.latest_value,
        first_period=indicator.first_period,
        first_value=indicator.first_value,
        created=timezone.localdate(indicator.created_at) if indicator.created_at else None,
        today=today,
    )


def worst_status(statuses):
    """The overall status of a group: the worst of its indicators (no indicators: no data)."""
    present = set(statuses)
    for status in STATUS_ORDER:
        if status in present:
            return status
    return IndicatorStatus.NO_DATA
