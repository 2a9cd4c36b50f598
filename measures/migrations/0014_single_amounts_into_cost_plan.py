"""Today's single amounts of a measure move into its cost plan, to the cent.

A measure held one planned and one spent amount without a year. Each becomes the running costs
(ordentliche Aufwendungen: what most digitalisation costs are in the Doppik, services and
licences) of one budget year: the year of the planned start, else the current year. The body
may split it into investment and other years afterwards. The totals on the measure stay as
they were, being the plan's sums.
"""

from django.db import migrations
from django.utils import timezone

FIRST_YEAR, LAST_YEAR = 2000, 2100


def plan_year(planned_start, today):
    year = planned_start.year if planned_start else today.year
    # Dates before 2000 or after 2100 were allowed for the start: clamp to the plan's years.
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def forwards(apps, schema_editor):
    Measure = apps.get_model("measures", "Measure")
    CostPlanYear = apps.get_model("measures", "CostPlanYear")
    today = timezone.localdate()
    rows = []
    amounts = Measure.objects.exclude(budget_planned__isnull=True, budget_spent__isnull=True)
    for pk, start, planned, spent in amounts.values_list(
        "pk", "planned_start", "budget_planned", "budget_spent"
    ).iterator():
        rows.append(
            CostPlanYear(
                measure_id=pk,
                year=plan_year(start, today),
                running_planned=planned,
                running_actual=spent,
            )
        )
    CostPlanYear.objects.bulk_create(rows, batch_size=500)


def backwards(apps, schema_editor):
    """The totals stayed on the measure; the plan rows go with the table."""


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0013_cost_plan_per_budget_year"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
