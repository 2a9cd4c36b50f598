"""Dates outside 1900–2100 are refused with a German message (form, import), and a measure
with such a date stored earlier shows it readably instead of "1-01"."""

import datetime

import pytest
from django.urls import reverse

from measures.forms import MonthInput
from measures.models import Measure
from tests.factories import MeasureFactory

from .exchange_helpers import append_row, error_texts, export_xlsx, plan_xlsx, save, workbook
from .test_permissions import form_data

MESSAGE = "außerhalb der Jahre 1900 bis 2100"


@pytest.mark.parametrize("month", ["0001-01", "1899-12", "2101-01", "01.0001"])
def test_measure_form_refuses_a_start_outside_the_range(as_role, district, month):
    response = as_role("editor_own").post(
        reverse("measures:create"), form_data(None, district["hitzacker"], planned_start=month)
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Measure.objects.exists()


def test_the_range_limits_are_accepted(as_role, district):
    response = as_role("editor_own").post(
        reverse("measures:create"),
        form_data(None, district["hitzacker"], planned_start="1900-01", planned_end="2100-12"),
    )
    assert response.status_code == 302


def test_a_stored_year_1_is_shown_with_four_digits_and_refused_with_a_message(as_role, district):
    # Stored before the range was checked: the form shows 0001-01 (not "1-01") and says why.
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"], planned_start=datetime.date(1, 1, 1)
    )
    assert MonthInput().format_value(datetime.date(1, 1, 1)) == "0001-01"
    client = as_role("editor_own")
    page = client.get(reverse("measures:update", args=[measure.pk])).content.decode()
    assert 'value="0001-01"' in page
    response = client.post(
        reverse("measures:update", args=[measure.pk]),
        form_data(measure, district["hitzacker"], planned_start="0001-01"),
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()


def test_exchange_import_refuses_a_year_outside_the_range(district, users):
    MeasureFactory(lead_municipality=district["hitzacker"])
    book = workbook(export_xlsx())
    sheet = book.worksheets[0]
    row = {
        sheet.cell(row=1, column=c).value: sheet.cell(row=2, column=c).value
        for c in range(1, sheet.max_column + 1)
    }
    row.update({"ID": None, "Version": None, "Titel": "Neu", "geplanter Beginn": "01.01.0001"})
    append_row(sheet, {k: v for k, v in row.items() if k})
    plan = plan_xlsx(save(book), users["editor_own"])
    assert any(MESSAGE in text for text in error_texts(plan)), error_texts(plan)
