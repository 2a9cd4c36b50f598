"""The cost plan per budget year in the measure form: entry, totals, bad input, permissions."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import CostPlanYear, Measure, ReviewState
from measures.review import measure_snapshot, review_snapshot

from ..factories import MeasureFactory
from .test_permissions import ROLES, expected_for, form_data


@pytest.fixture
def measure(district):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitaler Bauantrag")
    CostPlanYear.objects.create(
        measure=measure,
        year=2027,
        investment_planned=Decimal("10000.00"),
        running_planned=Decimal("2500.50"),
        running_actual=Decimal("100.00"),
    )
    CostPlanYear.objects.create(measure=measure, year=2028, running_planned=Decimal("3000.00"))
    Measure.objects.filter(pk=measure.pk).update(
        budget_planned=Decimal("15500.50"), budget_spent=Decimal("100.00")
    )
    measure.refresh_from_db()
    return measure


def plan_data(*rows, initial=0):
    """Formset data of the cost plan; rows are dicts of field -> typed text."""
    data = {
        "costs-TOTAL_FORMS": str(len(rows)),
        "costs-INITIAL_FORMS": str(initial),
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"costs-{i}-{key}"] = value
    return data


def edit_data(measure, lead, *rows, initial=None, **overrides):
    data = {k: v for k, v in form_data(measure, lead, **overrides).items() if "costs-" not in k}
    stored = list(measure.cost_plan.order_by("year"))
    data.update(plan_data(*rows, initial=len(stored) if initial is None else initial))
    return data


def existing(row, **changes):
    """Form data of a stored row as the edit form shows it, with ``changes``."""
    data = {"id": str(row.pk), "measure": str(row.measure_id), "year": str(row.year)}
    for name in ("investment_planned", "running_planned", "running_actual"):
        value = getattr(row, name)
        data[name] = str(value).replace(".", ",") if value is not None else ""
    data.update(changes)
    return data


def test_a_new_measure_gets_its_plan_and_totals(as_role, district):
    data = {
        k: v
        for k, v in form_data(None, district["hitzacker"], task_kind="voluntary").items()
        if "costs-" not in k
    }
    data.update(
        plan_data(
            {
                "year": "2027",
                "investment_planned": "12.000,00",
                "running_planned": "1.500,25",
                "staff_fte_planned": "0,5",
            },
            {"year": "2028", "running_planned": "1500", "follow_up_planned": "800"},
            {"year": "", "running_planned": ""},  # the empty row is ignored
        )
    )
    data["budget_product"] = "11.1.01 Digitalisierung"
    response = as_role("editor_own").post(reverse("measures:create"), data)
    assert response.status_code == 302
    measure = Measure.objects.get()
    rows = list(measure.cost_plan.order_by("year"))
    assert [r.year for r in rows] == [2027, 2028]
    assert rows[0].staff_fte_planned == Decimal("0.50")
    assert rows[1].follow_up_planned == Decimal("800")
    # Investment and running costs of all years; follow-up costs after completion are not.
    assert measure.budget_planned == Decimal("15000.25")
    assert measure.budget_spent is None  # nothing actual stated: not zero
    assert measure.task_kind == "voluntary"
    assert measure.budget_product == "11.1.01 Digitalisierung"
    page = as_role("editor_own").get(measure.get_absolute_url()).content.decode()
    assert "Kostenplan" in page and "12.000,00" in page and "15.000,25 € geplant" in page
    assert '<th scope="row">Summe</th>' in page
    assert "freiwillige Leistung" in page and "11.1.01 Digitalisierung" in page


def test_editing_changes_removes_and_swaps_years(as_role, district, measure):
    first, second = measure.cost_plan.order_by("year")
    data = edit_data(
        measure,
        district["hitzacker"],
        # The years of the two rows change places; the second is also changed.
        existing(first, year="2028"),
        existing(second, year="2027", running_planned="4.000"),
        {"year": "2029", "running_planned": "1,99", "running_actual": "2"},
    )
    response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 302, response.context["form"].cost_plan.errors
    measure.refresh_from_db()
    plan = {r.year: (r.investment_planned, r.running_planned) for r in measure.cost_plan.all()}
    assert plan == {
        2027: (None, Decimal("4000.00")),
        2028: (Decimal("10000.00"), Decimal("2500.50")),
        2029: (None, Decimal("1.99")),
    }
    assert measure.budget_planned == Decimal("16502.49")
    assert measure.budget_spent == Decimal("102.00")

    rows = list(measure.cost_plan.order_by("year"))
    data = edit_data(
        measure,
        district["hitzacker"],
        existing(rows[0], DELETE="on"),
        existing(rows[1]),
        existing(rows[2]),
    )
    response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert sorted(measure.cost_plan.values_list("year", flat=True)) == [2028, 2029]
    assert measure.budget_planned == Decimal("12502.49")


def test_a_post_without_the_plan_leaves_it_alone(as_role, district, measure):
    data = {
        k: v
        for k, v in form_data(measure, district["hitzacker"], title="Neu").items()
        if "costs-" not in k
    }
    response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.title == "Neu"
    assert measure.cost_plan.count() == 2
    assert measure.budget_planned == Decimal("15500.50")


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"year": "2027", "running_planned": "-5"}, "running_planned", "keinen negativen"),
        (
            {"year": "2027", "investment_planned": "1000000000000000"},
            "investment_planned",
            "höchstens 999.999.999.999,99 €",
        ),
        ({"year": "2027", "running_actual": "12,345"}, "running_actual", "auf den Cent"),
        ({"year": "0", "running_planned": "5"}, "year", "von 2000 bis 2100"),
        ({"year": "99999", "running_planned": "5"}, "year", "von 2000 bis 2100"),
        ({"year": "20\x0027", "running_planned": "5"}, "year", "vierstellig"),
        ({"year": "2027", "running_planned": "5\x00"}, "running_planned", "Zahl"),
        ({"year": "", "running_planned": "5"}, "year", "Haushaltsjahr dieser Zeile"),
        ({"year": "2027", "staff_fte_planned": "1000"}, "staff_fte_planned", "999,99"),
        ({"year": "2027", "staff_fte_actual": "-1"}, "staff_fte_actual", "negativen"),
        ({"year": "2027", "follow_up_planned": "x" * 100_000}, "follow_up_planned", "Zahl"),
    ],
)
def test_bad_input_is_explained_at_the_field_and_nothing_is_stored(
    as_role, district, measure, row, field, message
):
    data = edit_data(measure, district["hitzacker"], row, initial=0, title="Nicht gespeichert")
    response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 200
    costs = response.context["form"].cost_plan
    errors = " ".join(costs.forms[0].errors.get(field, []))
    assert message in errors, costs.errors
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "Kostenplan, Zeile 1" in page
    measure.refresh_from_db()
    assert measure.title == "Digitaler Bauantrag"
    assert measure.cost_plan.count() == 2 and measure.budget_planned == Decimal("15500.50")


def test_a_year_twice_is_refused(as_role, district, measure):
    first, second = measure.cost_plan.order_by("year")
    data = edit_data(
        measure,
        district["hitzacker"],
        existing(first),
        existing(second),
        {"year": "2027", "running_planned": "1"},
    )
    response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].cost_plan.forms[2].errors["year"]
    assert "Das Haushaltsjahr 2027 steht schon in Zeile 1." in errors
    assert measure.cost_plan.count() == 2


def test_a_crafted_row_of_another_measure_is_refused(as_role, district, measure):
    foreign = MeasureFactory(lead_municipality=district["gorleben"], title="Glasfaser")
    row = CostPlanYear.objects.create(measure=foreign, year=2030, running_planned=Decimal("7"))
    first, second = measure.cost_plan.order_by("year")
    data = edit_data(
        measure,
        district["hitzacker"],
        existing(first),
        existing(second),
        existing(row, running_planned="999", measure=str(measure.pk)),
        initial=3,
    )
    response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 200
    assert "gehört nicht hierher" in response.content.decode()
    row.refresh_from_db()
    assert row.running_planned == Decimal("7.00") and row.measure == foreign
    assert measure.cost_plan.count() == 2


def test_garbled_counts_are_refused_in_german(as_role, district, measure):
    data = edit_data(measure, district["hitzacker"], initial=5)
    response = as_role("editor_own").post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == 200
    assert "Der Kostenplan wurde unvollständig übermittelt" in response.content.decode()
    assert measure.cost_plan.count() == 2


# anonymous, editor_own, editor_other, samtgemeinde_editor, coordinator, council
PLAN_POST = (302, 302, 403, 302, 302, 403)


@pytest.mark.parametrize("role", ROLES)
def test_only_who_may_edit_the_measure_changes_its_plan(as_role, district, measure, role):
    first, second = measure.cost_plan.order_by("year")
    data = edit_data(
        measure,
        district["hitzacker"],
        existing(first, running_planned="1"),
        existing(second, DELETE="on"),
    )
    response = as_role(role).post(reverse("measures:update", args=[measure.pk]), data)
    assert response.status_code == expected_for(PLAN_POST)[role]
    allowed = role in ("editor_own", "samtgemeinde_editor", "coordinator")
    assert (measure.cost_plan.count() == 1) is allowed
    measure.refresh_from_db()
    assert (measure.budget_planned == Decimal("10001.00")) is allowed


def test_actual_figures_are_progress_planned_ones_need_review(as_role, district, measure, users):
    Measure.objects.filter(pk=measure.pk).update(
        review_state=ReviewState.ACCEPTED, accepted_snapshot=review_snapshot(measure)
    )
    measure.refresh_from_db()
    first, second = measure.cost_plan.order_by("year")
    client = as_role("editor_own")
    data = edit_data(
        measure, district["hitzacker"], existing(first, running_actual="250"), existing(second)
    )
    data.update(
        planned_start=_month(measure.planned_start), planned_end=_month(measure.planned_end)
    )
    data.update(title=measure.title, summary=measure.summary, description=measure.description)
    _same_fields(data, measure)
    assert client.post(reverse("measures:update", args=[measure.pk]), data).status_code == 302
    measure.refresh_from_db()
    assert measure.review_state == ReviewState.ACCEPTED
    assert measure.accepted_snapshot["cost_actual"][0]["running_actual"] == "250.00"
    assert measure.accepted_snapshot["budget_spent"] == "250.00"

    data = edit_data(
        measure, district["hitzacker"], existing(first, running_planned="9"), existing(second)
    )
    data.update(
        planned_start=_month(measure.planned_start), planned_end=_month(measure.planned_end)
    )
    data.update(title=measure.title, summary=measure.summary, description=measure.description)
    _same_fields(data, measure)
    assert client.post(reverse("measures:update", args=[measure.pk]), data).status_code == 302
    measure.refresh_from_db()
    assert measure.review_state == ReviewState.SUBMITTED
    # Drafts keep the accepted plan until the coordinator accepts again.
    assert measure.accepted_snapshot["cost_plan"][0]["running_planned"] == "2500.50"


def _month(value):
    return value.strftime("%Y-%m") if value else ""


def _same_fields(data, measure):
    """The other fields as stored, so that only the plan changes."""
    for name in ("status", "priority", "funding_source", "contact_name", "contact_role"):
        data[name] = getattr(measure, name)
    data["contact_email"] = measure.contact_email
    data["leika_key"] = measure.leika_key
    data["field_of_action"] = str(measure.field_of_action_id)
    data["goals"] = [str(g.pk) for g in measure.goals.all()]
    for name in ("for_citizens", "for_businesses", "for_administration"):
        if getattr(measure, name):
            data[name] = "on"
        else:
            data.pop(name, None)


def test_the_form_shows_the_plan_with_labels(as_role, measure):
    page = as_role("editor_own").get(reverse("measures:update", args=[measure.pk]))
    html = page.content.decode()
    assert "Kostenplan nach Haushaltsjahren" in html
    assert 'for="id_costs-0-year"' in html and 'value="2027"' in html
    assert 'id="add-cost-year"' in html and "Dieses Haushaltsjahr entfernen" in html


def test_the_snapshot_reads_the_plan_once(measure):
    """The planned and the actual part come from one read of the plan, not one each."""
    measure = Measure.objects.get(pk=measure.pk)
    with CaptureQueriesContext(connection) as queries:
        snapshot = measure_snapshot(measure)
    table = CostPlanYear._meta.db_table
    assert sum(table in q["sql"] for q in queries.captured_queries) == 1
    assert [row["year"] for row in snapshot["cost_plan"]] == [2027, 2028]
    assert [row["year"] for row in snapshot["cost_actual"]] == [2027, 2028]
    assert snapshot["cost_actual"][0]["running_actual"] == "100.00"
