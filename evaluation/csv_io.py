"""Measurements as CSV: export and import in the same format (a round trip).

Semicolon-separated UTF-8 with byte-order mark and decimal comma, as spreadsheet programs in
Germany read and write it. Columns:

    indikator_id;indikator;massnahme;kommune;zeitraum;wert;einheit;notiz

The import needs ``indikator_id``, ``zeitraum`` and ``wert`` (``notiz`` and ``bestätigt`` are
optional); the other columns are for the people reading the file and ignored. An import is all
or nothing: one bad row and nothing is stored, and every bad row is reported with its line
number and reason.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import TextField
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast, Coalesce

from core.spreadsheet import safe_text, unquote_text
from measures.exchange.csv_format import decode
from measures.exchange.sheets import ExchangeFileError

from .forms import parse_german_decimal
from .gathering import upsert_values
from .models import Measurement, Origin
from .periods import PeriodError, parse_period
from .plausibility import is_large_change, large_change_text, value_errors
from .sources.base import SourceError, read_rows

COLUMNS = [
    "indikator_id",
    "indikator",
    "massnahme",
    "kommune",
    "zeitraum",
    "wert",
    "einheit",
    "notiz",
]
REQUIRED = ["indikator_id", "zeitraum", "wert"]
# Optional column: "ja" confirms a correction by more than a factor of ten (with a note).
CONFIRM_COLUMN = "bestätigt"
CONFIRM_WORDS = {"ja", "x", "1", "yes", "true"}
MAX_IMPORT_BYTES = 5_000_000
# Rows fetched from the database and sent to the client per chunk of a streamed export.
EXPORT_CHUNK_ROWS = 2000


# An indicator id as the database can hold it (bigint); anything else cannot be an indicator.
ID = re.compile(r"[0-9]{1,18}")


def shown(text, limit=40):
    """A cell as it may appear in an error message: short, without NUL bytes."""
    text = str(text).replace("\x00", "\N{REPLACEMENT CHARACTER}")
    return text if len(text) <= limit else text[:limit] + "…"


CP1252_NOTICE = (
    "Die Datei war nicht UTF-8-kodiert und wurde als Windows-1252 gelesen (so speichern ältere "
    "Excel-Versionen). Bitte prüfen Sie Umlaute in den Notizen; am sichersten speichern Sie in "
    "Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“."
)


def _format_value(value):
    return f"{value.normalize():f}".replace(".", ",")


class _Echo:
    """A file-like object whose write returns the line: csv.writer then yields text."""

    def write(self, value):
        return value


def export_lines(measurements, public=False, chunk_rows=EXPORT_CHUNK_ROWS):
    """CSV text for a queryset of measurements, in chunks of lines (for streaming).

    Reads only the columns of the file (values_list, server-side cursor in chunks), never the
    measures' snapshot columns as a whole: memory stays constant whatever the number of rows.
    ``public``: measure titles and leads, indicator names and units as published (not
    unreviewed edits; indicators not yet published are left out), no free-text notes, which
    may name people. Text cells are neutralised against formula injection.
    """
    if public:
        published = "indicator__measure__public_snapshot"
        # The published lead is a column of its own; its label names it unambiguously (the
        # snapshot's short name only for versions published before that column existed).
        measurements = measurements.filter(indicator__public_since__isnull=False).annotate(
            export_title=Cast(KeyTextTransform("title", published), TextField()),
            export_lead=Coalesce(
                "indicator__measure__public_lead__label",
                Cast(KeyTextTransform("name", KeyTransform("lead", published)), TextField()),
                output_field=TextField(),
            ),
        )
        title, lead = "export_title", "export_lead"
        name, unit = "indicator__public_name", "indicator__public_unit"
    else:
        title, lead = "indicator__measure__title", "indicator__measure__lead_municipality__label"
        name, unit = "indicator__name", "indicator__unit"
    rows = measurements.values_list(
        "indicator_id", name, title, lead, "period", "value", unit, "note"
    )
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    chunk = ["\ufeff", writer.writerow(COLUMNS)]
    for indicator_id, name, title_text, lead_text, period, value, unit, note in rows.iterator(
        chunk_size=chunk_rows
    ):
        chunk.append(
            writer.writerow(
                [
                    indicator_id,
                    safe_text(name),
                    safe_text(title_text),
                    safe_text(lead_text),
                    period.isoformat(),
                    _format_value(value),
                    safe_text(unit),
                    "" if public else safe_text(note),
                ]
            )
        )
        if len(chunk) >= chunk_rows:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def export_csv(measurements, public=False):
    """The whole CSV text (for tests and small exports; the view streams export_lines)."""
    return "".join(export_lines(measurements, public=public))


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    values: dict = field(default_factory=dict)  # {indicator: {period: (value, note)}}
    created: int = 0
    updated: int = 0
    notice: str | None = None  # e.g. the file was read as Windows-1252

    @property
    def row_count(self):
        return sum(len(v) for v in self.values.values())


def parse_import(raw, editable_indicators, today=None):
    """Check every row; return an ImportResult with values or with (line, reason) errors.

    Refused like in the form: periods that have not begun, values outside the plausible range,
    and corrections by more than a factor of ten without ``bestätigt`` = ja and a note.
    """
    result = ImportResult()
    confirmed = set()
    if len(raw) > MAX_IMPORT_BYTES:
        result.errors.append((0, f"Die Datei ist größer als {MAX_IMPORT_BYTES // 1_000_000} MB."))
        return result
    # Excel's "CSV (Trennzeichen-getrennt)" writes Windows-1252: read it like the measures'
    # exchange does, and say so.

    if b"\x00" in raw[:4096]:
        result.errors.append(
            (
                0,
                "Die Datei ist nicht UTF-8-kodiert, sondern enthält Nullbytes (z. B. Excels "
                "„Unicode-Text“ oder eine Arbeitsmappe). Bitte speichern Sie sie in Excel als "
                "„CSV UTF-8 (durch Trennzeichen getrennt)“.",
            )
        )
        return result
    try:
        text, notice = decode(raw)
    except ExchangeFileError as exc:
        result.errors.append((0, str(exc)))
        return result
    if notice:
        result.notice = CP1252_NOTICE
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in reader.fieldnames or []]
    except csv.Error as exc:
        result.errors.append((1, f"Die Kopfzeile ist nicht lesbar: {exc}"))
        return result
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        result.errors.append((1, f"Es fehlen die Spalten: {', '.join(missing)}."))
        return result
    reader.fieldnames = header
    try:
        rows = read_rows(reader)
    except SourceError as exc:
        result.errors.append((reader.line_num, str(exc)))
        return result
    ids = {(row["indikator_id"] or "").strip() for _, row in rows}
    allowed = {
        str(indicator.pk): indicator
        for indicator in editable_indicators.filter(pk__in=[int(i) for i in ids if ID.fullmatch(i)])
    }
    seen = {}
    for line, row in rows:
        if None in row:
            result.errors.append((line, "Die Zeile hat mehr Felder als die Kopfzeile."))
            continue
        if not any((value or "").strip() for value in row.values()):
            continue
        if any("\x00" in (value or "") for value in row.values()):
            # PostgreSQL cannot store NUL bytes; no spreadsheet writes them on purpose.
            result.errors.append(
                (line, "Die Zeile enthält ein unzulässiges Steuerzeichen (Nullzeichen).")
            )
            continue
        key = (row["indikator_id"] or "").strip()
        indicator = allowed.get(key) if ID.fullmatch(key) else None
        if indicator is None:
            result.errors.append(
                (
                    line,
                    f"Indikator „{shown(key)}“ gibt es nicht oder Sie dürfen ihn nicht pflegen.",
                )
            )
            continue
        try:
            period = parse_period(row["zeitraum"] or "", indicator.frequency)
        except PeriodError as exc:
            result.errors.append((line, str(exc)))
            continue
        value_text = (row["wert"] or "").strip()
        if not value_text:
            result.errors.append((line, "Der Wert fehlt."))
            continue
        try:
            value = parse_german_decimal(value_text)
        except ValueError:
            result.errors.append((line, f"„{value_text[:40]}“ ist keine Zahl."))
            continue
        reasons = value_errors(indicator, period, value, today)
        if reasons:
            result.errors.append((line, " ".join(reasons)))
            continue
        note = unquote_text((row.get("notiz") or "").strip())
        if len(note) > 500:
            result.errors.append((line, "Die Notiz ist länger als 500 Zeichen."))
            continue
        if (
            row.get(CONFIRM_COLUMN) or row.get("bestaetigt") or ""
        ).strip().lower() in CONFIRM_WORDS:
            confirmed.add((indicator.pk, period))
        if (indicator.pk, period) in seen:
            result.errors.append(
                (
                    line,
                    "Für diesen Indikator und Zeitraum steht schon ein Wert in Zeile "
                    f"{seen[(indicator.pk, period)]}.",
                )
            )
            continue
        seen[(indicator.pk, period)] = line
        result.values.setdefault(indicator, {})[period] = (value, note)
    if not rows:
        result.errors.append((1, "Die Datei enthält keine Messwerte."))
    _check_large_changes(result, seen, confirmed)
    result.errors.sort(key=lambda error: error[0])
    return result


def _check_large_changes(result, lines, confirmed):
    """Refuse corrections by more than a factor of ten unless confirmed with a note (1 query)."""
    if not result.values:
        return
    by_pk = {indicator.pk: indicator for indicator in result.values}
    periods = {period for values in result.values.values() for period in values}
    existing = Measurement.objects.filter(indicator__in=list(by_pk), period__in=periods)
    for indicator_id, period, old in existing.values_list("indicator_id", "period", "value"):
        indicator = by_pk[indicator_id]
        if period not in result.values[indicator]:
            continue
        value, note = result.values[indicator][period]
        if not is_large_change(old, value):
            continue
        if (indicator_id, period) in confirmed and note:
            continue
        result.errors.append(
            (
                lines[(indicator_id, period)],
                f"{large_change_text(indicator, period, old, value)} Bitte korrigieren Sie "
                "diesen Wert im Formular auf der Seite des Indikators, oder tragen Sie in der "
                f"Spalte „{CONFIRM_COLUMN}“ „ja“ und in der Spalte „notiz“ eine Begründung ein.",
            )
        )


def store_import(result, user):
    """Store a checked import in one transaction (only called when there are no errors)."""
    if result.errors:
        raise ValueError("An import with errors is never stored.")
    with transaction.atomic():
        for indicator, values in result.values.items():
            by_note = {}
            for period, (value, note) in values.items():
                by_note.setdefault(note, {})[period] = value
            for note, chunk in by_note.items():
                created, updated = upsert_values(
                    indicator, chunk, origin=Origin.IMPORT, user=user, note=note
                )
                result.created += created
                result.updated += updated
    return result
