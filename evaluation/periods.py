"""Periods of indicators: monthly, quarterly or yearly, each stored as its first day."""

import datetime
import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import MAX_YEAR, MIN_YEAR, day_label


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monatlich")
    QUARTERLY = "quarterly", _("vierteljährlich")
    YEARLY = "yearly", _("jährlich")


MONTHS_PER_PERIOD = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.YEARLY: 12}


class PeriodError(ValueError):
    """A text that is no period in any of the accepted formats."""


def period_start(day, frequency):
    """The first day of the period of ``frequency`` that contains ``day``."""
    if frequency == Frequency.YEARLY:
        return datetime.date(day.year, 1, 1)
    if frequency == Frequency.QUARTERLY:
        return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return datetime.date(day.year, day.month, 1)


def add_periods(start, frequency, count):
    """``start`` moved by ``count`` periods (``count`` may be negative)."""
    months = start.year * 12 + (start.month - 1) + MONTHS_PER_PERIOD[frequency] * count
    return datetime.date(months // 12, months % 12 + 1, 1)


def period_end(start, frequency):
    """The last day of the period that begins on ``start``."""
    return add_periods(period_start(start, frequency), frequency, 1) - datetime.timedelta(days=1)


_PATTERNS = [
    # 2025-03-01, 2025-03-31 (ISO day; GENESIS "time" of a Stichtag)
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), lambda y, m, d: (y, m, d)),
    # 31.12.2025 (German day)
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), lambda d, m, y: (y, m, d)),
    # 2025-03 (ISO month)
    (re.compile(r"(\d{4})-(\d{1,2})"), lambda y, m: (y, m, 1)),
    # 03.2025 or 03/2025 (German month)
    (re.compile(r"(\d{1,2})[./](\d{4})"), lambda m, y: (y, m, 1)),
    # 2025-Q1, 2025Q1, 2025 Q1, Q1/2025, Q1 2025
    (re.compile(r"(\d{4})[- ]?Q([1-4])", re.I), lambda y, q: (y, (int(q) - 1) * 3 + 1, 1)),
    (re.compile(r"Q([1-4])[/ ](\d{4})", re.I), lambda q, y: (y, (int(q) - 1) * 3 + 1, 1)),
    # 2025 (year)
    (re.compile(r"(\d{4})"), lambda y: (y, 1, 1)),
]


def parse_period(text, frequency):
    """Parse a period as sources write it and return the first day of its ``frequency`` period.

    Accepted: ``2025``, ``2025-03``, ``03.2025``, ``2025-Q1``, ``Q1/2025``, ``2025-03-01``,
    ``31.12.2025``. Anything else raises :class:`PeriodError`.
    """
    if isinstance(text, datetime.date):
        if not MIN_YEAR <= text.year <= MAX_YEAR:
            raise PeriodError(f"Das Jahr in „{day_label(text)}“ ist unplausibel.")
        return period_start(text, frequency)
    value = str(text).strip()
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            year, month, day = (int(part) for part in build(*match.groups()))
            try:
                day_value = datetime.date(year, month, day)
            except ValueError as exc:
                raise PeriodError(f"„{value}“ ist kein gültiges Datum.") from exc
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise PeriodError(f"Das Jahr in „{value}“ ist unplausibel.")
            return period_start(day_value, frequency)
    raise PeriodError(
        f"Unbekanntes Zeitraum-Format „{value[:40]}“ (erwartet z. B. 2025, 2025-03, 2025-Q1 "
        "oder 2025-03-01)."
    )


def format_period(start, frequency):
    """A period for people: ``2025``, ``Q1 2025`` or ``03/2025``."""
    if frequency == Frequency.YEARLY:
        return str(start.year)
    if frequency == Frequency.QUARTERLY:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return f"{start.month:02d}/{start.year}"
