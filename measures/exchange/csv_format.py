"""Measures as CSV: a file per table (measures, partners, cost plan, funding) in the format of
measures/exchange/sheets.py.

The measures and the partners can be uploaded as two CSV files; all four travel together as one
zip archive of CSV files (``write_zip``, ``read_zip``): "<name>.csv" the measures,
"<name>_beteiligte.csv", "<name>_kostenplan.csv" and "<name>_foerderung.csv" the others.

Semicolon-separated, UTF-8 with byte-order mark, decimal comma and dates as 01.03.2027: what
Excel in German settings opens with a double click and saves back ("CSV UTF-8 (durch
Trennzeichen getrennt)"). Text that a spreadsheet would run as a formula is prefixed with an
apostrophe (core.spreadsheet.safe_text) and read back without it.

Reading accepts semicolon, comma or tab as separator and falls back to Windows-1252 (what
older Excel versions write as "CSV (Trennzeichen-getrennt)") with a notice to check umlauts.
"""

import csv
import io
import zipfile
from pathlib import PurePath

from core.spreadsheet import safe_text, unquote_text

from .sheets import ExchangeFileError, Table

CONTENT_TYPE = "text/csv; charset=utf-8"
ZIP_CONTENT_TYPE = "application/zip"
# The files of a zip archive, by the end of their names (without ".csv"); the rest: measures.
ZIP_PARTS = {"partners": "_beteiligte", "costs": "_kostenplan", "funding": "_foerderung"}
MAX_ZIP_FILES = 8
MAX_ZIP_BYTES = 20_000_000
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


def write_zip(exported, stem):
    """All four tables as CSV files in one zip archive (bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for key, columns, rows in (
            ("measures", exported.measure_columns, exported.measures),
            ("partners", exported.partner_columns, exported.partners),
            ("costs", exported.cost_columns, exported.costs),
            ("funding", exported.funding_columns, exported.funding),
        ):
            name = f"{stem}{ZIP_PARTS.get(key, '')}.csv"
            archive.writestr(name, write_csv(columns, rows).encode("utf-8"))
    return buffer.getvalue()


def read_zip(raw, name):
    """({"measures", "partners", "costs", "funding": Table or None}, notices) from a zip of
    CSV files as ``write_zip`` writes them. Raises ExchangeFileError."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise ExchangeFileError(
            f"„{name}“ ist kein lesbares Zip-Archiv. Bitte laden Sie das Zip-Archiv des "
            "CSV-Exports hoch, oder die CSV-Dateien einzeln."
        ) from exc
    tables = dict.fromkeys(("measures", "partners", "costs", "funding"))
    notices = []
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        if len(members) > MAX_ZIP_FILES or sum(i.file_size for i in members) > MAX_ZIP_BYTES:
            raise ExchangeFileError(
                f"„{name}“ enthält zu viele oder zu große Dateien (höchstens {MAX_ZIP_FILES} "
                f"Dateien, entpackt {MAX_ZIP_BYTES // 1_000_000} MB)."
            )
        total = 0
        for info in members:
            member = PurePath(info.filename).name
            if not member.lower().endswith(".csv"):
                continue
            stem = member[:-4].lower()
            key = next((k for k, end in ZIP_PARTS.items() if stem.endswith(end)), "measures")
            if tables[key] is not None:
                raise ExchangeFileError(
                    f"„{name}“ enthält zwei Dateien für dieselbe Tabelle („{member}“). Bitte "
                    "verwenden Sie die Dateinamen des Exports."
                )
            # The declared sizes may lie: read no more than the limit, over all files.
            with archive.open(info) as handle:
                content = handle.read(MAX_ZIP_BYTES - total + 1)
            total += len(content)
            if total > MAX_ZIP_BYTES:
                raise ExchangeFileError(
                    f"„{name}“ ist entpackt größer als {MAX_ZIP_BYTES // 1_000_000} MB."
                )
            tables[key], notice = read_csv(content, member)
            notices += [notice] if notice else []
    if tables["measures"] is None:
        raise ExchangeFileError(
            f"In „{name}“ fehlt die CSV-Datei mit den Maßnahmen (z. B. „massnahmen.csv“)."
        )
    return tables, notices


def _format(column, value):
    if value is None or value == "":
        return ""
    if column.kind in ("date", "day"):
        return value.strftime("%d.%m.%Y")
    if column.kind in ("money", "percent", "fte"):
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
