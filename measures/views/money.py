"""A body's money on its dashboard: the same figures as the Vorlage's "Finanzielle Auswirkungen"
(measures.impact), from the current data for staff and from the published versions
for the public (no contact data). Cached until the planning data changes (core.data_version).
"""

from django.utils import timezone

from core import data_version
from municipalities.models import Municipality

from ..impact import financial_impact, impact_view
from ..review import measure_snapshot


def _bodies():
    return [
        {"id": pk, "name": name, "label": label}
        for pk, name, label in Municipality.objects.values_list("pk", "name", "label")
    ]


def money_context(scope, municipality, public, version):
    """{"money": formatted figures or None}; ``scope``: the measures the dashboard shows."""

    def compute():
        if public:
            published = scope.filter(public_snapshot__isnull=False)
            measures = list(published.values_list("public_snapshot", flat=True))
        else:
            measures = [
                measure_snapshot(m)
                for m in scope.with_related()
                .with_money()
                .defer("accepted_snapshot", "public_snapshot")
            ]
        snapshot = {
            "frozen_at": timezone.now().isoformat(),
            "bodies": _bodies(),
            "measures": measures,
        }
        body = None if municipality.is_district else municipality.pk
        return impact_view(financial_impact(snapshot, body=body))

    audience = "public" if public else "internal"
    money = data_version.cached(
        f"measures-dashboard:{audience}:{municipality.pk}:money", compute, version=version
    )
    return {"money": None if money["is_empty"] else money}
