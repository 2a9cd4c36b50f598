"""The exchange carries the measure's money fields both ways: task kind and budget product."""

from decimal import Decimal

import pytest

from measures.exchange.sheets import MEASURES_SHEET
from measures.models import CostPlanYear, Measure
from tests.factories import MeasureFactory

from .exchange_helpers import (
    apply_xlsx,
    csv_rows,
    error_texts,
    export_csv,
    export_xlsx,
    plan_csv,
    plan_xlsx,
    save,
    set_cell,
    workbook,
)

KIND = "Pflichtaufgabe oder freiwillige Leistung"
PRODUCT = "Produkt / Kostenstelle"


@pytest.fixture
def measure(district):
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"],
        title="Digitale Bauakte",
        task_kind="mandatory",
        budget_product="11.1.01 Digitalisierung",
    )
    CostPlanYear.objects.create(measure=measure, year=2027, running_planned=Decimal("100"))
    Measure.objects.filter(pk=measure.pk).update(budget_planned=Decimal("100"))
    return Measure.objects.get(pk=measure.pk)


def test_xlsx_round_trip_keeps_and_changes_the_fields(measure, users):
    raw = export_xlsx()
    sheet = workbook(raw)[MEASURES_SHEET]
    headers = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[headers.index(KIND)] == "Pflichtaufgabe"
    assert row[headers.index(PRODUCT)] == "11.1.01 Digitalisierung"
    # Imported as exported: nothing changes, the plan and its totals stay.
    assert plan_xlsx(raw, users["editor_own"]).unchanged == 1
    book = workbook(raw)
    set_cell(book[MEASURES_SHEET], 2, KIND, "freiwillige Leistung")
    set_cell(book[MEASURES_SHEET], 2, PRODUCT, "11.1.02")
    plan = apply_xlsx(save(book), users["editor_own"])
    assert plan.errors == [], error_texts(plan)
    assert plan.changed == 1
    measure.refresh_from_db()
    assert (measure.task_kind, measure.budget_product) == ("voluntary", "11.1.02")
    assert measure.cost_plan.count() == 1 and measure.budget_planned == Decimal("100.00")


def test_an_unknown_kind_is_refused_at_its_cell(measure, users):
    book = workbook(export_xlsx())
    set_cell(book[MEASURES_SHEET], 2, KIND, "Kür")
    plan = plan_xlsx(save(book), users["editor_own"])
    assert len(plan.errors) == 1
    assert KIND in str(plan.errors[0]) and "freiwillige Leistung" in str(plan.errors[0])


def test_csv_carries_the_fields_and_the_public_export_too(measure, users):
    measures_csv, partners_csv = export_csv()
    headers, rows = csv_rows(measures_csv)
    assert rows[0][headers.index(KIND)] == "Pflichtaufgabe"
    assert plan_csv(measures_csv, partners_csv, users["editor_own"]).unchanged == 1
    public_headers, _rows = csv_rows(export_csv(public=True)[0])
    assert KIND in public_headers and PRODUCT in public_headers
