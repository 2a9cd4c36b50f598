"""A body's money on its dashboard: the same figures as the Vorlage's "Finanzielle Auswirkungen"
(measures.impact), from the current data for staff and from the published versions for the
public (no contact data). Four queries, whatever the number of measures, and cached until the
planning data changes (core.data_version).
"""

from collections import defaultdict

from django.utils import timezone

from core import data_version

from ..impact import financial_impact, impact_view
from ..models import CostPlanYear, FundingEntry, FundingState, Partnership, PartnershipState

APPROVED = (FundingState.APPROVED, FundingState.SETTLED)
PUBLISHED_KEYS = (
    "reference",
    "lead",
    "partners",
    "field_of_action",
    "task_kind",
    "cost_plan",
    "funding",
    "planned_start",
    "budget_planned",
)


def _current(scope):
    """Measure dicts as measures.impact reads them, from the current data (four queries)."""
    ids = scope.values("pk")
    plans, funding, partners = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in CostPlanYear.objects.filter(measure__in=ids).values(
        "measure_id", "year", "investment_planned", "running_planned", "follow_up_planned"
    ):
        plans[row.pop("measure_id")].append(row)
    for row in FundingEntry.objects.filter(measure__in=ids).values(
        "measure_id", "year", "amount", "state"
    ):
        row["approved"] = row["state"] in APPROVED
        funding[row.pop("measure_id")].append(row)
    for measure_id, body, share in Partnership.objects.filter(
        measure__in=ids, state=PartnershipState.CONFIRMED
    ).values_list("measure_id", "municipality_id", "cost_share_percent"):
        partners[measure_id].append({"id": body, "cost_share_percent": share})
    return [
        {
            "reference": f"M-{pk:04d}",
            "lead": {"id": lead},
            "partners": partners[pk],
            "field_of_action": field,
            "task_kind": kind,
            "cost_plan": plans[pk],
            "funding": funding[pk],
        }
        for pk, lead, field, kind in scope.order_by().values_list(
            "pk", "lead_municipality_id", "field_of_action__number", "task_kind"
        )
    ]


def _published(scope):
    """Measure dicts from the published versions: only the keys needed (one query)."""
    paths = [f"public_snapshot__{key}" for key in PUBLISHED_KEYS]
    measures = []
    for values in scope.filter(public_snapshot__isnull=False).order_by().values_list(*paths):
        measure = {k: v for k, v in zip(PUBLISHED_KEYS, values, strict=True) if v is not None}
        measure.setdefault("partners", [])
        if "lead" in measure:
            measures.append(measure)
    return measures


def money_context(scope, municipality, public, version):
    """{"money": formatted figures or None}; ``scope``: the measures the dashboard shows."""

    def compute():
        snapshot = {
            "frozen_at": timezone.now().isoformat(),
            "bodies": [],
            "measures": _published(scope) if public else _current(scope),
        }
        if municipality.is_district:
            return impact_view(financial_impact(snapshot))
        # A Samtgemeinde's figures cover its member Gemeinden, as in its Vorlage.
        bodies = {municipality.pk}
        if municipality.is_samtgemeinde:
            bodies |= set(municipality.children.values_list("pk", flat=True))
        return impact_view(financial_impact(snapshot, bodies=bodies))

    audience = "public" if public else "internal"
    money = data_version.cached(
        f"measures-dashboard:{audience}:{municipality.pk}:money", compute, version=version
    )
    return {"money": None if money["is_empty"] else money}
