"""Measures as CSV: two files (measures, partners) in the format of measures/exchange/sheets.py.

Semicolon-separated, UTF-8 with byte-order mark, decimal comma and dates as 01.03.2027: what
Excel in German settings opens with a double click and saves back ("CSV UTF-8 (durch
Trennzeichen getrennt)"). Text that a spreadsheet would run as a formula is prefixed with an
apostrophe (core.spreadsheet.safe_text) and read back without it.

Reading accepts semicolon, comma or tab as separator and falls back to Windows-1252 (what
older Excel versions write as "CSV (Trennzeichen-getrennt)") with a notice to check umlauts.
"""

import csv
import io

from core.spreadsheet import safe_text, unquote_text

from .sheets import ExchangeFileError, Table

CONTENT_TYPE = "text/csv; charset=utf-8"
DELIMITER = ";"
CP1252_NOTICE = (
    "Die Datei ist nicht UTF-8-kodiert; sie wurde als Windows-1252 (ältere Excel-Versionen) "
    "gelesen. Bitte prüfen Sie Umlaute in der Vorschau, oder speichern Sie in Excel als "
    "„CSV UTF-8 (durch Trennzeichen getrennt)“."
)


def write_csv(columns, rows):
    """One table as CSV text with byte-order mark."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for row in rows:
        writer.writerow([_format(column, row.get(column.key)) for column in columns])
    return buffer.getvalue()


def _format(column, value):
    if value is None or value == "":
        return ""
    if column.kind == "date":
        return value.strftime("%d.%m.%Y")
    if column.kind in ("money", "percent"):
        return f"{value:f}".replace(".", ",")
    if column.kind == "int":
        return str(value)
    return safe_text(value)


def decode(raw):
    """(text, notice or None); the byte-order mark is dropped."""
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), CP1252_NOTICE
    except UnicodeDecodeError as exc:
        raise ExchangeFileError(
            "Die Datei ist weder UTF-8 noch Windows-1252 kodiert. Bitte speichern Sie sie in "
            "Excel als „CSV UTF-8 (durch Trennzeichen getrennt)“."
        ) from exc


def read_csv(raw, name):
    """(Table, notice or None). Raises ExchangeFileError for unreadable files."""
    if b"\x00" in raw[:4096]:
        raise ExchangeFileError(
            f"„{name}“ ist keine CSV-Datei (Textdatei). Eine Excel-Arbeitsmappe laden Sie bitte "
            "mit der Endung .xlsx hoch."
        )
    text, notice = decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    headers = None
    try:
        for line, cells in enumerate(reader, start=1):
            if headers is None:
                headers = [cell.replace("\ufeff", "").strip() for cell in cells]
                continue
            if not any(cell.strip() for cell in cells):
                continue
            rows.append((line, [unquote_text(cell) for cell in cells]))
    except csv.Error as exc:
        raise ExchangeFileError(
            f"„{name}“ ist nicht lesbar (Zeile {reader.line_num}): {exc}"
        ) from exc
    return Table(name=name, headers=headers or [], rows=rows), notice
