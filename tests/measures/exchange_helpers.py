"""Helpers for the tests of the measures' Excel/CSV exchange."""

import io

from openpyxl import load_workbook

from measures.exchange.csv_format import read_csv, write_csv
from measures.exchange.importer import apply_import, plan_import, read_files
from measures.exchange.sheets import Lookups, build_export
from measures.exchange.xlsx_format import write_xlsx
from measures.models import Measure


def export_xlsx(measures=None, public=False):
    measures = Measure.objects.all() if measures is None else measures
    lookups = Lookups()
    return write_xlsx(build_export(measures, public=public, lookups=lookups), lookups)


def export_csv(measures=None, public=False):
    """(measures CSV bytes, partners CSV bytes) as the browser downloads them."""
    measures = Measure.objects.all() if measures is None else measures
    exported = build_export(measures, public=public)
    return (
        write_csv(exported.measure_columns, exported.measures).encode("utf-8"),
        write_csv(exported.partner_columns, exported.partners).encode("utf-8"),
    )


def workbook(raw):
    return load_workbook(io.BytesIO(raw))


def save(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_of(sheet, header):
    for cell in sheet[1]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


def set_cell(sheet, row, header, value):
    sheet.cell(row=row, column=column_of(sheet, header), value=value)


def append_row(sheet, values):
    """Append a row given as {header: value}."""
    row = sheet.max_row + 1
    for header, value in values.items():
        set_cell(sheet, row, header, value)
    return row


def plan_xlsx(raw, user):
    measures, partners, _notices = read_files("massnahmen.xlsx", raw)
    return plan_import(measures, partners, user)


def apply_xlsx(raw, user):
    measures, partners, _notices = read_files("massnahmen.xlsx", raw)
    return apply_import(measures, partners, user)


def plan_csv(raw, partners_raw, user, apply=False):
    measures, partners, notices = read_files(
        "massnahmen.csv", raw, "massnahmen_beteiligte.csv" if partners_raw else "", partners_raw
    )
    plan = (apply_import if apply else plan_import)(measures, partners, user)
    plan.notices = notices + plan.notices
    return plan


def csv_rows(raw):
    table, _ = read_csv(raw, "x.csv")
    return table.headers, [values for _line, values in table.rows]


def error_texts(plan):
    return [str(error) for error in plan.errors]
