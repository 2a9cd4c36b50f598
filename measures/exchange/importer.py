"""Import of measures from a spreadsheet: dry run, then all or nothing.

Every row goes through the browser's MeasureForm and PartnershipFormSet (measures/forms.py)
with the importing user, so the same rules and the same permission functions apply: an
editor changes and creates measures only for the bodies they may act for. A row whose values
equal the portal's is unchanged and never an error (an export imported as it is reports 0
changes, also for measures of other bodies in the file); a changed row of a measure the user
may not edit is an error naming line and column. A row without ID whose title (case and
spacing aside) is that of a measure of the same lead body is "already there": shown with that
measure's number and not created unless the user asks for it (``create_duplicates``), so the
same file imported twice creates nothing the second time.

Applying runs the whole check again inside one transaction with the measures locked
(select_for_update): a version in the file that is no longer the portal's refuses the file,
and so does any other error; then each row is saved through :func:`save_row`, which sets the
history user and calls ``review.after_edit`` like the edit form does (an accepted measure whose
substance changed goes back to review).

The sheets "Kostenplan" and "Förderung" (CSV: the files of the zip archive) go through the
measure form's CostPlanFormSet and the funding page's FundingFormSet in the same way. Like the
partners, a sheet that is there holds the whole plan and all funding of each measure in the
file: a budget year or funding entry missing there is removed, a measure without rows there
loses its plan or funding; without the sheet both stay as they are. Budget years are matched by
year, funding entries by programme and year; changed planned figures send an accepted measure
back to review (their totals are stored with them, as the form does), funding is progress.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from django.db import transaction
from django.db.models import Prefetch
from django.http import QueryDict
from django.utils import translation
from openpyxl.utils import get_column_letter

from core import dispatch
from municipalities import rules

from .. import costs as cost_rules
from ..forms import CostPlanFormSet, FundingFormSet, MeasureForm, PartnershipFormSet
from ..models import (
    CostPlanYear,
    FundingEntry,
    FundingState,
    Measure,
    Priority,
    ReviewState,
    Status,
)
from ..permissions import can_edit_measure
from ..review import PROGRESS_FIELDS, after_edit
from ..synergy import SIMILARITY_FIELDS, recompute_on_commit
from . import cells
from .csv_format import read_csv, read_zip
from .sheets import (
    COST_COLUMNS,
    FUNDING_COLUMNS,
    FUNDING_DATES,
    MEASURE_COLUMNS,
    PARTNER_COLUMNS,
    PARTNERS_SHEET,
    ExchangeFileError,
    Lookups,
    funding_state_labels,
    measure_row,
)
from .xlsx_format import read_workbook

MAX_IMPORT_BYTES = 5_000_000
MAX_ROWS = 5000
PREFIX = "partners"
COST_PREFIX = "costs"
FUNDING_PREFIX = "funding"
PLANNED_COST_FIELDS = (
    "investment_planned",
    "running_planned",
    "staff_fte_planned",
    "follow_up_planned",
)
# More measures to rescore than this: one full recompute of the synergy matches after the
# commit instead of one task per measure (each task reads and scores every measure).
RESCORE_ONE_BY_ONE = 20
# Rows between two progress reports of a check or apply running in the background.
PROGRESS_STEP = 50
# Form fields whose change sends an accepted measure back to review (see review.py).
NOT_SUBSTANTIVE = set(PROGRESS_FIELDS) | {"contact_name", "contact_email", "version"}


@dataclass
class RowError:
    sheet: str
    line: int
    column: str  # letter, "" for the whole row
    header: str
    message: str

    def __str__(self):
        where = f"{self.sheet}, Zeile {self.line}"
        if self.column:
            where += f", Spalte {self.column} ({self.header})"
        elif self.header:
            where += f" ({self.header})"
        return f"{where}: {self.message}"


@dataclass
class Change:
    header: str
    old: str
    new: str


@dataclass
class PlannedRow:
    line: int
    action: str  # "create", "change", "unchanged", "existing" (a new row already there)
    title: str
    measure: Measure = None
    changes: list = field(default_factory=list)
    back_to_review: bool = False
    form: MeasureForm = None
    formset: PartnershipFormSet = None
    version: int = None
    # A measure of the same body with the same title ("existing", or "create" on request).
    duplicate_of: Measure = None
    # The cost plan's and the funding's formsets when the file changes them, else None.
    cost_formset: CostPlanFormSet = None
    funding_formset: FundingFormSet = None


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    applied: bool = False

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self):
        return self.count("create")

    @property
    def changed(self):
        return self.count("change")

    @property
    def unchanged(self):
        return self.count("unchanged")

    @property
    def existing(self):
        return self.count("existing")

    @property
    def existing_rows(self):
        return [row for row in self.rows if row.action == "existing"]

    @property
    def back_to_review(self):
        return sum(1 for row in self.rows if row.back_to_review)

    @property
    def changed_rows(self):
        return [row for row in self.rows if row.action in ("create", "change")]

    @property
    def has_changes(self):
        return bool(self.created or self.changed)

    def summary(self):
        """E.g. "12 Maßnahmen werden angelegt, 3 geändert, 40 unverändert; …"."""
        one = self.created == 1
        verbs = {(True, True): "wurde", (True, False): "wurden", (False, True): "wird"}
        verb = verbs.get((self.applied, one), "werden")
        text = (
            f"{self.created} Maßnahme{'' if one else 'n'} {verb} angelegt, "
            f"{self.changed} geändert, {self.unchanged} unverändert"
        )
        if self.existing:
            one_row = self.existing == 1
            text += (
                f"; {self.existing} neue Zeile{'' if one_row else 'n'} "
                f"{'gleicht' if one_row else 'gleichen'} einer vorhandenen Maßnahme und "
                f"{verbs.get((self.applied, one_row), 'werden')} nicht angelegt"
            )
        if self.back_to_review:
            text += (
                f"; {self.back_to_review} geänderte angenommene Maßnahme"
                f"{' geht' if self.back_to_review == 1 else 'n gehen'} erneut in die Prüfung"
            )
        return text + "."


class ImportRefused(Exception):
    """Raised inside the transaction to roll an import back; carries the plan."""

    def __init__(self, plan):
        super().__init__("import refused")
        self.plan = plan


@dataclass
class Upload:
    """The tables of an uploaded file (Table, or None where the file has none) and notices."""

    measures: object
    partners: object = None
    costs: object = None
    funding: object = None
    notices: list = field(default_factory=list)

    @property
    def row_count(self):
        tables = (self.measures, self.partners, self.costs, self.funding)
        return sum(len(table.rows) for table in tables if table is not None)

    def plan_tables(self):
        """Keyword arguments for plan_import and apply_import."""
        return {
            "measures_table": self.measures,
            "partners_table": self.partners,
            "costs_table": self.costs,
            "funding_table": self.funding,
        }


def read_files(filename, raw, partners_filename="", partners_raw=None):
    """(measures table, partners table or None, notices): the measures and partners only; see
    read_upload for all tables of a file."""
    upload = read_upload(filename, raw, partners_filename, partners_raw)
    return upload.measures, upload.partners, upload.notices


def read_upload(filename, raw, partners_filename="", partners_raw=None):
    """The Upload of an .xlsx, a .csv (and a partners .csv) or a .zip of CSV files; raises
    ExchangeFileError."""
    for name, content in ((filename, raw), (partners_filename, partners_raw)):
        if content is not None and len(content) > MAX_IMPORT_BYTES:
            raise ExchangeFileError(
                f"„{name}“ ist größer als {MAX_IMPORT_BYTES // 1_000_000} MB; bitte teilen Sie "
                "die Datei auf."
            )
    suffix = PurePath(filename or "").suffix.lower()
    notices = []
    if suffix in (".xlsx", ".zip"):
        if suffix == ".xlsx":
            tables = read_workbook(raw)
        else:
            tables, notices = read_zip(raw, filename)
        upload = Upload(**tables, notices=notices)
        if partners_raw:
            upload.notices.append(
                "Die hochgeladene Datei enthält die Beteiligten selbst (Blatt oder Datei "
                "„Beteiligte“); die zusätzliche CSV-Datei wurde nicht gelesen."
            )
        return upload
    if suffix == ".csv":
        measures, notice = read_csv(raw, filename)
        notices += [notice] if notice else []
        partners = None
        if partners_raw:
            partners, notice = read_csv(partners_raw, partners_filename or PARTNERS_SHEET)
            notices += [notice] if notice else []
        return Upload(measures, partners, notices=notices)
    raise ExchangeFileError(
        "Bitte laden Sie eine Excel-Arbeitsmappe (.xlsx), eine CSV-Datei (.csv) oder das "
        "Zip-Archiv des CSV-Exports (.zip) hoch."
    )


def plan_import(
    measures_table,
    partners_table,
    user,
    lock=False,
    progress=None,
    create_duplicates=False,
    costs_table=None,
    funding_table=None,
):
    """Check every row as the given user; nothing is saved.

    ``progress(step, done, total)``, if given, is called every PROGRESS_STEP rows.
    ``create_duplicates``: new rows that match a measure of their body are created too.
    ``costs_table``, ``funding_table``: the cost plan and funding (None: left as they are).
    """
    with translation.override("de"):
        planner = _Planner(measures_table, partners_table, user, lock, progress)
        planner.costs_table, planner.funding_table = costs_table, funding_table
        planner.create_duplicates = create_duplicates
        return planner.plan()


def apply_import(
    measures_table,
    partners_table,
    user,
    progress=None,
    create_duplicates=False,
    costs_table=None,
    funding_table=None,
):
    """Check again with the rows locked and save all, or nothing when there is any error."""
    progress = progress or _no_progress
    try:
        with transaction.atomic(), translation.override("de"):
            planner = _Planner(measures_table, partners_table, user, True, progress)
            planner.costs_table, planner.funding_table = costs_table, funding_table
            planner.create_duplicates = create_duplicates
            plan = planner.plan()
            if plan.errors:
                raise ImportRefused(plan)
            rescore = []
            for done, row in enumerate(plan.rows, start=1):
                if done % PROGRESS_STEP == 0:
                    progress("save", done, len(plan.rows))
                if row.action not in ("create", "change"):
                    continue
                try:
                    row.back_to_review = save_row(row, user, rescore)
                except VersionConflict:
                    plan.errors.append(
                        RowError(
                            measures_table.name,
                            row.line,
                            "",
                            "",
                            "Die Maßnahme wurde gerade im Portal geändert; es wurde nichts "
                            "gespeichert. Bitte exportieren Sie neu.",
                        )
                    )
                    raise ImportRefused(plan) from None
                row.measure = row.form.instance
            _rescore(rescore)
            plan.applied = True
    except ImportRefused as refused:
        return refused.plan
    return plan


class VersionConflict(Exception):
    pass


def save_row(row, user, rescore=None):
    """Save one checked row the way the edit form does; True if it went back to review.

    Locks the measure, checks that its version is still the one the row was checked against,
    saves the form's fields, goals and partners with ``user`` in the history and runs the
    review workflow (review.after_edit) for changed measures. A measure whose similarity must
    be scored again is added to ``rescore`` (the caller dispatches), or dispatched at once.
    """
    form, formset = row.form, row.formset
    existing = row.action == "change"
    if existing:
        current = Measure.objects.select_for_update().only("version").get(pk=form.instance.pk)
        if current.version != row.version:
            raise VersionConflict(form.instance.pk)
    measure = form.save(commit=False)
    measure.updated_by = user
    if measure.created_by_id is None:
        measure.created_by = user
    measure.version = row.version + 1 if existing else 1
    measure._history_user = user
    if existing:
        owned = [name for name in form._meta.fields if name != "goals"]
        measure.save(update_fields=[*owned, "version", "updated_by", "updated_at"])
    else:
        measure.save()
    # The form's save_m2m() would also queue one similarity task per measure.
    if "goals" in form.cleaned_data:
        measure.goals.set(form.cleaned_data["goals"])
    if not existing or SIMILARITY_FIELDS & set(form.changed_data):
        if rescore is None:
            recompute_on_commit(measure.pk)
        else:
            rescore.append(measure.pk)
    formset.instance = measure
    partnerships = formset.save(commit=False)
    for partnership in formset.deleted_objects:
        partnership._history_user = user
        partnership.delete()
    for partnership in partnerships:
        partnership.measure = measure
        partnership._history_user = user
        partnership.save()
    _save_money(row, measure, user)
    # The snapshot below must see the partners and goals just saved.
    getattr(measure, "_prefetched_objects_cache", {}).clear()
    return after_edit(measure, user) if existing else False


def _save_money(row, measure, user):
    """The cost plan as the measure form saves it (with its totals), the funding as the
    funding page does; the plan's history names ``user``."""
    if row.cost_formset is not None:
        row.cost_formset.instance = measure
        row.cost_formset.history_user = user
        row.cost_formset.save()
        planned, actual = cost_rules.totals(CostPlanYear.objects.filter(measure=measure))
        Measure.objects.filter(pk=measure.pk).update(budget_planned=planned, budget_spent=actual)
        measure.budget_planned, measure.budget_spent = planned, actual
    if row.funding_formset is not None:
        row.funding_formset.instance = measure
        row.funding_formset.save()


