"""Roll-up of indicator status per measure, field of action, municipality and district.

Everything a dashboard shows comes from a fixed number of queries, and the work per request
does not grow with the number of measures and indicators: the roll-ups count the stored status
(``Indicator.stored_status``, see evaluation.stored_status) in SQL, the table of measures is
paged and the lists of the need for action are short, each with a link to its paged full list.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from fields_of_action.models import FieldOfAction
from measures.models import Status
from measures.review import show_published_version
from municipalities.models import Municipality

from . import figures
from .figures import ACTIVE_STATUSES
from .models import Indicator
from .published import published_indicators, show_published
from .status import CURRENT_STATUSES, IndicatorStatus, indicator_status, worst_status

ASSESSED_STATUSES = (Status.IN_PROGRESS, Status.COMPLETED)
# Multi-megabyte JSON columns of a measure: never loaded for lists and counts.
SNAPSHOT_COLUMNS = ("accepted_snapshot", "public_snapshot")
# Rows of the table of measures per page; entries of each list of the need for action.
MEASURE_PAGE_SIZE = 50
SHORT_LIST = 10


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


def overdue_queryset(measures, today=None, public=False):
    """Measures in progress or completed without an assessment in the last interval, as a
    queryset (ordered, lead and published columns selected; ``public``: by the published
    status). Snapshot columns are loaded for the public only (show_published_version)."""
    today = today or timezone.localdate()
    cutoff = months_ago(today, settings.EVALUATION_ASSESSMENT_INTERVAL_MONTHS)
    if public:
        measures = measures.published_values().filter(published_status__in=ASSESSED_STATUSES)
        title = "published_title"
    else:
        measures = measures.filter(status__in=ASSESSED_STATUSES).defer(*SNAPSHOT_COLUMNS)
        title = "title"
    return (
        measures.annotate(last_assessed=Max("assessments__assessed_on"))
        .filter(Q(last_assessed__lt=cutoff) | Q(last_assessed__isnull=True))
        .filter(Q(last_assessed__isnull=False) | Q(created_at__date__lt=cutoff))
        .select_related("lead_municipality", "public_lead", "public_field")
        .order_by("last_assessed", title, "pk")
    )


def _shown(measures, public):
    """Measures for display: as published for the public, without snapshots otherwise."""
    return show_published_version(measures) if public else list(measures)


def active_measures(measures, public=False):
    """Measures that should be evaluated, ordered by field of action and title (in SQL)."""
    if public:
        return (
            measures.published_values()
            .filter(published_status__in=ACTIVE_STATUSES)
            .order_by(
                Coalesce("public_field__number", "field_of_action__number"),
                "published_title",
                "pk",
            )
        )
    return (
        measures.filter(status__in=ACTIVE_STATUSES)
        .defer(*SNAPSHOT_COLUMNS)
        .order_by("field_of_action__number", "title", "pk")
    )


def _status_counts(indicators, field_key, lead_key, status_key):
    """Stored-status counts by field of action, lead and the measure's status in one query,
    and the oldest date of computation: ``({(field, lead, measure status, status): count},
    oldest)``."""
    rows = (
        indicators.order_by()
        .annotate(field_key=field_key, lead_key=lead_key, measure_status=status_key)
        .values("field_key", "lead_key", "measure_status", "stored_status")
        .annotate(n=Count("pk"), oldest=Min("status_computed_on"))
    )
    counts, oldest = {}, None
    for row in rows:
        key = (row["field_key"], row["lead_key"], row["measure_status"], row["stored_status"])
        counts[key] = row["n"]
        if row["oldest"] and (oldest is None or row["oldest"] < oldest):
            oldest = row["oldest"]
    return counts, oldest


def _indicators(public):
    """Indicators the public may read (published texts) or, internally, all of them."""
    return published_indicators(Indicator.objects.all()) if public else Indicator.objects.all()


def scope_indicators(active, public=False):
    return _indicators(public).filter(measure__in=active.order_by().values("pk"))


def not_fresh_indicators(active, public=False):
    """Indicators of the active measures without a current value (stale or no data)."""
    rows = (
        scope_indicators(active, public)
        .exclude(stored_status__in=CURRENT_STATUSES)
        .select_related("measure__public_lead", "measure__public_field")
        .order_by("measure_id", "name", "pk")
    )
    if not public:
        rows = rows.defer(*(f"measure__{c}" for c in SNAPSHOT_COLUMNS))
    return rows


def measures_without_indicators(active, public=False):
    return active.filter(~Exists(_indicators(public).filter(measure=OuterRef("pk"))))


def show_indicator_measures(indicators, public):
    """Indicators (a short list) with their measure and texts shown as published for the
    public."""
    indicators = list(indicators)
    if public:
        show_published(indicators)
        show_published_version([i.measure for i in indicators])
    return indicators


def measure_groups(measures, public=False):
    """Groups (status counts of the stored status) for a short list of measures."""
    measures = _shown(measures, public)
    groups = {m.pk: Group(m, m.title) for m in measures}
    rows = (
        _indicators(public)
        .filter(measure_id__in=list(groups))
        .order_by()
        .values("measure_id", "stored_status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        groups[row["measure_id"]].counts[row["stored_status"]] += row["n"]
    return list(groups.values())


def build_rollups(measures, today=None, public=False, short=SHORT_LIST):
    """The dashboard's figures that do not depend on the page of the table of measures:
    status counts by field, body and district, the totals and the short lists of the need for
    action (the first ``short`` entries with their total). ``measure_total``: the number of
    measures in the table, for its pages.

    The work does not grow with the data: counts come from the stored status in SQL.
    ``public``: title, status, lead and field as published (measures.review), so the public
    never sees unreviewed edits of a published measure.
    """
    active = active_measures(measures, public)
    indicators = scope_indicators(active, public)
    if public:
        field_key = Coalesce("measure__public_field_id", "measure__field_of_action_id")
        lead_key = Coalesce("measure__public_lead_id", "measure__lead_municipality_id")
    else:
        field_key = F("measure__field_of_action_id")
        lead_key = F("measure__lead_municipality_id")
    counts, computed_on = _status_counts(
        indicators, field_key, lead_key, figures.measure_status_key(public)
    )

    fields = list(FieldOfAction.objects.all())
    by_field = {f.pk: Group(f, f"{f.number}. {f.short_title}") for f in fields}
    district = Group("district", "Landkreis gesamt")
    leads = Municipality.objects.in_bulk({key[1] for key in counts})
    by_municipality = {}
    by_measure_status = Counter()
    for (field_pk, lead_pk, measure_status, status), n in counts.items():
        by_measure_status[(measure_status, status)] += n
        district.counts[status] += n
        if field_pk in by_field:
            by_field[field_pk].counts[status] += n
        municipality = leads[lead_pk]
        group = by_municipality.setdefault(lead_pk, Group(municipality, str(municipality)))
        group.counts[status] += n

    # The same definitions as the draft and the report (evaluation.figures).
    key = figures.key_figures(figures.measure_rows(measures, public), by_measure_status)
    without = measures_without_indicators(active, public).select_related(
        "lead_municipality", "public_lead", "public_field"
    )
    not_fresh = not_fresh_indicators(active, public)
    overdue = overdue_queryset(measures, today, public)
    return {
        "district": district,
        "by_field": [by_field[f.pk] for f in fields],
        "by_municipality": sorted(by_municipality.values(), key=lambda g: g.key.tree_path),
        "figures": key,
        "measure_total": key.active,
        "in_progress_count": key.in_progress,
        "evaluated_count": key.evaluated,
        "evaluated_share": key.evaluated_percent,
        "without_indicators": _shown(without[:short], public),
        "without_indicators_count": key.active_without_indicator,
        "not_fresh": show_indicator_measures(not_fresh[:short], public),
        # Not current = stale or no data, counted above.
        "not_fresh_count": sum(
            n for status, n in district.counts.items() if status not in CURRENT_STATUSES
        ),
        "overdue": _shown(overdue[:short], public),
        "overdue_count": overdue.count(),
        "status_computed_on": computed_on,
    }


def measure_table(measures, total, public=False, page=None):
    """One page (``page``: its number) of the table of measures with their status counts.
    ``total``: the number of measures in it (known from the roll-ups: no count query)."""
    paginator = Paginator(
        active_measures(measures, public).select_related(
            "lead_municipality", "field_of_action", "public_lead", "public_field"
        ),
        MEASURE_PAGE_SIZE,
    )
    paginator.count = total
    measure_page = paginator.get_page(page)
    return {
        "measure_page": measure_page,
        "by_measure": measure_groups(measure_page.object_list, public),
    }


def build_dashboard(measures, today=None, public=False, page=None, short=SHORT_LIST):
    """Everything the evaluation dashboard shows for a queryset of measures (uncached)."""
    rollups = build_rollups(measures, today, public, short)
    return {**rollups, **measure_table(measures, rollups["measure_total"], public, page)}
