"""Measures as an Excel workbook (XLSX): write and read the format of measures/exchange/sheets.py.

Sheets "Maßnahmen", "Beteiligte", "Kostenplan" and "Förderung", each with a frozen header row;
dropdowns for body, field of action, status, priority, funding programme and state and the
yes/no columns from the hidden sheet "Auswahllisten"; dates as real date cells (the measure's
plan by month, funding dates by day); amounts as numbers; text cells never run as formulas.
"""

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheet import READING_ERRORS, UnsafeWorkbook, check_workbook

from .sheets import (
    COSTS_SHEET,
    FUNDING_SHEET,
    LOOKUP_SHEET,
    MEASURES_SHEET,
    NO,
    PARTNERS_SHEET,
    YES,
    ExchangeFileError,
    Formula,
    Lookups,
    Table,
    funding_state_labels,
    priority_labels,
    status_labels,
    task_kind_labels,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows that get dropdowns: the template is filled in by hand, so leave room.
VALIDATION_ROWS = 2000
# A zip bomb guard: uncompressed content larger than this is refused before parsing.
MAX_UNCOMPRESSED_BYTES = 60_000_000
UNREADABLE = (
    "Die Datei ist keine lesbare Excel-Datei (.xlsx). Bitte speichern Sie sie in Excel oder "
    "LibreOffice als „Excel-Arbeitsmappe (.xlsx)“."
)

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def write_xlsx(exported, lookups=None):
    """The workbook as bytes."""
    lookups = lookups or Lookups()
    workbook = Workbook()
    measures = workbook.active
    measures.title = MEASURES_SHEET
    partners = workbook.create_sheet(PARTNERS_SHEET)
    costs = workbook.create_sheet(COSTS_SHEET)
    funding = workbook.create_sheet(FUNDING_SHEET)
    lists = workbook.create_sheet(LOOKUP_SHEET)
    ranges = _write_lookups(lists, lookups)
    lists.sheet_state = "hidden"

    for sheet, columns, rows in (
        (measures, exported.measure_columns, exported.measures),
        (partners, exported.partner_columns, exported.partners),
        (costs, exported.cost_columns, exported.costs),
        (funding, exported.funding_columns, exported.funding),
    ):
        _write_sheet(sheet, columns, rows)
        _add_validations(sheet, columns, ranges)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_lookups(sheet, lookups):
    lists = {
        "body": ("Kommunen", lookups.municipality_labels()),
        "field": ("Handlungsfelder", lookups.field_labels()),
        "status": ("Umsetzungsstand", list(status_labels().values())),
        "priority": ("Priorität", list(priority_labels().values())),
        "task_kind": ("Art der Aufgabe", list(task_kind_labels().values())),
        "programme": ("Förderprogramme", lookups.programme_labels()),
        "funding_state": ("Stand der Förderung", list(funding_state_labels().values())),
        "bool": ("ja/nein", [YES, NO]),
    }
    ranges = {}
    for index, (kind, (header, values)) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=header).font = HEADER_FONT
        for row, value in enumerate(values, start=2):
            _set_text(sheet.cell(row=row, column=index), value)
        last = max(len(values) + 1, 2)
        ranges[kind] = f"'{LOOKUP_SHEET}'!${letter}$2:${letter}${last}"
    return ranges


def _write_sheet(sheet, columns, rows):
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    for row_index, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            _write_value(sheet.cell(row=row_index, column=index), column, row.get(column.key))


def _write_value(cell, column, value):
    if value is None or value == "":
        return
    if column.kind == "date":
        cell.value = value
        cell.number_format = "MM.YYYY"
    elif column.kind == "day":
        cell.value = value
        cell.number_format = "DD.MM.YYYY"
    elif column.kind in ("money", "percent", "fte"):
        cell.value = Decimal(value)
        cell.number_format = "#,##0.00"
    elif column.kind == "int":
        cell.value = int(value)
    else:
        _set_text(cell, value)
        if column.key == "leika_key":
            cell.number_format = "@"


def _set_text(cell, value):
    """A text cell that Excel shows as text and never evaluates, even after editing it."""
    cell.value = str(value)
    cell.data_type = "s"
    if cell.value.startswith(("=", "+", "-", "@")):
        cell.quotePrefix = True


PROMPTS = {
    "id": "Leer lassen für eine neue Maßnahme. Bei bestehenden Maßnahmen nicht ändern.",
    "version": "Nicht ändern: zeigt, ob die Maßnahme seit dem Export geändert wurde.",
    "goals": "Ziele des Handlungsfelds, mehrere mit Semikolon getrennt.",
    "measure_id": "ID der Maßnahme; bei einer neuen Maßnahme leer lassen und den Titel eintragen.",
    "year": "Haushaltsjahr vierstellig, z. B. 2027; je Maßnahme und Jahr eine Zeile.",
}


def _add_validations(sheet, columns, ranges):
    for index, column in enumerate(columns, start=1):
        if column.key in PROMPTS:
            letter = get_column_letter(index)
            hint = DataValidation(
                showInputMessage=True, promptTitle=column.header, prompt=PROMPTS[column.key]
            )
            hint.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
            sheet.add_data_validation(hint)
    for index, column in enumerate(columns, start=1):
        kind = column.kind if column.kind in ranges else None
        if kind is None or column.info:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(
            type="list",
            formula1=ranges[kind],
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Ungültiger Wert",
            error="Bitte wählen Sie einen Wert aus der Liste.",
        )
        validation.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
        sheet.add_data_validation(validation)
    for index, column in enumerate(columns, start=1):
        if column.kind in ("date", "day"):
            letter = get_column_letter(index)
            validation = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(2000,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="Ungültiges Datum",
                error="Bitte geben Sie ein Datum ein, z. B. 01.03.2027 (es zählt der Monat).",
            )
            validation.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
            sheet.add_data_validation(validation)


def read_xlsx(raw):
    """The measures and partners of a workbook: (measures, partners or None)."""
    tables = read_workbook(raw)
    return tables["measures"], tables["partners"]


def read_workbook(raw):
    """All tables of a workbook: {"measures", "partners", "costs", "funding": Table or None}.

    Raises ExchangeFileError."""
    try:
        check_workbook(raw, MAX_UNCOMPRESSED_BYTES)
    except UnsafeWorkbook as exc:
        raise ExchangeFileError(str(exc)) from exc
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for broken files
        raise ExchangeFileError(UNREADABLE) from exc
    try:
        names = workbook.sheetnames
        tables = {
            "measures": _read_sheet(
                workbook[MEASURES_SHEET if MEASURES_SHEET in names else names[0]]
            )
        }
        for key, name in (
            ("partners", PARTNERS_SHEET),
            ("costs", COSTS_SHEET),
            ("funding", FUNDING_SHEET),
        ):
            tables[key] = _read_sheet(workbook[name]) if name in names else None
    except READING_ERRORS as exc:  # read-only sheets are parsed only here, row by row
        raise ExchangeFileError(UNREADABLE) from exc
    finally:
        workbook.close()
    return tables


def _read_sheet(sheet):
    rows = []
    headers = None
    for line, cells in enumerate(sheet.iter_rows(), start=1):
        values = [_cell_value(cell) for cell in cells]
        if headers is None:
            headers = ["" if v is None else str(v).strip() for v in values]
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rows.append((line, values))
    return Table(name=sheet.title, headers=headers or [], rows=rows)


def _cell_value(cell):
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (
        isinstance(value, str) and value.startswith("=") and cell.data_type != "s"
    ):
        return Formula(str(value))
    if isinstance(value, datetime.datetime):
        return value.date()
    return value