def _rescore(pks):
    """Queue the synergy matches of the saved measures, once per import when there are many."""
    if len(pks) > RESCORE_ONE_BY_ONE:
        dispatch.on_commit("measures.recompute_all_similarity")
        return
    for pk in pks:
        recompute_on_commit(pk)


def _no_progress(step, done, total):
    pass


class _Planner:
    def __init__(self, measures_table, partners_table, user, lock, progress=None):
        self.measures_table = measures_table
        self.partners_table = partners_table
        self.user = user
        self.lock = lock
        self.progress = progress or _no_progress
        self.lookups = Lookups()
        self.resolver = cells.Resolver(self.lookups)
        self.result = ImportPlan()
        self.editable = list(rules.editable_municipalities(user).order_by("tree_path")[:2])
        self.create_duplicates = False
        self._by_title = None
        self.costs_table = None
        self.funding_table = None

    # --- errors -------------------------------------------------------------------------

    def error(self, table, line, column, message):
        """``column``: a Column (named by its letter in ``table``) or None for the row."""
        letter, header = "", ""
        if column is not None:
            header = column.header
            index = self.index(table, column)
            letter = get_column_letter(index + 1) if index is not None else ""
        self.result.errors.append(RowError(table.name, line, letter, header, str(message)))

    def index(self, table, column):
        return self.positions[id(table)].get(column.key)

    def map_headers(self, table, columns, required):
        names = {cells.key(c.header): c for c in columns}
        positions = {}
        for index, header in enumerate(table.headers):
            column = names.get(cells.key(header)) if header else None
            if column is None or column.info:
                continue
            if column.key in positions:
                self.result.errors.append(
                    RowError(
                        table.name,
                        1,
                        get_column_letter(index + 1),
                        header,
                        "Die Spalte steht doppelt in der Kopfzeile.",
                    )
                )
            positions[column.key] = index
        self.positions[id(table)] = positions
        missing = [c.header for c in columns if c.key in required and c.key not in positions]
        if missing:
            self.result.errors.append(
                RowError(
                    table.name,
                    1,
                    "",
                    "",
                    "In der Kopfzeile fehlt die Spalte "
                    + ", ".join(f"„{m}“" for m in missing)
                    + ". Bitte verwenden Sie die Kopfzeile des Exports oder der Vorlage.",
                )
            )
        return not missing

    def has_info_columns(self, table, keys):
        headers = {cells.key(h) for h in table.headers if h}
        return any(cells.key(self.column(key).header) in headers for key in keys)

    def cell(self, table, values, column):
        index = self.index(table, column)
        if index is None or index >= len(values):
            return None
        return values[index]

    def has(self, table, column):
        return self.index(table, column) is not None

    # --- the plan ------------------------------------------------------------------------

    def plan(self):
        self.positions = {}
        measures, partners = self.measures_table, self.partners_table
        if not self.map_headers(measures, MEASURE_COLUMNS, {"id", "title"}):
            return self.result
        if partners is not None and not self.map_headers(
            partners, PARTNER_COLUMNS, {"measure_id", "municipality"}
        ):
            return self.result
        costs, funding = self.costs_table, self.funding_table
        if costs is not None and not self.map_headers(costs, COST_COLUMNS, {"measure_id", "year"}):
            return self.result
        if funding is not None and not self.map_headers(
            funding, FUNDING_COLUMNS, {"measure_id", "programme", "year", "amount"}
        ):
            return self.result
        tables = (measures, partners, costs, funding)
        if sum(len(t.rows) for t in tables if t is not None) > MAX_ROWS:
            self.result.errors.append(
                RowError(measures.name, 1, "", "", f"Mehr als {MAX_ROWS} Zeilen: bitte aufteilen.")
            )
            return self.result
        if not measures.rows and not (partners and partners.rows):
            self.result.notices.append("Die Datei enthält noch keine Maßnahmen.")
        elif self.has_info_columns(measures, ("budget_planned", "budget_spent")):
            self.result.notices.append(
                "Die Spalten „geplantes Budget (EUR)“ und „verausgabt (EUR)“ zeigen die Summen "
                "des Kostenplans und werden nicht eingelesen. Beträge je Haushaltsjahr stehen im "
                "Blatt „Kostenplan“ (CSV: Datei „…_kostenplan.csv“ im Zip-Archiv) oder im "
                "Kostenplan der Maßnahme im Portal."
            )
        existing = self.load_existing()
        partner_rows = self.group_partners(existing)
        self.cost_rows = self.group_costs()
        self.funding_rows = self.group_funding()
        for done, (line, values) in enumerate(measures.rows, start=1):
            if done % PROGRESS_STEP == 0:
                self.progress("check", done, len(measures.rows))
            self.plan_row(line, values, existing, partner_rows)
        return self.result

    def column(self, key, columns=MEASURE_COLUMNS):
        return next(c for c in columns if c.key == key)

    def load_existing(self):
        table = self.measures_table
        id_column = self.column("id")
        self.row_ids = {}
        seen = {}
        for line, values in table.rows:
            try:
                pk = cells.integer(self.cell(table, values, id_column), allow_reference=True)
            except cells.CellError as exc:
                self.error(table, line, id_column, exc)
                pk = False
            self.row_ids[line] = pk
            if pk:
                if pk in seen:
                    self.error(
                        table, line, id_column, f"Die ID {pk} steht schon in Zeile {seen[pk]}."
                    )
                    self.row_ids[line] = False
                else:
                    seen[pk] = line
        queryset = Measure.objects.filter(pk__in=list(seen)).select_related("lead_municipality")
        if self.costs_table is not None:
            queryset = queryset.prefetch_related("cost_plan")
        if self.funding_table is not None:
            queryset = queryset.prefetch_related(
                Prefetch("funding", queryset=FundingEntry.objects.select_related("programme"))
            )
        if self.lock:
            queryset = queryset.select_for_update(of=("self",)).order_by("pk")
        return {m.pk: m for m in queryset}

    def target_line(self, table, columns, line, values):
        """The measures sheet's line a row of another sheet belongs to (by the measure's ID,
        a new measure's by its title), or None after naming the problem."""
        if not hasattr(self, "_targets"):
            by_id = {pk: target for target, pk in self.row_ids.items() if pk}
            new_by_title = {}
            title_key = self.column("title")
            for target, measure_values in self.measures_table.rows:
                if self.row_ids.get(target) is None:
                    title = _title_key(self.cell(self.measures_table, measure_values, title_key))
                    new_by_title.setdefault(title, []).append(target)
            self._targets = by_id, new_by_title
        by_id, new_by_title = self._targets
        id_col = self.column("measure_id", columns)
        title_col = self.column("measure_title", columns)
        try:
            pk = cells.integer(self.cell(table, values, id_col), allow_reference=True)
        except cells.CellError as exc:
            self.error(table, line, id_col, exc)
            return None
        if pk:
            target = by_id.get(pk)
            if target is None:
                self.error(
                    table,
                    line,
                    id_col,
                    f"Die Maßnahme mit der ID {pk} steht nicht in „{self.measures_table.name}“.",
                )
            return target
        title = _title_key(self.cell(table, values, title_col))
        targets = new_by_title.get(title, []) if title else []
        if len(targets) != 1:
            self.error(
                table,
                line,
                id_col if not title else title_col,
                "Für eine neue Maßnahme (ohne ID) tragen Sie ihren Titel genau wie "
                f"in „{self.measures_table.name}“ ein."
                if not targets
                else "Mehrere neue Maßnahmen haben diesen Titel; die Zuordnung ist "
                "nicht eindeutig.",
            )
            return None
        return targets[0]

    def group_partners(self, existing):
        """{measures-sheet line: [(partner line, municipality, share text)]}, or None."""
        table = self.partners_table
        if table is None:
            return None
        body_col = self.column("municipality", PARTNER_COLUMNS)
        share_col = self.column("cost_share_percent", PARTNER_COLUMNS)
        grouped = {}
        for line, values in table.rows:
            target = self.target_line(table, PARTNER_COLUMNS, line, values)
            if target is None:
                continue
            try:
                body = self.resolver.body(self.cell(table, values, body_col))
                if body is None:
                    raise cells.CellError("Bitte geben Sie die beteiligte Kommune an.")
            except cells.CellError as exc:
                self.error(table, line, body_col, exc)
                continue
            try:
                share = cells.number(self.cell(table, values, share_col))
            except cells.CellError as exc:
                self.error(table, line, share_col, exc)
                continue
            grouped.setdefault(target, []).append((line, body, share))
        return grouped

    def read_money_row(self, table, columns, line, values):
        """{column key: value as the form reads it} for the row's cells that are there (a
        missing column keeps the stored value), or None after naming a bad cell."""
        parsed, ok = {}, True
        for column in columns:
            if column.key in ("measure_id", "measure_title") or not self.has(table, column):
                continue
            raw = self.cell(table, values, column)
            try:
                if column.kind == "int":
                    value = cells.integer(raw)
                elif column.kind in ("money", "percent", "fte"):
                    value = cells.number(raw)
                elif column.kind == "day":
                    value = cells.day(raw)
                elif column.kind == "programme":
                    value = self.resolver.programme(raw)
                    if value is None:
                        raise cells.CellError("Bitte geben Sie das Förderprogramm an.")
                else:  # funding_state; empty: "geplant", as on the funding page
                    value = self.resolver.choice(raw, column.kind) or FundingState.PLANNED
            except cells.CellError as exc:
                self.error(table, line, column, exc)
                ok = False
                continue
            parsed[column.key] = value
        return parsed if ok else None

    def group_costs(self):
        """{measures-sheet line: [(cost line, {key: value})]}, or None without the sheet."""
        table = self.costs_table
        if table is None:
            return None
        grouped, seen = {}, {}
        year_col = self.column("year", COST_COLUMNS)
        for line, values in table.rows:
            target = self.target_line(table, COST_COLUMNS, line, values)
            if target is None:
                continue
            parsed = self.read_money_row(table, COST_COLUMNS, line, values)
            if parsed is None:
                continue
            year = parsed.get("year")
            if year is not None and (target, year) in seen:
                self.error(
                    table,
                    line,
                    year_col,
                    f"Das Haushaltsjahr {year} dieser Maßnahme steht schon in Zeile "
                    f"{seen[target, year]}.",
                )
                continue
            seen[target, year] = line
            grouped.setdefault(target, []).append((line, parsed))
        return grouped

    def group_funding(self):
        """{measures-sheet line: [(funding line, {key: value})]}, or None without the sheet."""
        table = self.funding_table
        if table is None:
            return None
        grouped = {}
        for line, values in table.rows:
            target = self.target_line(table, FUNDING_COLUMNS, line, values)
            if target is None:
                continue
            parsed = self.read_money_row(table, FUNDING_COLUMNS, line, values)
            if parsed is not None:
                grouped.setdefault(target, []).append((line, parsed))
        return grouped

    def plan_row(self, line, values, existing, partner_rows):
        pk = self.row_ids.get(line)
        if pk is False:
            return
        table = self.measures_table
        measure = existing.get(pk) if pk else None
        if pk and measure is None:
            self.error(
                table, line, self.column("id"), f"Eine Maßnahme mit der ID {pk} gibt es nicht."
            )
            return
        data, ok = self.form_data(line, values, measure)
        if not ok:
            return
        partners = None if partner_rows is None else partner_rows.get(line, [])
        base = QueryDict(mutable=True)
        for name, value in data.items():
            if isinstance(value, list):
                base.setlist(name, value)
            else:
                base[name] = value
        partner_data, partner_lines = self.partner_data(measure, partners)
        base.update(partner_data)
        form = MeasureForm(base, instance=measure or Measure(), user=self.user)
        formset = PartnershipFormSet(base, instance=measure or Measure(), prefix=PREFIX)
        changed_fields = [name for name in form.changed_data if name != "version"]
        partners_changed = self.partners_changed(measure, partners)
        money = _Money(self, line, measure)
        title = data.get("title") or (measure.title if measure else "")
        if (
            measure is not None
            and not changed_fields
            and not partners_changed
            and not money.changed
        ):
            self.result.rows.append(PlannedRow(line, "unchanged", title, measure=measure))
            return
        if measure is not None and not can_edit_measure(self.user, measure):
            where, what = table, "Die Maßnahme"
            if not changed_fields and not partners_changed:
                where, line, what = money.changed_sheet(line)
            self.error(
                where,
                line,
                self.column("id") if where is table else None,
                f"{what} „{measure.title}“ der Kommune {measure.lead_municipality.label} "
                "dürfen Sie nicht ändern. Lassen Sie die Zeile unverändert oder löschen Sie sie.",
            )
            return
        if measure is not None:
            version_col = self.column("version")
            file_version = data.get("version")
            if self.has(table, version_col) and str(file_version) != str(measure.version):
                self.error(
                    table,
                    line,
                    version_col,
                    f"Die Maßnahme wurde seit dem Export im Portal geändert (Version "
                    f"{measure.version}, in der Datei {file_version or 'leer'}). Bitte "
                    "exportieren Sie neu und übertragen Sie Ihre Änderungen.",
                )
                return
        # Before validation: is_valid() writes the file's values onto the instance.
        before = measure_row(measure) if measure else None
        form_ok = self.validate(line, form, formset, partner_lines)
        if not money.validate() or not form_ok:
            return
        duplicate_of = None if measure else self.same_title(form.cleaned_data)
        if duplicate_of is not None and not self.create_duplicates:
            self.result.rows.append(
                PlannedRow(line, "existing", title, measure=duplicate_of, duplicate_of=duplicate_of)
            )
            return
        planned = PlannedRow(
            line,
            "change" if measure else "create",
            form.cleaned_data.get("title", title),
            measure=measure,
            form=form,
            formset=formset,
            version=measure.version if measure else None,
            duplicate_of=duplicate_of,
            cost_formset=money.cost_formset if money.costs_changed else None,
            funding_formset=money.funding_formset if money.funding_changed else None,
        )
        if measure is not None:
            planned.changes = (
                self.describe(before, measure, form, changed_fields, partners, partners_changed)
                + money.describe()
            )
            planned.back_to_review = measure.review_state == ReviewState.ACCEPTED and (
                partners_changed
                or any(f not in NOT_SUBSTANTIVE for f in changed_fields)
                or money.planned_changed
            )
        self.result.rows.append(planned)

    def same_title(self, cleaned):
        """The measure of the row's lead body with the row's title (case, spacing aside)."""
        lead, title = cleaned.get("lead_municipality"), cleaned.get("title")
        if lead is None or not title:
            return None
        if self._by_title is None:
            # One query for the whole file; withdrawn measures were joined into others.
            self._by_title = {}
            measures = (
                Measure.objects.exclude(review_state=ReviewState.WITHDRAWN)
                .only("pk", "title", "lead_municipality_id")
                .order_by("pk")
            )
            for existing in measures:
                key = (existing.lead_municipality_id, cells.key(existing.title))
                self._by_title.setdefault(key, existing)
        return self._by_title.get((lead.pk, cells.key(title)))

    def form_data(self, line, values, measure):
        """The form data for a row: the measure's current values overridden by the file's."""
        table = self.measures_table
        data = _instance_data(measure) if measure else {"version": "", "goals": []}
        ok = True
        field_of_action = measure.field_of_action if measure else None
        columns = [c for c in MEASURE_COLUMNS if c.key != "id" and self.has(table, c)]
        # The field first: goals are looked up within it.
        columns.sort(key=lambda c: c.key != "field_of_action")
        for column in columns:
            raw = self.cell(table, values, column)
            try:
                value = self.parse(column, raw, field_of_action)
            except cells.CellError as exc:
                self.error(table, line, column, exc)
                ok = False
                continue
            if column.kind == "field":
                field_of_action = value
                value = str(value.pk) if value else ""
            elif column.kind == "body":
                value = str(value.pk) if value else ""
            # Line endings differ between programs; they are no change.
            if (
                column.kind == "text"
                and measure is not None
                and _lines(value) == _lines(data.get(column.key, ""))
            ):
                continue
            data[column.key] = value if value is not None else ""
        if measure is None and not data.get("lead_municipality") and len(self.editable) == 1:
            data["lead_municipality"] = str(self.editable[0].pk)
        if measure is None:
            # Empty in a new row: the defaults of a new measure in the form.
            data["status"] = data.get("status") or Status.IDEA
            data["priority"] = data.get("priority") or Priority.MEDIUM
        return data, ok

    def parse(self, column, raw, field_of_action):
        if column.kind == "int":
            return cells.integer(raw)
        if column.kind == "bool":
            return cells.boolean(raw)
        if column.kind == "date":
            return cells.month(raw)
        if column.kind in ("money", "percent"):
            return cells.number(raw)
        if column.kind == "body":
            return self.resolver.body(raw)
        if column.kind == "field":
            return self.resolver.field(raw)
        if column.kind in ("status", "priority", "task_kind"):
            return self.resolver.choice(raw, column.kind)
        if column.key == "goals":
            return self.resolver.goals(raw, field_of_action)
        return cells.text(raw).strip()

    def partner_data(self, measure, partners):
        """Formset data: existing partnerships kept, changed or deleted, new ones added.

        Existing partnerships come first: the formset reads its first INITIAL_FORMS forms as
        the stored ones. Returns the data and, per form, the partner sheet's line (or None).
        """
        current = list(measure.partnerships.all()) if measure else []
        if partners is None:
            kept = [(None, p.municipality, _share_text(p.cost_share_percent), p) for p in current]
            rows = [(*row, False) for row in kept]
        else:
            by_body = {p.municipality_id: p for p in current}
            stored, added, claimed = {}, [], set()
            for line, body, share in partners:
                partnership = by_body.get(body.pk)
                if partnership is not None and body.pk not in claimed:
                    claimed.add(body.pk)
                    stored[partnership.pk] = (line, body, share, partnership, False)
                else:
                    # New, or a second row for the same body: the formset names the duplicate.
                    added.append((line, body, share, None, False))
            rows = [stored.get(p.pk, (None, p.municipality, "", p, True)) for p in current] + added
        data, lines = {}, []
        for index, (line, body, share, partnership, delete) in enumerate(rows):
            prefix = f"{PREFIX}-{index}"
            data[f"{prefix}-id"] = str(partnership.pk) if partnership else ""
            data[f"{prefix}-municipality"] = str(body.pk)
            data[f"{prefix}-cost_share_percent"] = share
            if delete:
                data[f"{prefix}-DELETE"] = "on"
            lines.append(line)
        data[f"{PREFIX}-TOTAL_FORMS"] = str(len(rows))
        data[f"{PREFIX}-INITIAL_FORMS"] = str(len(current))
        data[f"{PREFIX}-MIN_NUM_FORMS"] = "0"
        data[f"{PREFIX}-MAX_NUM_FORMS"] = "1000"
        return data, lines

    def partners_changed(self, measure, partners):
        if partners is None:
            return False
        current = {}
        if measure is not None:
            current = {p.municipality_id: p.cost_share_percent for p in measure.partnerships.all()}
        wanted = {}
        for _line, body, share in partners:
            if body.pk in wanted:
                return True
            wanted[body.pk] = _parse_share(share)
        return current != wanted

    def validate(self, line, form, formset, partner_lines):
        form_ok = form.is_valid()
        formset.lead_municipality = getattr(form, "cleaned_data", {}).get("lead_municipality")
        formset_ok = formset.is_valid()
        table = self.measures_table
        by_key = {c.key: c for c in MEASURE_COLUMNS}
        for name, errors in form.errors.items():
            column = by_key.get(name)
            for error in errors.as_data():
                message = error.messages[0] if error.messages else ""
                if name == "lead_municipality" and error.code == "invalid_choice":
                    message = "Für diese Kommune dürfen Sie keine Maßnahmen anlegen oder pflegen."
                if column is not None and not self.has(table, column):
                    self.error(table, line, None, f"{column.header}: {message}")
                else:
                    self.error(table, line, column, message)
        partners = self.partners_table
        for index, partner_form in enumerate(formset.forms):
            # formset.errors leaves out the deleted forms; the lines are per form.
            if formset._should_delete_form(partner_form):
                continue
            partner_line = partner_lines[index] if index < len(partner_lines) else None
            for name, messages in partner_form.errors.items():
                column = next((c for c in PARTNER_COLUMNS if c.key == name), None)
                for message in messages:
                    if partners is not None and partner_line:
                        self.error(partners, partner_line, column, message)
                    else:
                        self.error(table, line, None, f"Beteiligte: {message}")
        for message in formset.non_form_errors():
            self.error(table, line, None, f"Beteiligte: {message}")
        return form_ok and formset_ok

    def describe(self, old, measure, form, changed_fields, partners, partners_changed):
        """Field-level changes for the preview, in the file's wording."""
        new = dict(old)
        cleaned = form.cleaned_data
        for name in changed_fields:
            value = cleaned.get(name)
            if name == "lead_municipality":
                value = value.label if value else ""
            elif name == "field_of_action":
                value = str(value) if value else ""
            elif name == "goals":
                value = "; ".join(sorted(g.title for g in value))
            elif name in ("status", "priority"):
                value = dict(form.fields[name].choices).get(value, value)
            elif name.startswith("for_"):
                value = "ja" if value else "nein"
            new[name] = value
        headers = {c.key: c.header for c in MEASURE_COLUMNS}
        changes = [
            Change(headers.get(name, name), _show(old.get(name)), _show(new.get(name)))
            for name in changed_fields
        ]
        if partners_changed:
            before = ", ".join(
                _partner_text(p.municipality, p.cost_share_percent)
                for p in measure.partnerships.all()
            )
            after = ", ".join(
                _partner_text(body, _parse_share(share)) for _line, body, share in partners
            )
            changes.append(Change("Beteiligte", before or "–", after or "–"))
        return changes


