"""Values computed from the portal's own data."""

from django.db.models import Count, Q
from django.utils import timezone

from measures.models import Measure, PartnershipState, ReviewState, Status
from procedures import coverage

from ..periods import period_start
from .base import Source, SourceError, to_decimal


class PortalSource(Source):
    """A metric of the lead municipality's measures, as of today's period.

    Option ``metric``: ``share_completed`` (share of its measures that are completed, in %,
    dropped ones not counted; the default), ``count_in_progress`` or ``count_completed``;
    or the OZG coverage ("online in X von Y", in %) of one service (``ozg_coverage_service``,
    option ``leika_key``) or of one Themenfeld (``ozg_coverage_topic``, option ``topic``),
    among the responsible bodies in the lead body's area (district: all; a member Gemeinde:
    its Samtgemeinde).
    """

    kind = "portal"
    COVERAGE_METRICS = ("ozg_coverage_service", "ozg_coverage_topic")
    METRICS = ("share_completed", "count_in_progress", "count_completed", *COVERAGE_METRICS)

    def fetch(self):
        metric = self.options.get("metric", "share_completed")
        if metric not in self.METRICS:
            raise SourceError(f"Unbekannte Kennzahl „{metric}“ des Portals.")
        if metric in self.COVERAGE_METRICS:
            return metric, self._coverage(metric)
        municipality_id = self.indicator.measure.lead_municipality_id
        counts = (
            Measure.objects.filter(
                Q(lead_municipality_id=municipality_id)
                | Q(
                    partnerships__municipality_id=municipality_id,
                    partnerships__state=PartnershipState.CONFIRMED,
                )
            )
            .exclude(review_state=ReviewState.WITHDRAWN)
            .exclude(status=Status.DROPPED)
            .aggregate(
                total=Count("pk", distinct=True),
                completed=Count("pk", filter=Q(status=Status.COMPLETED), distinct=True),
                in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS), distinct=True),
            )
        )
        return metric, counts

    def _coverage(self, metric):
        try:
            online, total = coverage.share(
                leika_key=self.options.get("leika_key")
                if metric == "ozg_coverage_service"
                else None,
                topic=self.options.get("topic") if metric == "ozg_coverage_topic" else None,
                within=self.indicator.measure.lead_municipality,
            )
        except LookupError as exc:
            raise SourceError(str(exc)) from exc
        if not total:
            raise SourceError("Für diese Leistung ist hier keine Kommune zuständig.")
        return {"online": online, "total": total}

    def parse(self, raw):
        metric, counts = raw
        if metric in self.COVERAGE_METRICS:
            value = 100 * counts["online"] / counts["total"]
        elif metric == "share_completed":
            value = 100 * counts["completed"] / counts["total"] if counts["total"] else 0
        elif metric == "count_in_progress":
            value = counts["in_progress"]
        else:
            value = counts["completed"]
        period = period_start(timezone.localdate(), self.indicator.frequency)
        return {period: to_decimal(round(value, 4), "Portal")}
