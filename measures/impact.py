"""The section "Finanzielle Auswirkungen" of a Vorlage, computed from a frozen snapshot.

Per budget year: investment, running costs, follow-up costs (planned), approved funding, funding
still open (planned or applied for) and the own share (costs less approved funding); a totals
row; the costs of mandatory tasks and of voluntary services; each body's own share, split by
the confirmed partners' cost shares (measures.finance: exact to the cent, the lead bears the
rest). The Vorlage (drafts), the draft page and the bodies' dashboards show the same figures.

Snapshots frozen before the cost plan existed carry only one planned amount per measure: it
counts as running costs of the year of the planned start, else of the year of freezing (as
the migration of the measures' amounts did).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone

from . import finance

ZERO = Decimal("0.00")
OPEN_STATES = ("planned", "applied")
KIND_LABELS = {
    "mandatory": "Pflichtaufgaben",
    "voluntary": "freiwillige Leistungen",
    "": "noch nicht eingeordnet",
}


def _amount(value):
    return Decimal(value) if value not in (None, "") else ZERO


@dataclass
class YearRow:
    year: int
    investment: Decimal = ZERO
    running: Decimal = ZERO
    follow_up: Decimal = ZERO
    funding: Decimal = ZERO
    funding_open: Decimal = ZERO

    @property
    def costs(self):
        return self.investment + self.running + self.follow_up

    @property
    def own(self):
        return self.costs - self.funding


@dataclass
class Impact:
    years: list = field(default_factory=list)
    total: YearRow = field(default_factory=lambda: YearRow(year=0))
    by_kind: list = field(default_factory=list)  # [(label, costs)]
    by_body: list = field(default_factory=list)  # [(label, costs, funding, own)]
    by_field: list = field(default_factory=list)  # [(field number, costs, funding, own)]
    errors: list = field(default_factory=list)  # measures whose shares could not be applied

    @property
    def is_empty(self):
        return not self.years


def _plan(measure, fallback_year):
    plan = {}
    for row in measure.get("cost_plan") or []:
        plan[row["year"]] = {
            "investment": _amount(row.get("investment_planned")),
            "running": _amount(row.get("running_planned")),
            "follow_up": _amount(row.get("follow_up_planned")),
        }
    if "cost_plan" not in measure and measure.get("budget_planned"):
        start = measure.get("planned_start")
        year = datetime.date.fromisoformat(start).year if start else fallback_year
        plan[year] = {"investment": ZERO, "running": _amount(measure["budget_planned"])}
    return plan


def financial_impact(snapshot, body=None, bodies=None):
    """The section's figures for all measures of the snapshot (a draft's, or one built from
    measure snapshots with ``frozen_at``: the moment the figures stand for).

    ``body``: a body's id; then only its part of each measure counts (its Vorlage).
    ``bodies``: several bodies' ids (a Samtgemeinde and its members); their parts add up.
    """
    ids = None if body is None and bodies is None else set(bodies or ()) | {body} - {None}
    frozen_at = snapshot.get("frozen_at")
    # A snapshot without its moment (hand-made, or older than the field) counts this year.
    fallback_year = (
        datetime.datetime.fromisoformat(frozen_at).year if frozen_at else timezone.localdate().year
    )
    labels = {b["id"]: b.get("label") or b["name"] for b in snapshot.get("bodies", [])}
    years = defaultdict(lambda: None)
    by_kind = defaultdict(Decimal)
    by_body = defaultdict(lambda: [ZERO, ZERO])
    by_field = defaultdict(lambda: [ZERO, ZERO])
    impact = Impact()
    for measure in snapshot.get("measures", []):
        plan = _plan(measure, fallback_year)
        approved, still_open = defaultdict(Decimal), defaultdict(Decimal)
        for entry in measure.get("funding") or []:
            if entry.get("approved"):
                approved[entry["year"]] += _amount(entry["amount"])
            elif entry.get("state") in OPEN_STATES:
                still_open[entry["year"]] += _amount(entry["amount"])
        partners = [(p["id"], p.get("cost_share_percent")) for p in measure.get("partners", [])]
        try:
            split = finance.split_measure(plan, approved, measure["lead"]["id"], partners)
        except finance.ShareError as error:
            impact.errors.append(f"{measure['reference']}: {error}")
            continue
        mine = None if ids is None else [party for party in split.bodies() if party in ids]
        if mine is not None and not mine:
            continue  # a body's Vorlage: only the measures it leads or shares
        for year, parts in split.years.items():
            for party, part in parts.items():
                by_body[party][0] += part.costs
                by_body[party][1] += part.funding
            row = years[year] or YearRow(year=year)
            years[year] = row
            for part in parts.values() if mine is None else [parts[party] for party in mine]:
                row.investment += part.investment
                row.running += part.running
                row.follow_up += part.follow_up
                row.funding += part.funding
                by_kind[measure.get("task_kind") or ""] += part.costs
                by_field[measure.get("field_of_action")][0] += part.costs
                by_field[measure.get("field_of_action")][1] += part.funding
        for year, amount in still_open.items():
            row = years[year] or YearRow(year=year)
            years[year] = row
            if mine is None:
                row.funding_open += amount
            else:
                parts = finance.split(amount, split.weights)
                row.funding_open += sum((parts[party] for party in mine), ZERO)
    impact.years = [years[year] for year in sorted(years) if years[year] is not None]
    for row in impact.years:
        for name in ("investment", "running", "follow_up", "funding", "funding_open"):
            setattr(impact.total, name, getattr(impact.total, name) + getattr(row, name))
    impact.by_kind = [
        (KIND_LABELS[kind], by_kind.get(kind, ZERO))
        for kind in ("mandatory", "voluntary", "")
        if by_kind.get(kind)
    ]
    impact.by_field = [
        (number, costs, funding, costs - funding)
        for number, (costs, funding) in sorted(by_field.items(), key=lambda i: i[0] or 0)
    ]
    impact.by_body = sorted(
        (
            (labels.get(party, str(party)), costs, funding, costs - funding)
            for party, (costs, funding) in by_body.items()
            if (ids is None or party in ids) and (costs or funding)
        ),
        key=lambda row: (-row[3], row[0]),
    )
    return impact


def _euro(value):
    return formats.number_format(value, 2, use_l10n=True, force_grouping=True) + " €"


def impact_view(impact):
    """The figures formatted for German readers (the PDF and the draft page show these)."""
    money = ("investment", "running", "follow_up", "funding", "funding_open", "own")

    def row(source, **extra):
        return {**{name: _euro(getattr(source, name)) for name in money}, **extra}

    return {
        "is_empty": impact.is_empty,
        "years": [row(r, year=r.year) for r in impact.years],
        "total": row(impact.total),
        "by_kind": [(label, _euro(amount)) for label, amount in impact.by_kind],
        "by_body": [
            (name, _euro(costs), _euro(funding), _euro(own))
            for name, costs, funding, own in impact.by_body
        ],
        "by_field": [
            (number, _euro(costs), _euro(funding), _euro(own))
            for number, costs, funding, own in impact.by_field
        ],
        "errors": impact.errors,
    }