class _Money:
    """The cost plan and funding of one measures-sheet row: the formsets the file's rows make,
    whether they change anything, their errors at the sheets' cells, the preview's changes.

    Budget years are matched by year, funding entries by programme and year (in the order of
    the stored entries); stored ones missing from the sheet are deleted. A formset is built
    and checked only where the file's rows differ from the stored ones as text.
    """

    def __init__(self, planner, line, measure):
        self.planner = planner
        self.line = line
        self.measure = measure
        self.new = measure is None
        self.cost_rows = None if planner.cost_rows is None else planner.cost_rows.get(line, [])
        self.funding_rows = (
            None if planner.funding_rows is None else planner.funding_rows.get(line, [])
        )
        self.stored_costs = (
            sorted(measure.cost_plan.all(), key=lambda r: r.year)
            if (measure is not None and self.cost_rows is not None)
            else []
        )
        self.stored_funding = (
            sorted(measure.funding.all(), key=lambda e: e.pk)
            if (measure is not None and self.funding_rows is not None)
            else []
        )
        self.cost_formset = self.cost_lines = None
        self.funding_formset = self.funding_lines = None
        self.costs_changed = self.funding_changed = False
        if self.cost_rows is not None:
            self.cost_formset, self.cost_lines, self.costs_changed = self._costs()
        if self.funding_rows is not None:
            self.funding_formset, self.funding_lines, self.funding_changed = self._funding()

    @property
    def changed(self):
        return self.costs_changed or self.funding_changed

    # --- the cost plan ------------------------------------------------------------------

    def _costs(self):
        by_year, stored, extra = {}, {}, []
        for row in self.stored_costs:
            by_year.setdefault(row.year, row)
        for line, values in self.cost_rows:
            row = by_year.get(values.get("year"))
            if row is not None and row.pk not in stored:
                stored[row.pk] = (line, values)
            else:
                extra.append((line, values, None))
        forms = [(*stored.get(row.pk, (None, None)), row) for row in self.stored_costs] + extra
        data, lines, wanted = {}, [], set()
        for index, (line, values, row) in enumerate(forms):
            prefix = f"{COST_PREFIX}-{index}"
            data[f"{prefix}-id"] = str(row.pk) if row is not None else ""
            fields = {"year": _int_text(row.year if row is not None else None)}
            fields |= {name: _number_text(getattr(row, name, None)) for name in PLAN_NAMES}
            if values is None:
                data[f"{prefix}-DELETE"] = "on"
            else:
                if "year" in values:
                    fields["year"] = _int_text(values["year"])
                fields |= {name: values[name] for name in PLAN_NAMES if name in values}
                wanted.add(tuple(fields.values()))
            data |= {f"{prefix}-{name}": value for name, value in fields.items()}
            lines.append(line)
        data |= _management(COST_PREFIX, len(forms), len(self.stored_costs))
        current = {
            tuple([_int_text(row.year)] + [_number_text(getattr(row, n)) for n in PLAN_NAMES])
            for row in self.stored_costs
        }
        if wanted == current and len(self.cost_rows) == len(self.stored_costs):
            return None, lines, False
        instance = self.measure or Measure()
        formset = CostPlanFormSet(data, instance=instance, prefix=COST_PREFIX)
        if not formset.is_valid():
            return formset, lines, True
        return formset, lines, self._plan_before() != self._plan_after(formset)

    def _plan_before(self):
        return {row.year: {n: getattr(row, n) for n in PLAN_NAMES} for row in self.stored_costs}

    def _plan_after(self, formset):
        return {row["year"]: {n: row[n] for n in PLAN_NAMES} for row in formset.kept_rows()}

    @property
    def planned_changed(self):
        """A planned figure (the reviewed part of the plan) changes."""
        if not self.costs_changed or not self.cost_formset.is_valid():
            return False
        before, after = self._plan_before(), self._plan_after(self.cost_formset)
        if before.keys() != after.keys():
            return True
        return any(
            before[year][name] != after[year][name]
            for year in before
            for name in PLANNED_COST_FIELDS
        )

    # --- funding ------------------------------------------------------------------------

    def _funding(self):
        by_key, stored, extra = {}, {}, []
        for entry in self.stored_funding:
            by_key.setdefault((entry.programme_id, entry.year), []).append(entry)
        for line, values in self.funding_rows:
            programme = values.get("programme")
            key = (programme.pk if programme else None, values.get("year"))
            candidates = [e for e in by_key.get(key, []) if e.pk not in stored]
            if candidates:
                stored[candidates[0].pk] = (line, values)
            else:
                extra.append((line, values, None))
        forms = [(*stored.get(e.pk, (None, None)), e) for e in self.stored_funding] + extra
        data, lines, wanted = {}, [], []
        for index, (line, values, entry) in enumerate(forms):
            prefix = f"{FUNDING_PREFIX}-{index}"
            data[f"{prefix}-id"] = str(entry.pk) if entry is not None else ""
            fields = _entry_fields(entry)
            if values is None:
                data[f"{prefix}-DELETE"] = "on"
            else:
                for name, value in values.items():
                    if name == "programme":
                        value = str(value.pk)
                    elif name == "year":
                        value = _int_text(value)
                    fields[name] = value
                wanted.append(tuple(fields.values()))
            data |= {f"{prefix}-{name}": value for name, value in fields.items()}
            lines.append(line)
        data |= _management(FUNDING_PREFIX, len(forms), len(self.stored_funding))
        current = sorted(tuple(_entry_fields(e).values()) for e in self.stored_funding)
        if sorted(wanted) == current:
            return None, lines, False
        formset = FundingFormSet(
            data,
            instance=self.measure or Measure(),
            prefix=FUNDING_PREFIX,
            queryset=FundingEntry.objects.select_related("programme"),
        )
        if not formset.is_valid():
            return formset, lines, True
        return formset, lines, self._funding_before() != self._funding_after(formset)

    def _funding_before(self):
        return sorted(
            (_entry_key(e.programme, e.year), _entry_values(e)) for e in self.stored_funding
        )

    def _funding_after(self, formset):
        kept = []
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form in formset.deleted_forms:
                continue
            if not form.has_changed() and form.instance.pk is None:
                continue
            kept.append((_entry_key(data["programme"], data["year"]), _entry_values(data)))
        return sorted(kept)

    # --- errors and changes -------------------------------------------------------------

    def changed_sheet(self, line):
        """(table, line, what) to name when only the money of a foreign measure changes."""
        planner = self.planner
        if self.costs_changed:
            table, lines, what = planner.costs_table, self.cost_lines, "Den Kostenplan der Maßnahme"
        else:
            table, lines, what = (
                planner.funding_table,
                self.funding_lines,
                "Die Förderungen der Maßnahme",
            )
        first = next((n for n in lines or [] if n), None)
        if first is None:
            return planner.measures_table, line, what
        return table, first, what

    def validate(self):
        """Name the formsets' errors at the sheets' cells; True when there are none."""
        ok = True
        for formset, lines, table, columns, label in (
            (
                self.cost_formset,
                self.cost_lines,
                self.planner.costs_table,
                COST_COLUMNS,
                "Kostenplan",
            ),
            (
                self.funding_formset,
                self.funding_lines,
                self.planner.funding_table,
                FUNDING_COLUMNS,
                "Förderung",
            ),
        ):
            if formset is None or formset.is_valid():
                continue
            ok = False
            by_key = {c.key: c for c in columns}
            for index, form in enumerate(formset.forms):
                # formset.errors leaves out the deleted forms; the lines are per form.
                if formset._should_delete_form(form):
                    continue
                row_line = lines[index] if index < len(lines) else None
                for name, messages in form.errors.items():
                    column = by_key.get(name)
                    for message in messages:
                        if row_line:
                            if column is not None and not self.planner.has(table, column):
                                message = f"{column.header}: {message}"
                                column = None
                            self.planner.error(table, row_line, column, message)
                        else:
                            self.planner.error(
                                self.planner.measures_table, self.line, None, f"{label}: {message}"
                            )
            for message in formset.non_form_errors():
                self.planner.error(
                    self.planner.measures_table, self.line, None, f"{label}: {message}"
                )
        return ok

    def describe(self):
        changes = []
        if self.costs_changed:
            before, after = self._plan_before(), self._plan_after(self.cost_formset)
            for year in sorted(before.keys() | after.keys()):
                old, new = before.get(year), after.get(year)
                if old is None:
                    changes.append(Change(f"Kostenplan {year}", "–", _plan_text(new)))
                elif new is None:
                    changes.append(Change(f"Kostenplan {year}", _plan_text(old), "entfernt"))
                else:
                    changes += [
                        Change(f"Kostenplan {year}: {PLAN_LABELS[n]}", _show(old[n]), _show(new[n]))
                        for n in PLAN_NAMES
                        if old[n] != new[n]
                    ]
        if self.funding_changed:
            before = self._funding_before()
            after = self._funding_after(self.funding_formset)
            removed = [entry for entry in before if entry not in after]
            added = [entry for entry in after if entry not in before]
            for key, values in removed:
                # An entry of the same programme and year changed in place: field by field.
                pair = next((entry for entry in added if entry[0] == key), None)
                if pair is None:
                    changes.append(Change(f"Förderung {key}", _funding_text(values), "entfernt"))
                    continue
                added.remove(pair)
                changes += [
                    Change(
                        f"Förderung {key}: {FUNDING_LABELS[name]}", _shown(name, a), _shown(name, b)
                    )
                    for name, a, b in zip(FUNDING_VALUES, values, pair[1], strict=True)
                    if a != b
                ]
            for key, values in added:
                changes.append(Change(f"Förderung {key}", "–", _funding_text(values)))
        return changes


