"""Measurements as CSV: export and import in the same format (a round trip).

Semicolon-separated UTF-8 with byte-order mark and decimal comma, as spreadsheet programs in
Germany read and write it. Columns:

    indikator_id;indikator;massnahme;kommune;zeitraum;wert;einheit;notiz

The import needs ``indikator_id``, ``zeitraum`` and ``wert`` (``notiz`` is optional); the other
columns are for the people reading the file and ignored. An import is all or nothing: one bad
row and nothing is stored, and every bad row is reported with its line number and reason.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction

from strategy_portal.spreadsheet import safe_text, unquote_text

from .forms import parse_german_decimal
from .gathering import upsert_values
from .models import Origin
from .periods import PeriodError, parse_period
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
MAX_IMPORT_BYTES = 5_000_000
CP1252_NOTICE = (
    "Die Datei war nicht UTF-8-kodiert und wurde als Windows-1252 gelesen (so speichern ältere "
    "Excel-Versionen). Bitte prüfen Sie Umlaute in den Notizen; am sichersten speichern Sie in "
    "Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“."
)


def _format_value(value):
    return f"{value.normalize():f}".replace(".", ",")


def export_csv(measurements, public=False):
    """CSV text for measurements (with indicator, measure and lead municipality selected).

    ``public``: measure titles and leads as published (not unreviewed edits), no free-text notes,
    which may name people. Text cells are neutralised against formula injection.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    measurements = list(measurements)
    labels = {}
    if public:
        from measures.review import body_labels

        labels = body_labels([m.indicator.measure.public_snapshot or {} for m in measurements])
    for m in measurements:
        indicator = m.indicator
        measure = indicator.measure
        if public:
            published = measure.public_snapshot or {}
            title = published.get("title", "")
            shown_lead = published.get("lead") or {}
            lead = labels.get(shown_lead.get("id")) or shown_lead.get("name", "")
        else:
            title, lead = measure.title, measure.lead_municipality.label
        writer.writerow(
            [
                indicator.pk,
                safe_text(indicator.name),
                safe_text(title),
                safe_text(lead),
                m.period.isoformat(),
                _format_value(m.value),
                safe_text(indicator.unit),
                "" if public else safe_text(m.note),
            ]
        )
    return buffer.getvalue()


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


def parse_import(raw, editable_indicators):
    """Check every row; return an ImportResult with values or with (line, reason) errors."""
    result = ImportResult()
    if len(raw) > MAX_IMPORT_BYTES:
        result.errors.append((0, f"Die Datei ist größer als {MAX_IMPORT_BYTES // 1_000_000} MB."))
        return result
    # Excel's "CSV (Trennzeichen-getrennt)" writes Windows-1252: read it like the measures'
    # exchange does, and say so.
    from measures.exchange import ExchangeFileError
    from measures.exchange_csv import decode

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
    header = [name.strip().lower() for name in reader.fieldnames or []]
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
    ids = {row["indikator_id"].strip() for _, row in rows if (row["indikator_id"] or "").strip()}
    allowed = {
        str(indicator.pk): indicator
        for indicator in editable_indicators.filter(pk__in=[i for i in ids if i.isdigit()])
    }
    seen = {}
    for line, row in rows:
        if None in row:
            result.errors.append((line, "Die Zeile hat mehr Felder als die Kopfzeile."))
            continue
        if not any((value or "").strip() for value in row.values()):
            continue
        key = (row["indikator_id"] or "").strip()
        indicator = allowed.get(key)
        if indicator is None:
            result.errors.append(
                (line, f"Indikator „{key}“ gibt es nicht oder Sie dürfen ihn nicht pflegen.")
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
        note = unquote_text((row.get("notiz") or "").strip())
        if len(note) > 500:
            result.errors.append((line, "Die Notiz ist länger als 500 Zeichen."))
            continue
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
    return result


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
