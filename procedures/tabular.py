"""Reading and writing tables as CSV (semicolon, UTF-8) or XLSX, for imports and exports."""

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook

from core.spreadsheet import READING_ERRORS, UnsafeWorkbook, check_workbook

# A register or catalogue file larger than this is refused (the real LeiKa is ~20 MB as XLSX).
MAX_BYTES = 50 * 1024 * 1024
# Unpacked, an XLSX is about ten times its size; more is refused before parsing (zip bomb).
MAX_UNCOMPRESSED_BYTES = 10 * MAX_BYTES


class TableRefused(Exception):
    """The whole file is refused; ``errors`` names every bad line (German)."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


def read_table(data, filename=""):
    """``(header, [(line number, {column: cell})])`` of a CSV or XLSX file given as bytes."""
    if len(data) > MAX_BYTES:
        raise TableRefused(["Die Datei ist zu groß (höchstens 50 MB)."])
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise TableRefused(["Die Datei ist weder UTF-8 noch Windows-1252 kodiert."]) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    if first.count("\t") > max(first.count(";"), first.count(",")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise TableRefused(
            [f"Zeile {reader.line_num}: Die CSV-Datei ist nicht lesbar ({exc})."]
        ) from exc
    return _to_dicts(rows)


def _read_xlsx(data):
    try:
        check_workbook(data, MAX_UNCOMPRESSED_BYTES)
    except UnsafeWorkbook as exc:
        raise TableRefused([str(exc)]) from exc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is refused, never a 500
        raise TableRefused(["Die Datei ist keine lesbare XLSX-Datei."]) from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [
            (number, ["" if cell is None else cell for cell in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    except READING_ERRORS as exc:  # read-only sheets are parsed only here, row by row
        raise TableRefused(["Die Datei ist keine lesbare XLSX-Datei."]) from exc
    finally:
        workbook.close()
    return _to_dicts(rows)


def _to_dicts(rows):
    if not rows:
        raise TableRefused(["Die Datei ist leer."])
    header = [str(name).strip() for name in rows[0][1]]
    result = []
    for number, row in rows[1:]:
        if all(str(cell).strip() == "" for cell in row):
            continue
        if len(row) > len(header) and any(str(c).strip() for c in row[len(header) :]):
            result.append((number, None))  # the caller reports "more cells than columns"
            continue
        cells = {name: row[i] if i < len(row) else "" for i, name in enumerate(header)}
        result.append((number, cells))
    return header, result


def write_csv(header, rows):
    """Semicolon-separated UTF-8 with BOM, so that Excel opens umlauts correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(header, rows, title):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@")


def _no_formula(value):
    """Text typed by users never becomes a spreadsheet formula; ``text()`` undoes this."""
    return "'" + value if value[:1] in FORMULA_STARTS else value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return _no_formula(value)
    return str(value)


def _xlsx_cell(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return _no_formula(value)
    return value


# --- cell parsers: return the value or raise ValueError with a German message ---------------


def text(cell):
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    value = str(cell).strip()
    if value.startswith("'") and value[1:2] in FORMULA_STARTS:
        value = value[1:]
    return value


def date(cell):
    if cell in (None, ""):
        return None
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    value = str(cell).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise ValueError(f"„{value}“ ist kein Datum (TT.MM.JJJJ oder JJJJ-MM-TT)")


def integer(cell, low=0, high=10**9):
    if cell in (None, ""):
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    value = str(cell).strip()
    if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
        raise ValueError(f"„{value}“ ist keine ganze Zahl von {low} bis {high}")
    return int(value)


def euro(cell):
    if cell in (None, ""):
        return None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = Decimal(str(cell))
    else:
        raw = str(cell).replace("€", "").replace("EUR", "").replace(" ", "").strip()
        if "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(\.\d{3})+", raw):
            raw = raw.replace(".", "")
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:
            raise ValueError(f"„{cell}“ ist kein Betrag") from exc
    if not value.is_finite() or value < 0 or value >= Decimal("1e10"):
        raise ValueError(f"„{cell}“ ist kein Betrag von 0 bis 9.999.999.999,99")
    return value.quantize(Decimal("0.01"))
