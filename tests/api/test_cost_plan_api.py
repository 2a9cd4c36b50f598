"""The cost plan and funding in the API: read with the measure, one year written with a key."""

from decimal import Decimal

import pytest

from measures.models import CostPlanYear, FundingEntry, FundingProgramme, Measure, ReviewState
from measures.review import review_snapshot

from .conftest import ROLES


def url(measure):
    return f"/api/v1/measures/{measure.pk}/cost-plan/"


@pytest.fixture
def plan(data):
    measure = data["published"]
    CostPlanYear.objects.create(
        measure=measure,
        year=2027,
        investment_planned=Decimal("10000"),
        running_actual=Decimal("99.99"),
    )
    FundingEntry.objects.create(
        measure=measure,
        programme=FundingProgramme.objects.get(name="LEADER (ELER)"),
        year=2027,
        amount=Decimal("4000"),
        state="applied",
    )
    return measure


def test_internal_readers_get_plan_funding_and_task_kind(api_as, plan):
    Measure.objects.filter(pk=plan.pk).update(task_kind="voluntary", budget_product="11.1.01")
    body = api_as("token_own").get(f"/api/v1/measures/{plan.pk}/").json()
    assert body["task_kind"] == "voluntary" and body["budget_product"] == "11.1.01"
    assert body["cost_plan"] == [
        {
            "year": 2027,
            "investment_planned": "10000.00",
            "running_planned": None,
            "staff_fte_planned": None,
            "follow_up_planned": None,
        }
    ]
    assert body["cost_actual"][0]["running_actual"] == "99.99"
    assert body["funding"][0]["programme"] == "LEADER (ELER)"
    assert body["funding"][0]["state"] == "applied" and body["funding"][0]["approved"] is False


def test_the_list_reads_plans_in_constant_queries(
    api_as, plan, data, django_assert_max_num_queries
):
    client = api_as("editor_own")
    client.get("/api/v1/measures/")  # warm the session and caches
    with django_assert_max_num_queries(20) as counted:
        client.get("/api/v1/measures/")
    few = len(counted.captured_queries)
    for i in range(5):
        other = Measure.objects.create(
            lead_municipality=plan.lead_municipality,
            field_of_action=plan.field_of_action,
            title=f"Weitere {i}",
            summary="Kurz.",
        )
        CostPlanYear.objects.create(measure=other, year=2027, running_planned=Decimal(i))
    with django_assert_max_num_queries(few):
        assert client.get("/api/v1/measures/").status_code == 200


# anonymous, editor_own, editor_other, samtgemeinde_editor, coordinator, council, token_own,
# token_other, token_revoked
WRITE = {
    "anonymous": 401,
    "editor_own": 201,
    "editor_other": 403,
    "samtgemeinde_editor": 201,
    "coordinator": 201,
    "council": 403,
    "token_own": 201,
    "token_other": 403,
    "token_revoked": 401,
}


@pytest.mark.parametrize("role", ROLES)
def test_write_matrix(api_as, plan, role):
    response = api_as(role).post(
        url(plan), {"year": 2028, "running_planned": "1.500,50"}, content_type="application/json"
    )
    assert response.status_code == WRITE[role], response.content
    created = CostPlanYear.objects.filter(measure=plan, year=2028).exists()
    assert created is (WRITE[role] == 201)


def test_a_key_writes_a_year_idempotently_and_totals_follow(api_as, plan):
    client = api_as("token_own")
    first = client.post(
        url(plan),
        {"year": 2028, "running_planned": 1500.5, "staff_fte_planned": "0,5"},
        content_type="application/json",
    )
    assert first.status_code == 201
    assert first.json()["result"] == "created"
    assert first.json()["running_planned"] == "1500.50"
    again = client.post(
        url(plan), {"year": 2028, "running_planned": "1500,50"}, content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["result"] == "unchanged"
    actual = client.post(
        url(plan), {"year": 2027, "running_actual": "120"}, content_type="application/json"
    )
    assert actual.status_code == 200 and actual.json()["result"] == "updated"
    # Fields not sent keep their value.
    assert actual.json()["investment_planned"] == "10000.00"
    plan.refresh_from_db()
    assert plan.budget_planned == Decimal("11500.50")
    assert plan.budget_spent == Decimal("120.00")


def test_a_changed_plan_sends_an_accepted_measure_back_to_review(api_as, plan):
    # The totals as the plan's sums (the fixture's measure predates its plan).
    Measure.objects.filter(pk=plan.pk).update(
        budget_planned=Decimal("10000.00"), budget_spent=Decimal("99.99")
    )
    plan.refresh_from_db()
    Measure.objects.filter(pk=plan.pk).update(
        review_state=ReviewState.ACCEPTED, accepted_snapshot=review_snapshot(plan)
    )
    version = Measure.objects.get(pk=plan.pk).version
    client = api_as("token_own")
    client.post(url(plan), {"year": 2027, "running_actual": "5"}, content_type="application/json")
    plan.refresh_from_db()
    assert plan.review_state == ReviewState.ACCEPTED and plan.version == version + 1
    assert plan.accepted_snapshot["cost_actual"][0]["running_actual"] == "5.00"
    client.post(url(plan), {"year": 2027, "running_planned": "5"}, content_type="application/json")
    plan.refresh_from_db()
    assert plan.review_state == ReviewState.SUBMITTED


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"year": 0, "running_planned": "5"}, "year", "2000 bis 2100"),
        ({"year": 99999}, "year", "2000 bis 2100"),
        ({"year": 2027, "running_planned": "-5"}, "running_planned", "negativen"),
        ({"year": 2027, "investment_planned": "1000000000000000"}, "investment_planned", "zu groß"),
        ({"year": 2027, "staff_fte_actual": "1000"}, "staff_fte_actual", "999,99"),
        ({"year": 2027, "running_planned": "12\u000034"}, "running_planned", ""),
        ({"running_planned": "5"}, "year", "Haushaltsjahr"),
    ],
)
def test_bad_input_is_refused_in_german(api_as, plan, body, field, message):
    response = api_as("token_own").post(url(plan), body, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert CostPlanYear.objects.filter(measure=plan).count() == 1


def test_another_bodys_measure_is_refused(api_as, data):
    response = api_as("token_own").post(
        url(data["other"]), {"year": 2027, "running_planned": "5"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "anderen Kommune" in response.json()["detail"]
    assert not CostPlanYear.objects.filter(measure=data["other"]).exists()
