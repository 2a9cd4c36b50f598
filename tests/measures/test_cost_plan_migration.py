"""The migration that moves today's single amounts into the cost plan, run on old data."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("measures", "0012_measure_status_changes")]
AFTER = [("measures", "0014_single_amounts_into_cost_plan")]


@pytest.fixture
def back_to_latest():
    """Whatever the test does, the schema ends at the latest migrations for the next tests."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
@time_machine.travel(datetime.datetime(2026, 11, 5, 12, tzinfo=datetime.UTC), tick=False)
def test_single_amounts_move_into_the_plan_without_losing_a_cent(district, back_to_latest):
    old = migrate(BEFORE)
    Measure = old.get_model("measures", "Measure")
    FieldOfAction = old.get_model("fields_of_action", "FieldOfAction")
    lead_id = district["hitzacker"].pk
    field = FieldOfAction.objects.order_by("number").first()

    def make(title, **values):
        return Measure.objects.create(
            lead_municipality_id=lead_id,
            field_of_action=field,
            title=title,
            summary="Kurz.",
            **values,
        ).pk

    started = make(
        "Mit Beginn",
        planned_start=datetime.date(2027, 3, 1),
        budget_planned=Decimal("9999999999.99"),
        budget_spent=Decimal("0.01"),
    )
    undated = make("Ohne Beginn", budget_planned=Decimal("12500.50"))
    only_spent = make("Nur verausgabt", budget_spent=Decimal("100.00"))
    early = make("Sehr früh", planned_start=datetime.date(1950, 1, 1), budget_planned=Decimal(1))
    nothing = make("Ohne Beträge")
    totals = {
        pk: Measure.objects.filter(pk=pk).values_list("budget_planned", "budget_spent").get()
        for pk in (started, undated, only_spent, early, nothing)
    }

    new = migrate(AFTER)
    CostPlanYear = new.get_model("measures", "CostPlanYear")
    NewMeasure = new.get_model("measures", "Measure")

    def plan(pk):
        return list(
            CostPlanYear.objects.filter(measure_id=pk).values_list(
                "year", "running_planned", "running_actual", "investment_planned"
            )
        )

    assert plan(started) == [(2027, Decimal("9999999999.99"), Decimal("0.01"), None)]
    assert plan(undated) == [(2026, Decimal("12500.50"), None, None)]
    assert plan(only_spent) == [(2026, None, Decimal("100.00"), None)]
    assert plan(early) == [(2000, Decimal("1.00"), None, None)]
    assert plan(nothing) == []
    # The totals on the measure are unchanged and equal the plan's sums.
    for pk, (planned, spent) in totals.items():
        row = NewMeasure.objects.filter(pk=pk).values_list("budget_planned", "budget_spent").get()
        assert row == (planned, spent)
    total_planned = sum((r[1] or 0 for pk in totals for r in plan(pk)), Decimal("0"))
    assert total_planned == sum((p or 0 for p, _s in totals.values()), Decimal("0"))
