"""Roll-up of indicator status per measure, field of action, municipality and district.

Everything a dashboard shows comes from a fixed number of queries, whatever the number of
measures and indicators: the status is computed in Python from annotated latest values.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from fields_of_action.models import FieldOfAction
from measures.models import Status
from measures.review import show_published_version

from .models import Indicator
from .status import CURRENT_STATUSES, IndicatorStatus, indicator_status, worst_status

# Measures that should be evaluated (have indicators and assessments).
ACTIVE_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.COMPLETED)
ASSESSED_STATUSES = (Status.IN_PROGRESS, Status.COMPLETED)


@dataclass
class Group:
    """Status counts of the indicators of one measure, field, municipality or the district."""

    key: object
    label: str
    counts: Counter = field(default_factory=Counter)
    measures: set = field(default_factory=set)

    @property
    def total(self):
        return sum(self.counts.values())

    def ordered_counts(self):
        return [(status, self.counts.get(status, 0)) for status in DISPLAY_ORDER]

    @property
    def overall(self):
        return worst_status(self.counts.elements())


DISPLAY_ORDER = [
    IndicatorStatus.ON_TRACK,
    IndicatorStatus.AT_RISK,
    IndicatorStatus.OFF_TRACK,
    IndicatorStatus.STALE,
    IndicatorStatus.NO_DATA,
]


def months_ago(today, months):
    month_index = today.year * 12 + today.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(today.day, 28)
    return datetime.date(year, month + 1, day)


def indicators_with_status(indicators, today=None):
    """Evaluate a queryset of indicators: a list with ``.status`` (a StatusResult) set."""
    rows = list(
        indicators.with_latest().select_related(
            "measure__lead_municipality", "measure__field_of_action"
        )
    )
    for indicator in rows:
        indicator.status = indicator_status(indicator, today)
    return rows


def overdue_assessments(measures, today=None, public=False):
    """Measures in progress or completed without an assessment in the last interval.

    ``public``: by the published status, shown as published.
    """
    today = today or timezone.localdate()
    cutoff = months_ago(today, settings.EVALUATION_ASSESSMENT_INTERVAL_MONTHS)
    if public:
        measures = measures.published_values().filter(published_status__in=ASSESSED_STATUSES)
        title = "published_title"
    else:
        measures = measures.filter(status__in=ASSESSED_STATUSES)
        title = "title"
    rows = (
        measures.annotate(last_assessed=Max("assessments__assessed_on"))
        .filter(Q(last_assessed__lt=cutoff) | Q(last_assessed__isnull=True))
        .filter(Q(last_assessed__isnull=False) | Q(created_at__date__lt=cutoff))
        .select_related("lead_municipality", "public_lead", "public_field")
        .order_by("last_assessed", title)
    )
    return show_published_version(rows) if public else list(rows)


def build_dashboard(measures, today=None, public=False):
    """Everything the evaluation dashboard shows for a queryset of measures.

    ``public``: title and status as published (measures.review.show_published_version), so
    the public never sees unreviewed edits of a published measure.
    """
    today = today or timezone.localdate()
    if public:
        active = measures.published_values().filter(published_status__in=ACTIVE_STATUSES)
    else:
        active = measures.filter(status__in=ACTIVE_STATUSES)
    measure_list = list(
        active.select_related(
            "lead_municipality", "field_of_action", "public_lead", "public_field"
        ).order_by("field_of_action__number", "title")
    )
    if public:
        # Lead, field, title and status as published (in memory), then sorted by them.
        measure_list = sorted(
            show_published_version(measure_list),
            key=lambda m: (m.field_of_action.number, m.title),
        )
    indicators = indicators_with_status(
        Indicator.objects.filter(measure__in=active.values("pk")), today
    )
    shown = {m.pk: m for m in measure_list}
    for indicator in indicators:
        indicator.measure = shown.get(indicator.measure_id, indicator.measure)
    fields = list(FieldOfAction.objects.all())
    district = Group("district", "Landkreis gesamt")
    by_measure = {m.pk: Group(m, m.title) for m in measure_list}
    by_field = {f.pk: Group(f, f"{f.number}. {f.short_title}") for f in fields}
    by_municipality = {}
    current_measures = set()
    for indicator in indicators:
        status = indicator.status.status
        measure = indicator.measure
        municipality = measure.lead_municipality
        group = by_municipality.setdefault(municipality.pk, Group(municipality, str(municipality)))
        for target in (
            district,
            by_measure[measure.pk],
            by_field[measure.field_of_action.pk],
            group,
        ):
            target.counts[status] += 1
            target.measures.add(measure.pk)
        if status in CURRENT_STATUSES:
            current_measures.add(measure.pk)
    in_progress = [m for m in measure_list if m.status == Status.IN_PROGRESS]
    evaluated = [m for m in in_progress if m.pk in current_measures]
    with_indicators = {i.measure_id for i in indicators}
    return {
        "district": district,
        "by_field": [by_field[f.pk] for f in fields],
        "by_municipality": sorted(by_municipality.values(), key=lambda g: g.key.tree_path),
        "by_measure": list(by_measure.values()),
        "indicators": indicators,
        "in_progress_count": len(in_progress),
        "evaluated_count": len(evaluated),
        "evaluated_share": round(100 * len(evaluated) / len(in_progress)) if in_progress else None,
        "without_indicators": [m for m in measure_list if m.pk not in with_indicators],
        "not_fresh": [i for i in indicators if i.status.status not in CURRENT_STATUSES],
        "overdue": overdue_assessments(measures, today, public=public),
    }
