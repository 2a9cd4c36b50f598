"""The key figures of the evaluation, defined once.

"Fortlaufend evaluiert", "aktiv" and the counts of measures and indicators mean the same on
the evaluation dashboards, the draft page, the draft's PDF and the progress report: each of
them builds a :class:`KeyFigures` through :func:`key_figures`, from the database
(:func:`measure_rows`, :func:`indicator_counts`) or from a frozen snapshot
(:func:`figures_from_snapshot`). Every label names the set it counts.

The sets:

- the measures of the strategy: every measure in scope except dropped ones (withdrawn
  measures are never in scope);
- active measures: planned, in progress or completed (the ones that should be evaluated);
- measures in progress ("in Umsetzung");
- continuously evaluated ("fortlaufend evaluiert"): a measure in progress with at least one
  indicator that has a current value (on track, at risk or off track);
- the indicators: those of the active measures, by status.

For the public every figure counts the published version (status as published, indicators with
published texts), like everything else the public reads.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from measures.models import Status

from .models import Indicator
from .published import published_indicators
from .status import CURRENT_STATUSES, IndicatorStatus

ACTIVE_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.COMPLETED)
# Statuses of a measure in the order tables show them; dropped measures are not counted.
STRATEGY_STATUSES = (
    Status.IDEA,
    Status.PLANNED,
    Status.IN_PROGRESS,
    Status.COMPLETED,
    Status.PAUSED,
)
INDICATOR_ORDER = (
    IndicatorStatus.ON_TRACK,
    IndicatorStatus.AT_RISK,
    IndicatorStatus.OFF_TRACK,
    IndicatorStatus.STALE,
    IndicatorStatus.NO_DATA,
)


@dataclass(frozen=True)
class MeasureRow:
    """How many measures of one status there are, and how many of them have indicators."""

    status: str
    count: int
    with_indicator: int = 0
    with_current_value: int = 0


@dataclass(frozen=True)
class KeyFigures:
    """Counts of measures and indicators, each with the set it counts (see module doc)."""

    by_status: dict = field(default_factory=dict)
    """{measure status: count} of the measures of the strategy (dropped ones excluded)."""
    evaluated: int = 0
    """Measures in progress with at least one indicator with a current value."""
    active_without_indicator: int = 0
    indicators: dict = field(default_factory=dict)
    """{indicator status: count} of the indicators of the active measures."""

    @property
    def total(self):
        return sum(self.by_status.values())

    @property
    def active(self):
        return sum(self.by_status.get(s, 0) for s in ACTIVE_STATUSES)

    @property
    def in_progress(self):
        return self.by_status.get(Status.IN_PROGRESS, 0)

    @property
    def evaluated_percent(self):
        """Share of the measures in progress that are continuously evaluated (None: none)."""
        return round(100 * self.evaluated / self.in_progress) if self.in_progress else None

    @property
    def indicator_total(self):
        return sum(self.indicators.values())

    def status_rows(self):
        """[(status value, label, count)] of the measures of the strategy, in table order."""
        return [(s.value, s.label, self.by_status.get(s, 0)) for s in STRATEGY_STATUSES]

    def indicator_rows(self):
        """[(status value, label, count)] of the indicators of the active measures."""
        return [(s.value, s.label, self.indicators.get(s, 0)) for s in INDICATOR_ORDER]

    # Labels: the figure with its set, as every page and document prints it.
    @property
    def total_label(self):
        return f"{self.total} Maßnahme{'' if self.total == 1 else 'n'} (ohne verworfene)"

    @property
    def active_label(self):
        return (
            f"{self.active} von {self.total} Maßnahmen aktiv "
            "(geplant, in Umsetzung oder abgeschlossen)"
        )

    @property
    def evaluated_label(self):
        return (
            f"{self.evaluated} von {self.in_progress} Maßnahmen in Umsetzung werden fortlaufend "
            "evaluiert (mindestens ein Indikator mit aktuellem Wert)"
        )

    @property
    def indicator_label(self):
        total = self.indicator_total
        return (
            f"{total} Indikator{'' if total == 1 else 'en'} der {self.active} aktiven "
            f"Maßnahme{'' if self.active == 1 else 'n'}"
        )


def key_figures(rows, indicators):
    """The key figures from ``rows`` (MeasureRow, one per status; several rows of a status
    add up) and ``indicators`` ({(measure status, indicator status): count}). The only place
    that decides which measures and indicators a figure counts."""
    by_status, evaluated, without = Counter(), 0, 0
    for row in rows:
        if row.status not in STRATEGY_STATUSES:
            continue
        by_status[row.status] += row.count
        if row.status == Status.IN_PROGRESS:
            evaluated += row.with_current_value
        if row.status in ACTIVE_STATUSES:
            without += row.count - row.with_indicator
    indicator_counts = Counter()
    for (measure_status, indicator_status), n in indicators.items():
        if measure_status in ACTIVE_STATUSES:
            indicator_counts[indicator_status or IndicatorStatus.NO_DATA] += n
    return KeyFigures(
        by_status={Status(s): n for s, n in by_status.items() if n},
        evaluated=evaluated,
        active_without_indicator=without,
        indicators={IndicatorStatus(s): n for s, n in indicator_counts.items() if n},
    )


def _indicators(public):
    return published_indicators(Indicator.objects.all()) if public else Indicator.objects.all()


def _status_column(public):
    return "published_status" if public else "status"


def measure_rows(measures, public=False):
    """MeasureRows of a queryset of measures in one query (``public``: as published)."""
    column = _status_column(public)
    if public:
        measures = measures.published_values()
    indicators = _indicators(public).filter(measure=OuterRef("pk"))
    rows = (
        measures.order_by()
        .values(column)
        .annotate(
            n=Count("pk"),
            with_indicator=Count("pk", filter=Q(Exists(indicators))),
            with_current=Count(
                "pk", filter=Q(Exists(indicators.filter(stored_status__in=CURRENT_STATUSES)))
            ),
        )
    )
    return [
        MeasureRow(row[column], row["n"], row["with_indicator"], row["with_current"])
        for row in rows
        if row[column]
    ]


def measure_status_key(public=False):
    """An expression on indicators: their measure's status (``public``: as published)."""
    if public:
        return Cast(KeyTextTransform("status", "measure__public_snapshot"), TextField())
    return F("measure__status")


