"""Measures as spreadsheet rows: one format for export and import, in XLSX and in CSV.

Four tables: the measures (one row each, keyed on the ``ID`` column; an empty ID is a new
measure), their partners with cost shares (one row per partner body), their cost plan (one row
per measure and budget year) and their funding (one row per funding entry). The last three are
keyed by the measure's ID ("12" or "M-0012"), a new measure's rows by its title. XLSX keeps them
on four sheets; CSV in four files, of which the measures and partners can also be uploaded on
their own and all four together as one zip archive (``csv_format.write_zip``). This module knows
the columns and turns measures into rows of plain values; ``xlsx_format`` and ``csv_format``
write and read the files, ``importer`` checks and applies an import.

Internal users get every field; the public the published version (``public_snapshot``) without
personal data (no contact name or e-mail) and without the internal review state.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.functional import cached_property

from fields_of_action.models import FieldOfAction, Goal
from municipalities.models import Municipality

from ..costs import PLAN_FIELDS
from ..models import (
    CostPlanYear,
    FundingEntry,
    FundingProgramme,
    FundingState,
    Measure,
    Partnership,
    Priority,
    ReviewState,
    Status,
    TaskKind,
)
from ..review import snapshot_for_display

MEASURES_SHEET = "Maßnahmen"
PARTNERS_SHEET = "Beteiligte"
COSTS_SHEET = "Kostenplan"
FUNDING_SHEET = "Förderung"
LOOKUP_SHEET = "Auswahllisten"
GOAL_SEPARATOR = "; "
YES, NO = "ja", "nein"


class ExchangeFileError(Exception):
    """A file that cannot be read at all; ``str(error)`` is the German reason."""


@dataclass(frozen=True)
class Formula:
    """A spreadsheet cell holding a formula: never evaluated, refused by the import."""

    text: str


@dataclass
class Table:
    """One sheet or CSV file as read: header texts and ``(line, [cell values])`` rows."""

    name: str
    headers: list
    rows: list = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    # text, int, bool, date (a month), day, money, percent, fte, body, field, status, priority,
    # task_kind, programme, funding_state
    kind: str = "text"
    width: int = 22
    # Not in the public export: personal data or internal state.
    internal: bool = False
    # For the people reading the file; never read back by the import.
    info: bool = False


MEASURE_COLUMNS = [
    Column("id", "ID", "int", width=8),
    Column("version", "Version", "int", width=9, internal=True),
    Column("title", "Titel", width=40),
    Column("summary", "Kurzbeschreibung", width=50),
    Column("description", "Beschreibung", width=60),
    Column("lead_municipality", "federführende Kommune", "body", width=30),
    Column("field_of_action", "Handlungsfeld", "field", width=34),
    Column("goals", "Ziele", width=40),
    Column("for_citizens", "Zielgruppe Bürgerinnen und Bürger", "bool", width=14),
    Column("for_businesses", "Zielgruppe Unternehmen", "bool", width=14),
    Column("for_administration", "Zielgruppe Verwaltung", "bool", width=14),
    Column("status", "Umsetzungsstand", "status", width=18),
    Column("priority", "Priorität", "priority", width=12),
    Column("planned_start", "geplanter Beginn", "date", width=14),
    Column("planned_end", "geplantes Ende", "date", width=14),
    # The totals of the cost plan, for reading; the plan itself is kept in the portal.
    Column("budget_planned", "geplantes Budget (EUR)", "money", width=16, info=True),
    Column("budget_spent", "verausgabt (EUR)", "money", width=16, info=True),
    Column("funding_source", "Finanzierung", width=30),
    Column("task_kind", "Pflichtaufgabe oder freiwillige Leistung", "task_kind", width=20),
    Column("budget_product", "Produkt / Kostenstelle", width=20),
    Column("contact_name", "Ansprechperson", width=24, internal=True),
    Column("contact_role", "Funktion der Ansprechperson", width=28),
    Column("contact_email", "E-Mail der Ansprechperson", width=30, internal=True),
    Column("leika_key", "OZG-Leistung (LeiKa-Schlüssel)", width=18),
    Column("review_state", "Prüfstatus", width=18, internal=True, info=True),
]

PARTNER_COLUMNS = [
    Column("measure_id", "Maßnahme-ID", "int", width=12),
    Column("measure_title", "Maßnahme (Titel)", width=40),
    Column("municipality", "beteiligte Kommune", "body", width=30),
    Column("cost_share_percent", "Kostenanteil in %", "percent", width=16),
]


def _verbose(model, name):
    return str(model._meta.get_field(name).verbose_name)


def _plan_kind(name):
    return "fte" if name.startswith("staff_") else "money"


# The cost plan per measure and budget year: the columns of the measure form's year table.
COST_COLUMNS = [
    Column("measure_id", "Maßnahme-ID", "int", width=12),
    Column("measure_title", "Maßnahme (Titel)", width=40),
    Column("year", "Haushaltsjahr", "int", width=14),
    *[
        Column(name, _verbose(CostPlanYear, name), _plan_kind(name), width=18)
        for name in PLAN_FIELDS
    ],
]

FUNDING_COLUMNS = [
    Column("measure_id", "Maßnahme-ID", "int", width=12),
    Column("measure_title", "Maßnahme (Titel)", width=40),
    Column("programme", "Förderprogramm", "programme", width=36),
    Column("year", "Haushaltsjahr", "int", width=14),
    Column("rate_percent", _verbose(FundingEntry, "rate_percent"), "percent", width=14),
    Column("amount", _verbose(FundingEntry, "amount"), "money", width=16),
    Column("state", _verbose(FundingEntry, "state"), "funding_state", width=14),
    # Not in the published version of a measure: internal only.
    Column("applied_on", _verbose(FundingEntry, "applied_on"), "day", width=14, internal=True),
    Column("decided_on", _verbose(FundingEntry, "decided_on"), "day", width=14, internal=True),
    Column("settled_on", _verbose(FundingEntry, "settled_on"), "day", width=14, internal=True),
    Column("proof_due", _verbose(FundingEntry, "proof_due"), "day", width=18),
]
FUNDING_DATES = ("applied_on", "decided_on", "settled_on", "proof_due")


def cost_columns(public=False):
    return list(COST_COLUMNS)


def funding_columns(public=False):
    return [c for c in FUNDING_COLUMNS if not (public and c.internal)]


def funding_state_labels():
    return {value: str(label) for value, label in FundingState.choices}


def measure_columns(public=False):
    return [c for c in MEASURE_COLUMNS if not (public and c.internal)]


def partner_columns(public=False):
    return list(PARTNER_COLUMNS)


def status_labels():
    return {value: str(label) for value, label in Status.choices}


def priority_labels():
    return {value: str(label) for value, label in Priority.choices}


def task_kind_labels():
    return {value: str(label) for value, label in TaskKind.choices}


def review_labels():
    return {value: str(label) for value, label in ReviewState.choices}


class Lookups:
    """Bodies, fields of action and goals by id and by the label used in the files.

    A query each, whatever the number of rows.
    """

    def __init__(self):
        self.municipalities = list(Municipality.objects.in_tree_order())
        self.municipality_by_pk = {m.pk: m for m in self.municipalities}
        self.fields = list(FieldOfAction.objects.all())
        self.field_by_pk = {f.pk: f for f in self.fields}
        self.field_by_number = {f.number: f for f in self.fields}

    @cached_property
    def goals(self):
        """Only the import needs them."""
        return list(Goal.objects.all())

    @cached_property
    def programmes(self):
        """Funding programmes by name; the dropdown offers the selectable ones."""
        return list(FundingProgramme.objects.order_by("name"))

    def programme_labels(self):
        return [p.name for p in self.programmes if p.is_active]

    def municipality_labels(self):
        return [m.label for m in self.municipalities]

    def field_labels(self):
        return [str(f) for f in self.fields]


@dataclass
class Exported:
    """The rows of one export: plain values per column key."""

    measures: list
    partners: list
    public: bool
    costs: list = field(default_factory=list)
    funding: list = field(default_factory=list)

    @property
    def measure_columns(self):
        return measure_columns(self.public)

    @property
    def partner_columns(self):
        return partner_columns(self.public)

    @property
    def cost_columns(self):
        return cost_columns(self.public)

    @property
    def funding_columns(self):
        return funding_columns(self.public)


def export_queryset(measures):
    """What the export reads, in a constant number of queries."""
    return measures.select_related("lead_municipality", "field_of_action").prefetch_related(
        Prefetch("partnerships", queryset=Partnership.objects.select_related("municipality")),
        "goals",
        "cost_plan",
        Prefetch("funding", queryset=FundingEntry.objects.select_related("programme")),
    )


def build_export(measures, public=False, lookups=None):
    """Rows for the given measures (a queryset); ``public``: the published version only."""
    lookups = lookups or Lookups()
    rows, partners, costs, funding = [], [], [], []
    if public:
        measures = measures.filter(public_snapshot__isnull=False).order_by("pk")
        for measure in measures.only("pk", "public_snapshot"):
            row, row_partners = _public_row(measure, lookups)
            rows.append(row)
            partners.extend(row_partners)
            costs.extend(_public_cost_rows(measure, row["title"]))
            funding.extend(_public_funding_rows(measure, row["title"]))
    else:
        for measure in export_queryset(measures).order_by("pk"):
            rows.append(measure_row(measure))
            partners.extend(measure_partner_rows(measure))
            costs.extend(measure_cost_rows(measure))
            funding.extend(measure_funding_rows(measure))
    return Exported(measures=rows, partners=partners, public=public, costs=costs, funding=funding)


def measure_row(measure):
    """One measure as plain values; the import compares against exactly these."""
    return {
        "id": measure.pk,
        "version": measure.version,
        "title": measure.title,
        "summary": measure.summary,
        "description": measure.description,
        "lead_municipality": measure.lead_municipality.label,
        "field_of_action": str(measure.field_of_action),
        "goals": GOAL_SEPARATOR.join(sorted(g.title for g in measure.goals.all())),
        "for_citizens": YES if measure.for_citizens else NO,
        "for_businesses": YES if measure.for_businesses else NO,
        "for_administration": YES if measure.for_administration else NO,
        "status": status_labels().get(measure.status, measure.status),
        "priority": priority_labels().get(measure.priority, measure.priority),
        "planned_start": measure.planned_start,
        "planned_end": measure.planned_end,
        "budget_planned": measure.budget_planned,
        "budget_spent": measure.budget_spent,
        "funding_source": measure.funding_source,
        "task_kind": task_kind_labels().get(measure.task_kind, ""),
        "budget_product": measure.budget_product,
        "contact_name": measure.contact_name,
        "contact_role": measure.contact_role,
        "contact_email": measure.contact_email,
        "leika_key": measure.leika_key,
        "review_state": review_labels().get(measure.review_state, measure.review_state),
    }


def measure_partner_rows(measure):
    partnerships = sorted(measure.partnerships.all(), key=lambda p: p.municipality.tree_path)
    return [
        {
            "measure_id": measure.pk,
            "measure_title": measure.title,
            "municipality": p.municipality.label,
            "cost_share_percent": p.cost_share_percent,
        }
        for p in partnerships
    ]


def measure_cost_rows(measure):
    """The measure's cost plan, one row per budget year, years ascending."""
    return [
        {
            "measure_id": measure.pk,
            "measure_title": measure.title,
            "year": row.year,
            **{name: getattr(row, name) for name in PLAN_FIELDS},
        }
        for row in sorted(measure.cost_plan.all(), key=lambda r: r.year)
    ]