PLAN_NAMES = cost_rules.PLAN_FIELDS
PLAN_LABELS = {c.key: c.header for c in COST_COLUMNS}
FUNDING_LABELS = {c.key: c.header for c in FUNDING_COLUMNS}
FUNDING_VALUES = ("rate_percent", "amount", "state", *FUNDING_DATES)


def _management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _int_text(value):
    return "" if value is None else str(value)


def _number_text(value):
    """A stored amount as cells.number writes a file's number: 12500,50."""
    return cells.number(value) if value is not None else ""


def _entry_fields(entry):
    """A funding entry as the funding form posts it (empty for a new entry)."""
    if entry is None:
        empty = ("programme", "year", "rate_percent", "amount", "state", *FUNDING_DATES)
        return dict.fromkeys(empty, "")
    return {
        "programme": str(entry.programme_id),
        "year": _int_text(entry.year),
        "rate_percent": _number_text(entry.rate_percent),
        "amount": _number_text(entry.amount),
        "state": entry.state,
    } | {
        name: getattr(entry, name).isoformat() if getattr(entry, name) else ""
        for name in FUNDING_DATES
    }


def _entry_key(programme, year):
    return f"{programme.name} {year}"


def _entry_values(source):
    get = source.get if isinstance(source, dict) else lambda name: getattr(source, name)
    return tuple(
        Decimal(get(name))
        if name in ("rate_percent", "amount") and get(name) is not None
        else get(name)
        for name in FUNDING_VALUES
    )