def indicator_counts(measures, public=False):
    """{(measure status, stored indicator status): count} of the indicators of a queryset of
    measures in one query (``public``: published indicators, by the published status)."""
    rows = (
        _indicators(public)
        .filter(measure__in=measures.order_by().values("pk"))
        .order_by()
        .annotate(measure_status=measure_status_key(public))
        .values("measure_status", "stored_status")
        .annotate(n=Count("pk"))
    )
    return {(row["measure_status"], row["stored_status"]): row["n"] for row in rows}


def figures_for(measures, public=False):
    """The key figures of a queryset of measures (two queries)."""
    return key_figures(measure_rows(measures, public), indicator_counts(measures, public))


def figures_from_snapshot(snapshot):
    """The key figures of a frozen snapshot (a strategy draft or a report): its measures with
    their status and indicators as they were frozen."""
    rows, indicators = [], Counter()
    for measure in snapshot.get("measures", []):
        status = measure.get("status")
        statuses = [
            i.get("status") or IndicatorStatus.NO_DATA for i in measure.get("indicators", [])
        ]
        rows.append(
            MeasureRow(
                status,
                1,
                with_indicator=int(bool(statuses)),
                with_current_value=int(any(s in CURRENT_STATUSES for s in statuses)),
            )
        )
        for indicator_status in statuses:
            indicators[(status, indicator_status)] += 1
    return key_figures(rows, indicators)