def funding_sort_key(entry):
    return (entry.year, entry.programme.name.casefold(), entry.pk or 0)


def measure_funding_rows(measure):
    """The measure's funding entries by year and programme."""
    labels = funding_state_labels()
    return [
        {
            "measure_id": measure.pk,
            "measure_title": measure.title,
            "programme": entry.programme.name,
            "year": entry.year,
            "rate_percent": entry.rate_percent,
            "amount": entry.amount,
            "state": labels.get(entry.state, entry.state),
            **{name: getattr(entry, name) for name in FUNDING_DATES},
        }
        for entry in sorted(measure.funding.all(), key=funding_sort_key)
    ]


def _decimal(value):
    return Decimal(value) if value not in (None, "") else None


def _public_cost_rows(measure, title):
    """The published plan: planned figures as accepted, actual ones as reported."""
    snapshot = measure.public_snapshot or {}
    years = {}
    for part in ("cost_plan", "cost_actual"):
        for entry in snapshot.get(part) or []:
            row = years.setdefault(
                entry.get("year"), {"measure_id": measure.pk, "measure_title": title}
            )
            row["year"] = entry.get("year")
            for name in PLAN_FIELDS:
                if name in entry:
                    row[name] = _decimal(entry[name])
    return [years[year] for year in sorted(y for y in years if y is not None)]