def _plan_text(values):
    shown = [f"{PLAN_LABELS[n]} {_show(values[n])}" for n in PLAN_NAMES if values[n] is not None]
    return "; ".join(shown) or "ohne Beträge"


def _shown(name, value):
    """A funding value for the preview: the state's label, dates by day."""
    if name == "state":
        return funding_state_labels().get(value, value or "–")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return _show(value)


def _funding_text(values):
    return "; ".join(
        f"{FUNDING_LABELS[name]} {_shown(name, value)}"
        for name, value in zip(FUNDING_VALUES, values, strict=True)
        if value is not None and value != ""
    )


def _instance_data(measure):
    def money(value):
        return f"{value:f}".replace(".", ",") if value is not None else ""

    return {
        "version": str(measure.version),
        "title": measure.title,
        "summary": measure.summary,
        "description": measure.description,
        "lead_municipality": str(measure.lead_municipality_id),
        "field_of_action": str(measure.field_of_action_id),
        "goals": [str(g.pk) for g in measure.goals.all()],
        "for_citizens": "on" if measure.for_citizens else "",
        "for_businesses": "on" if measure.for_businesses else "",
        "for_administration": "on" if measure.for_administration else "",
        "status": measure.status,
        "priority": measure.priority,
        "planned_start": measure.planned_start.strftime("%Y-%m") if measure.planned_start else "",
        "planned_end": measure.planned_end.strftime("%Y-%m") if measure.planned_end else "",
        "budget_planned": money(measure.budget_planned),
        "budget_spent": money(measure.budget_spent),
        "task_kind": measure.task_kind,
        "budget_product": measure.budget_product,
        "funding_source": measure.funding_source,
        "contact_name": measure.contact_name,
        "contact_role": measure.contact_role,
        "contact_email": measure.contact_email,
        "leika_key": measure.leika_key,
    }


def _title_key(value):
    """A title to match partner rows with new measures; a formula matches nothing."""
    try:
        return cells.key(cells.text(value))
    except cells.CellError:
        return ""


def _lines(value):
    return str(value).replace("\r\n", "\n")


def _share_text(value):
    return f"{value:f}".replace(".", ",") if value is not None else ""


def _parse_share(text):
    from decimal import Decimal, InvalidOperation

    if not text:
        return None
    try:
        return Decimal(text.replace(".", "").replace(",", ".") if "," in text else text)
    except InvalidOperation:
        return text


def _partner_text(body, share):
    return f"{body.label} ({_share_text(share)} %)" if share is not None else body.label


def _show(value):
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.date):
        return value.strftime("%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return str(value)
