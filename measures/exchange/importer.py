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
"""

from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.http import QueryDict
from django.utils import translation
from openpyxl.utils import get_column_letter

from core import dispatch
from municipalities import rules

from ..forms import MeasureForm, PartnershipFormSet
from ..models import Measure, Priority, ReviewState, Status
from ..permissions import can_edit_measure
from ..review import PROGRESS_FIELDS, after_edit
from ..synergy import SIMILARITY_FIELDS, recompute_on_commit
from . import cells
from .csv_format import read_csv
from .sheets import (
    MEASURE_COLUMNS,
    PARTNER_COLUMNS,
    PARTNERS_SHEET,
    ExchangeFileError,
    Lookups,
    measure_row,
)
from .xlsx_format import read_xlsx

MAX_IMPORT_BYTES = 5_000_000
MAX_ROWS = 5000
PREFIX = "partners"
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


def read_files(filename, raw, partners_filename="", partners_raw=None):
    """(measures table, partners table or None, notices) from an upload; ExchangeFileError."""
    for name, content in ((filename, raw), (partners_filename, partners_raw)):
        if content is not None and len(content) > MAX_IMPORT_BYTES:
            raise ExchangeFileError(
                f"„{name}“ ist größer als {MAX_IMPORT_BYTES // 1_000_000} MB; bitte teilen Sie "
                "die Datei auf."
            )
    suffix = PurePath(filename or "").suffix.lower()
    notices = []
    if suffix == ".xlsx":
        measures, partners = read_xlsx(raw)
        if partners_raw:
            notices.append(
                "Die Excel-Datei enthält die Beteiligten im Blatt „Beteiligte“; die zusätzliche "
                "CSV-Datei wurde nicht gelesen."
            )
    elif suffix == ".csv":
        measures, notice = read_csv(raw, filename)
        notices += [notice] if notice else []
        partners = None
        if partners_raw:
            partners, notice = read_csv(partners_raw, partners_filename or PARTNERS_SHEET)
            notices += [notice] if notice else []
    else:
        raise ExchangeFileError(
            "Bitte laden Sie eine Excel-Arbeitsmappe (.xlsx) oder eine CSV-Datei (.csv) hoch."
        )
    return measures, partners, notices


def plan_import(
    measures_table, partners_table, user, lock=False, progress=None, create_duplicates=False
):
    """Check every row as the given user; nothing is saved.

    ``progress(step, done, total)``, if given, is called every PROGRESS_STEP rows.
    ``create_duplicates``: new rows that match a measure of their body are created too.
    """
    with translation.override("de"):
        planner = _Planner(measures_table, partners_table, user, lock, progress)
        planner.create_duplicates = create_duplicates
        return planner.plan()


def apply_import(measures_table, partners_table, user, progress=None, create_duplicates=False):
    """Check again with the rows locked and save all, or nothing when there is any error."""
    progress = progress or _no_progress
    try:
        with transaction.atomic(), translation.override("de"):
            planner = _Planner(measures_table, partners_table, user, True, progress)
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
    # The snapshot below must see the partners and goals just saved.
    getattr(measure, "_prefetched_objects_cache", {}).clear()
    return after_edit(measure, user) if existing else False


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
        if len(measures.rows) + len(partners.rows if partners else []) > MAX_ROWS:
            self.result.errors.append(
                RowError(measures.name, 1, "", "", f"Mehr als {MAX_ROWS} Zeilen: bitte aufteilen.")
            )
            return self.result
        if not measures.rows and not (partners and partners.rows):
            self.result.notices.append("Die Datei enthält noch keine Maßnahmen.")
        elif self.has_info_columns(measures, ("budget_planned", "budget_spent")):
            self.result.notices.append(
                "Die Spalten „geplantes Budget (EUR)“ und „verausgabt (EUR)“ zeigen die Summen "
                "des Kostenplans und werden nicht eingelesen. Beträge je Haushaltsjahr pflegen "
                "Sie im Portal im Kostenplan der Maßnahme."
            )
        existing = self.load_existing()
        partner_rows = self.group_partners(existing)
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
        if self.lock:
            queryset = queryset.select_for_update(of=("self",)).order_by("pk")
        return {m.pk: m for m in queryset}

    def group_partners(self, existing):
        """{measures-sheet line: [(partner line, municipality, share text)]}, or None."""
        table = self.partners_table
        if table is None:
            return None
        by_id = {pk: line for line, pk in self.row_ids.items() if pk}
        id_col = self.column("measure_id", PARTNER_COLUMNS)
        title_col = self.column("measure_title", PARTNER_COLUMNS)
        body_col = self.column("municipality", PARTNER_COLUMNS)
        share_col = self.column("cost_share_percent", PARTNER_COLUMNS)
        new_by_title = {}
        title_key = self.column("title")
        for line, values in self.measures_table.rows:
            if self.row_ids.get(line) is None:
                title = _title_key(self.cell(self.measures_table, values, title_key))
                new_by_title.setdefault(title, []).append(line)
        grouped = {}
        for line, values in table.rows:
            try:
                pk = cells.integer(self.cell(table, values, id_col), allow_reference=True)
            except cells.CellError as exc:
                self.error(table, line, id_col, exc)
                continue
            if pk:
                target = by_id.get(pk)
                if target is None:
                    self.error(
                        table,
                        line,
                        id_col,
                        f"Die Maßnahme mit der ID {pk} steht nicht in "
                        f"„{self.measures_table.name}“.",
                    )
                    continue
            else:
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
                    continue
                target = targets[0]
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
        title = data.get("title") or (measure.title if measure else "")
        if measure is not None and not changed_fields and not partners_changed:
            self.result.rows.append(PlannedRow(line, "unchanged", title, measure=measure))
            return
        if measure is not None and not can_edit_measure(self.user, measure):
            self.error(
                table,
                line,
                self.column("id"),
                f"Die Maßnahme „{measure.title}“ der Kommune {measure.lead_municipality.label} "
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
        if not self.validate(line, form, formset, partner_lines):
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
        )
        if measure is not None:
            planned.changes = self.describe(
                before, measure, form, changed_fields, partners, partners_changed
            )
            planned.back_to_review = measure.review_state == ReviewState.ACCEPTED and (
                partners_changed or any(f not in NOT_SUBSTANTIVE for f in changed_fields)
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
        for index, errors in enumerate(formset.errors):
            partner_line = partner_lines[index] if index < len(partner_lines) else None
            for name, messages in errors.items():
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
    import datetime
    from decimal import Decimal

    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.date):
        return value.strftime("%m/%Y")
    if isinstance(value, Decimal):
        return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return str(value)
