"""Plausibility of measured values: periods that have begun, a plausible range, large changes.

One set of rules for every way a value comes in by hand: the indicator page, a round's form,
the CSV import and the API push (which reuses ``MeasurementForm``). Automatic gathering is not
checked here: its values come from official sources and errors there are reported per run.
"""

from decimal import Decimal

from django.utils import timezone

from .periods import format_period

# A correction that changes a value by more than this factor asks for a confirmation.
LARGE_CHANGE_FACTOR = Decimal("10")

_PERCENT_UNITS = {"%", "prozent", "percent", "anteil in %", "% der"}
_NON_NEGATIVE_WORDS = (
    "anzahl",
    "stück",
    "stk",
    "tage",
    "tag",
    "stunden",
    "minuten",
    "personen",
    "fälle",
    "anträge",
    "€",
    "eur",
    "euro",
)


def _format(value):
    return f"{value.normalize():f}".replace(".", ",")


def default_range(unit):
    """Bounds by unit when the indicator states none: % is 0 to 100, counts never negative."""
    text = (unit or "").strip().lower()
    if text in _PERCENT_UNITS or text.startswith("%") or text.endswith("%"):
        return Decimal("0"), Decimal("100")
    if any(word in text.split() or text == word for word in _NON_NEGATIVE_WORDS):
        return Decimal("0"), None
    return None, None


def period_error(indicator, period, today=None):
    """German reason if ``period`` has not begun yet (else None)."""
    today = today or timezone.localdate()
    if period > today:
        return (
            f"Der Zeitraum {format_period(period, indicator.frequency)} hat noch nicht begonnen; "
            "Werte lassen sich erst ab seinem Beginn erfassen."
        )
    return None


def range_error(indicator, value):
    """German reason if ``value`` lies outside the indicator's plausible range (else None)."""
    low, high = indicator.plausible_range()
    unit = indicator.unit
    if low is not None and value < low:
        if high is not None:
            return (
                f"Der Wert {_format(value)} {unit} liegt außerhalb des plausiblen Bereichs "
                f"von {_format(low)} bis {_format(high)} {unit}."
            )
        return f"Der Wert {_format(value)} {unit} ist kleiner als {_format(low)} {unit}."
    if high is not None and value > high:
        if low is not None:
            return (
                f"Der Wert {_format(value)} {unit} liegt außerhalb des plausiblen Bereichs "
                f"von {_format(low)} bis {_format(high)} {unit}."
            )
        return f"Der Wert {_format(value)} {unit} ist größer als {_format(high)} {unit}."
    return None


def value_errors(indicator, period, value, today=None):
    """All reasons to refuse ``value`` for ``period`` outright, as a list of German texts."""
    errors = []
    if period is not None:
        reason = period_error(indicator, period, today)
        if reason:
            errors.append(reason)
    if value is not None:
        reason = range_error(indicator, value)
        if reason:
            errors.append(reason)
    return errors


def is_large_change(old, new):
    """More than a factor of ten between the old and new value, or a change of sign."""
    if old is None or new is None or old == new:
        return False
    if old == 0 or new == 0:
        return False
    if (old < 0) != (new < 0):
        return True
    ratio = abs(new) / abs(old)
    return ratio > LARGE_CHANGE_FACTOR or ratio < 1 / LARGE_CHANGE_FACTOR


def large_change_text(indicator, period, old, new):
    return (
        f"Der neue Wert {_format(new)} {indicator.unit} für "
        f"{format_period(period, indicator.frequency)} weicht um mehr als das Zehnfache vom "
        f"bisherigen Wert {_format(old)} {indicator.unit} ab."
    )
