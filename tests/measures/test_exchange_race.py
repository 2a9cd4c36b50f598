"""Applying an import locks the measures: a concurrent save is waited for, then refuses the file."""

import threading

import pytest
from django.db import connection, transaction
from django.db.models import F

from measures.exchange.sheets import MEASURES_SHEET
from measures.models import Measure
from tests.factories import MeasureFactory

from .exchange_helpers import apply_xlsx, export_xlsx, save, set_cell, workbook

pytestmark = pytest.mark.django_db(transaction=True)


def test_apply_waits_for_a_concurrent_save_and_then_refuses(district, users):
    if connection.vendor != "postgresql":
        pytest.skip("Zeilensperren (select_for_update) gibt es nur mit PostgreSQL; CI prüft dort.")
    measure = MeasureFactory(lead_municipality=district["hitzacker"], summary="Alt")
    book = workbook(export_xlsx(Measure.objects.filter(pk=measure.pk)))
    set_cell(book[MEASURES_SHEET], 2, "Kurzbeschreibung", "Aus Excel")
    raw = save(book)
    locked, release = threading.Event(), threading.Event()
    result = {}

    def other_editor():
        try:
            with transaction.atomic():
                Measure.objects.select_for_update().get(pk=measure.pk)
                locked.set()
                release.wait(10)
                Measure.objects.filter(pk=measure.pk).update(
                    version=F("version") + 1, summary="Parallel gespeichert"
                )
        finally:
            connection.close()

    def importer():
        try:
            result["plan"] = apply_xlsx(raw, users["editor_own"])
        finally:
            connection.close()

    editor_thread = threading.Thread(target=other_editor)
    editor_thread.start()
    assert locked.wait(10)
    import_thread = threading.Thread(target=importer)
    import_thread.start()
    import_thread.join(timeout=1)
    assert import_thread.is_alive(), "the import must wait for the row lock"
    release.set()
    editor_thread.join(10)
    import_thread.join(10)
    plan = result["plan"]
    assert not plan.applied
    assert "seit dem Export im Portal geändert" in str(plan.errors[0])
    assert Measure.objects.get(pk=measure.pk).summary == "Parallel gespeichert"


def test_a_plan_import_waits_for_a_concurrent_cost_plan_save_and_then_refuses(district, users):
    """The cost plan's API (cost_service.store_year) and the import lock the same measure row:
    the import waits, sees the new version and stores nothing over the other save."""
    if connection.vendor != "postgresql":
        pytest.skip("Zeilensperren (select_for_update) gibt es nur mit PostgreSQL; CI prüft dort.")
    from decimal import Decimal

    from measures.cost_service import store_year
    from measures.exchange.importer import apply_import, read_upload
    from measures.exchange.sheets import COSTS_SHEET
    from measures.models import CostPlanYear

    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    CostPlanYear.objects.create(measure=measure, year=2027, investment_planned=Decimal("100"))
    book = workbook(export_xlsx(Measure.objects.filter(pk=measure.pk)))
    set_cell(book[COSTS_SHEET], 2, "Investition geplant (EUR)", 200)
    upload = read_upload("plan.xlsx", save(book))
    locked, release = threading.Event(), threading.Event()
    result = {}

    def other_editor():
        try:
            with transaction.atomic():
                Measure.objects.select_for_update().get(pk=measure.pk)
                locked.set()
                release.wait(10)
                store_year(measure, {"year": 2027, "investment_planned": "300"}, None)
        finally:
            connection.close()

    def importer():
        try:
            result["plan"] = apply_import(user=users["editor_own"], **upload.plan_tables())
        finally:
            connection.close()

    editor_thread = threading.Thread(target=other_editor)
    editor_thread.start()
    assert locked.wait(10)
    import_thread = threading.Thread(target=importer)
    import_thread.start()
    import_thread.join(timeout=1)
    assert import_thread.is_alive(), "the import must wait for the row lock"
    release.set()
    editor_thread.join(10)
    import_thread.join(10)
    plan = result["plan"]
    assert not plan.applied
    assert "seit dem Export im Portal geändert" in str(plan.errors[0])
    row = CostPlanYear.objects.get(measure=measure)
    assert row.investment_planned == Decimal("300.00")
    assert Measure.objects.get(pk=measure.pk).budget_planned == Decimal("300.00")
