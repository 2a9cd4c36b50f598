"""The interface every indicator source implements: fetch -> parse -> values per period."""

import csv
import math
from decimal import Decimal, InvalidOperation

from ..periods import PeriodError, parse_period

# Measurement.value has 20 digits, 4 of them after the point.
MAX_ABS_VALUE = Decimal("1e16")
QUANT = Decimal("0.0001")


class SourceError(Exception):
    """The source cannot deliver usable values; the message is shown to people (German)."""


class TransientSourceError(SourceError):
    """A failure that may pass (timeout, connection refused, HTTP 5xx/429): worth a retry."""


class Source:
    """One kind of source. Subclasses implement ``fetch`` and ``parse``.

    ``values()`` returns ``{period (first day): Decimal}``. It raises :class:`SourceError`
    (or :class:`TransientSourceError`) and never returns a partial result of a bad response.
    """

    kind = None

    def __init__(self, indicator):
        self.indicator = indicator
        self.options = indicator.source_options or {}

    def fetch(self):
        raise NotImplementedError

    def parse(self, raw):
        raise NotImplementedError

    def values(self):
        return self.parse(self.fetch())

    # Helpers shared by the parsers.

    def body_ags(self):
        """The AGS whose rows a regional source should pick (an option overrides)."""
        ags = self.options.get("ags") or self.indicator.measure.lead_municipality.ags
        if not ags:
            raise SourceError(
                "Die federführende Kommune hat keinen AGS; bitte in den Einstellungen der "
                "Datenquelle einen AGS angeben (Schlüssel „ags“)."
            )
        return str(ags)

    def period(self, text, where):
        try:
            return parse_period(text, self.indicator.frequency)
        except PeriodError as exc:
            raise SourceError(f"{where}: {exc}") from exc

    def add(self, result, period, value, where):
        if period in result:
            raise SourceError(f"{where}: Der Zeitraum {period:%Y-%m-%d} kommt mehrfach vor.")
        result[period] = value


def to_decimal(raw, where, *, decimal_comma=False):
    """A number from JSON or a text cell; raises SourceError for anything non-numeric."""
    if isinstance(raw, bool) or raw is None:
        raise SourceError(f"{where}: „{raw}“ ist keine Zahl.")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            raise SourceError(f"{where}: „{raw}“ ist keine endliche Zahl.")
        text = repr(raw)
    else:
        text = str(raw).strip().replace("\u00a0", "").replace(" ", "")
        if decimal_comma:
            text = text.replace(".", "").replace(",", ".")
        elif "," in text and "." not in text:
            text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise SourceError(f"{where}: „{str(raw)[:40]}“ ist keine Zahl.") from exc
    if not value.is_finite():
        raise SourceError(f"{where}: „{str(raw)[:40]}“ ist keine endliche Zahl.")
    if abs(value) >= MAX_ABS_VALUE:
        raise SourceError(f"{where}: Der Wert {str(raw)[:40]} ist zu groß.")
    return value.quantize(QUANT)


def read_rows(reader):
    """``[(line number, row)]`` of a csv.DictReader; unreadable CSV becomes a SourceError."""
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise SourceError(
            f"Die CSV-Datei ist nicht lesbar (Zeile {reader.line_num}): {exc}"
        ) from exc
    return rows
