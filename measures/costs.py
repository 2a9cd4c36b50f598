"""A measure's cost plan per budget year (CostPlanYear): totals and the plan as data.

``Measure.budget_planned`` and ``budget_spent`` are the totals of the plan (investment plus
running costs, planned and actual, over all years; follow-up costs after completion are not
part of the measure's budget). Whoever saves plan rows stores the totals with them, in the same
transaction, through :func:`totals`.
"""

from decimal import Decimal

PLANNED_FIELDS = ("investment_planned", "running_planned")
ACTUAL_FIELDS = ("investment_actual", "running_actual")
# The plan's columns in the order forms, snapshots and files show them.
PLAN_FIELDS = (
    "investment_planned",
    "investment_actual",
    "running_planned",
    "running_actual",
    "staff_fte_planned",
    "staff_fte_actual",
    "follow_up_planned",
)
AMOUNT_FIELDS = tuple(name for name in PLAN_FIELDS if not name.startswith("staff_"))


def _value(row, name):
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def _sum(rows, names):
    """The sum of these fields over the rows, or None when none of them is stated."""
    values = [_value(row, name) for row in rows for name in names]
    stated = [Decimal(value) for value in values if value is not None]
    return sum(stated, Decimal("0.00")) if stated else None


def totals(rows):
    """(planned, actual) of the plan: investment plus running costs over all years.

    ``rows``: CostPlanYear objects or dicts with their field names. None where nothing is
    stated, so that "not stated" stays distinct from zero.
    """
    rows = list(rows)
    return _sum(rows, PLANNED_FIELDS), _sum(rows, ACTUAL_FIELDS)


def plan_snapshot(rows, part):
    """The plan as JSON-safe data, years ascending; ``part`` "planned" or "actual".

    The planned part belongs to the reviewed substance of a measure; the actual figures are
    progress, which reaches drafts without another review (measures.review.PROGRESS_FIELDS).
    """
    if part == "planned":
        names = ("investment_planned", "running_planned", "staff_fte_planned", "follow_up_planned")
    else:
        names = ("investment_actual", "running_actual", "staff_fte_actual")
    result = []
    for row in sorted(rows, key=lambda r: _value(r, "year")):
        entry = {"year": _value(row, "year")}
        for name in names:
            value = _value(row, name)
            entry[name] = str(value) if value is not None else None
        result.append(entry)
    return result


def column_sums(rows):
    """{field: sum over the years, or None where no year states it} for a totals row."""
    rows = list(rows)
    return {name: _sum(rows, (name,)) for name in PLAN_FIELDS}


def split_for(measure, cost_rows=None, funding_entries=None):
    """finance.split_measure for a measure as stored: its planned costs per year, its approved
    funding per year and its confirmed partners' shares. Bodies are Municipality objects.

    ``cost_rows`` and ``funding_entries``: already loaded rows (else read from the measure).
    """
    from . import finance

    rows = list(measure.cost_plan.all() if cost_rows is None else cost_rows)
    entries = list(measure.funding.all() if funding_entries is None else funding_entries)
    plan = {
        row.year: {
            "investment": row.investment_planned,
            "running": row.running_planned,
            "follow_up": row.follow_up_planned,
        }
        for row in rows
    }
    funding = {}
    for entry in entries:
        if entry.is_approved:
            funding[entry.year] = funding.get(entry.year, Decimal("0")) + entry.amount
    partners = [
        (p.municipality, p.cost_share_percent)
        for p in sorted(measure.confirmed_partnerships, key=lambda p: p.municipality.tree_path)
    ]
    return finance.split_measure(plan, funding, measure.lead_municipality, partners)


def funding_snapshot(entries):
    """Funding entries as JSON-safe data (no personal data), by year and programme."""
    result = [
        {
            "programme": entry.programme.name,
            "year": entry.year,
            "rate_percent": str(entry.rate_percent) if entry.rate_percent is not None else None,
            "amount": str(entry.amount),
            "state": entry.state,
            "state_label": str(entry.get_state_display()),
            "approved": entry.is_approved,
            "proof_due": entry.proof_due.isoformat() if entry.proof_due else None,
        }
        for entry in entries
    ]
    return sorted(result, key=lambda e: (e["year"], e["programme"], e["amount"]))