def _public_funding_rows(measure, title):
    rows = []
    for entry in (measure.public_snapshot or {}).get("funding") or []:
        due = entry.get("proof_due")
        rows.append(
            {
                "measure_id": measure.pk,
                "measure_title": title,
                "programme": entry.get("programme", ""),
                "year": entry.get("year"),
                "rate_percent": _decimal(entry.get("rate_percent")),
                "amount": _decimal(entry.get("amount")),
                "state": entry.get("state_label", ""),
                "proof_due": datetime.date.fromisoformat(due) if due else None,
            }
        )
    return rows


def _public_row(measure, lookups):
    """The published version (see measures/review.py measure_snapshot), no personal data."""
    shown = snapshot_for_display(measure.public_snapshot, labels={})  # lookups name bodies
    lead = lookups.municipality_by_pk.get((shown.get("lead") or {}).get("id"))
    field_of_action = lookups.field_by_number.get(shown.get("field_of_action"))
    groups = set(shown.get("target_groups") or [])

    def group(name):
        return YES if str(Measure._meta.get_field(name).verbose_name) in groups else NO

    row = {
        "id": measure.pk,
        "title": shown.get("title", ""),
        "summary": shown.get("summary", ""),
        "description": shown.get("description", ""),
        "lead_municipality": lead.label if lead else (shown.get("lead") or {}).get("name", ""),
        "field_of_action": str(field_of_action) if field_of_action else "",
        "goals": GOAL_SEPARATOR.join(sorted(g["title"] for g in shown.get("goals", []))),
        "for_citizens": group("for_citizens"),
        "for_businesses": group("for_businesses"),
        "for_administration": group("for_administration"),
        "status": shown.get("status_label") or status_labels().get(shown.get("status"), ""),
        "priority": shown.get("priority_label") or priority_labels().get(shown.get("priority"), ""),
        "planned_start": shown.get("planned_start"),
        "planned_end": shown.get("planned_end"),
        "budget_planned": shown.get("budget_planned"),
        "budget_spent": shown.get("budget_spent"),
        "funding_source": shown.get("funding_source", ""),
        "task_kind": task_kind_labels().get(shown.get("task_kind") or "", ""),
        "budget_product": shown.get("budget_product", ""),
        "contact_role": shown.get("contact_role", ""),
        "leika_key": shown.get("leika_key", ""),
    }
    partners = []
    for p in shown.get("partners", []):
        body = lookups.municipality_by_pk.get(p.get("id"))
        partners.append(
            {
                "measure_id": measure.pk,
                "measure_title": row["title"],
                "municipality": body.label if body else p.get("name", ""),
                "cost_share_percent": p.get("cost_share_percent"),
            }
        )
    return row, partners
