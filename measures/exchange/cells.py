"""Cell values of an imported spreadsheet -> the strings the measure form expects.

Each parser takes the raw cell (str, int, float, date, None or a Formula) and returns the
value as the browser form would post it, or raises CellError with a German reason. The form
(measures/forms.py) then applies the same rules as in the browser.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from .sheets import (
    GOAL_SEPARATOR,
    Formula,
    funding_state_labels,
    priority_labels,
    status_labels,
    task_kind_labels,
)


class CellError(Exception):
    """A cell that cannot be read; ``str(error)`` is the German reason."""


TRUE_WORDS = {"ja", "j", "x", "1", "wahr", "true", "yes", "y"}
FALSE_WORDS = {"nein", "n", "0", "falsch", "false", "no", "-", "–"}
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def key(text):
    """Compare labels as people type them: case and spacing do not matter."""
    return " ".join(str(text).split()).casefold()


def _refuse_formula(value):
    if isinstance(value, Formula):
        raise CellError(
            "Die Zelle enthält eine Formel; Formeln werden nicht übernommen. Bitte tragen Sie "
            "den Wert selbst ein."
        )


def text(value):
    _refuse_formula(value)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.date):
        value = value.strftime("%d.%m.%Y")
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def integer(value, allow_reference=False):
    """A whole number or None; ``allow_reference``: also "M-0012" as shown in the portal."""
    _refuse_formula(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError("Hier gehört eine ganze Zahl hin.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    candidate = str(value).strip()
    if allow_reference:
        candidate = re.sub(r"^M-?", "", candidate, flags=re.IGNORECASE)
    if candidate.isdigit():
        return int(candidate)
    raise CellError(f"„{str(value)[:40]}“ ist keine ganze Zahl.")


def boolean(value):
    _refuse_formula(value)
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    word = key(value)
    if word in TRUE_WORDS:
        return "on"
    if word in FALSE_WORDS or not word:
        return ""
    raise CellError(f"Bitte „ja“ oder „nein“ eintragen, nicht „{str(value)[:40]}“.")


DATE_PATTERNS = [
    (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), ("day", "month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("year", "month", "day")),
    (re.compile(r"(\d{1,2})[./](\d{4})"), ("month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})"), ("year", "month")),
]


def month(value):
    """A month as YYYY-MM (the day is dropped: the portal plans by month)."""
    _refuse_formula(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value.year:04d}-{value.month:02d}"  # strftime writes the year 1 as "1"
    # A date cell that lost its format: Excel's serial day number.
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 100_000:
        return (EXCEL_EPOCH + datetime.timedelta(days=int(value))).strftime("%Y-%m")
    candidate = str(value).strip()
    for pattern, parts in DATE_PATTERNS:
        match = pattern.fullmatch(candidate)
        if match:
            found = dict(zip(parts, map(int, match.groups()), strict=True))
            if 1 <= found["month"] <= 12:
                return f"{found['year']:04d}-{found['month']:02d}"
    raise CellError(
        f"„{candidate[:40]}“ ist kein Datum. Bitte als Datum eingeben, z. B. 01.03.2027 "
        "(es zählt der Monat)."
    )


def day(value):
    """A date as YYYY-MM-DD (funding dates are kept by day); the form checks the range."""
    _refuse_formula(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 100_000:
        return (EXCEL_EPOCH + datetime.timedelta(days=int(value))).isoformat()
    candidate = str(value).strip()
    for pattern, parts in DATE_PATTERNS[:2]:
        match = pattern.fullmatch(candidate)
        if match:
            found = dict(zip(parts, map(int, match.groups()), strict=True))
            try:
                return datetime.date(found["year"], found["month"], found["day"]).isoformat()
            except ValueError:
                break
    raise CellError(
        f"„{candidate[:40]}“ ist kein Datum. Bitte als Datum eingeben, z. B. 01.03.2027."
    )


def number(value):
    """An amount or percentage, written with decimal comma as the form reads German input."""
    _refuse_formula(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, bool):
        raise CellError("Hier gehört eine Zahl hin.")
    if isinstance(value, int | float | Decimal):
        try:
            amount = Decimal(str(value))
        except InvalidOperation as exc:
            raise CellError("Hier gehört eine Zahl hin.") from exc
        # Cents as the portal stores them: 12500.5 from Excel is 12500,50.
        cents = amount.quantize(Decimal("0.01"))
        if cents == amount:
            amount = cents
        return f"{amount:f}".replace(".", ",")
    return str(value).replace("%", "").strip()


class Resolver:
    """Labels in the file -> primary keys, with the lookups of measures/exchange/sheets.py."""

    def __init__(self, lookups):
        self.lookups = lookups
        # Labels and keys are unique; other names count only where they name one body
        # ("Gartow" is the Flecken's label, "Samtgemeinde Gartow" the Samtgemeinde's).
        self._bodies = {}
        for m in lookups.municipalities:
            for name in (m.label, m.ars, m.ags):
                if name:
                    self._bodies[key(name)] = m
        secondary = {}
        for m in lookups.municipalities:
            for name in (m.name, m.official_name):
                if name and key(name) not in self._bodies:
                    secondary.setdefault(key(name), set()).add(m)
        for k, bodies in secondary.items():
            if len(bodies) == 1:
                self._bodies[k] = bodies.pop()
        self._fields = {}
        for f in lookups.fields:
            for name in (str(f), str(f.number), f.short_title, f.title):
                self._fields[key(name)] = f
        self._status = {key(v): v for v in status_labels()} | {
            key(label): v for v, label in status_labels().items()
        }
        self._priority = {key(v): v for v in priority_labels()} | {
            key(label): v for v, label in priority_labels().items()
        }
        self._task_kind = {key(v): v for v in task_kind_labels()} | {
            key(label): v for v, label in task_kind_labels().items()
        }
        self._funding_state = {key(v): v for v in funding_state_labels()} | {
            key(label): v for v, label in funding_state_labels().items()
        }
        self._programmes = None
        self._goals = {}
        for goal in lookups.goals:
            self._goals.setdefault(key(goal.title), []).append(goal)

    def body(self, value):
        """The Municipality for a cell, or None for an empty cell."""
        name = text(value).strip()
        if not name:
            return None
        found = self._bodies.get(key(name))
        if found is None:
            raise CellError(
                f"Die Kommune „{name[:60]}“ gibt es nicht. Bitte wählen Sie sie aus der Liste "
                "(z. B. „Samtgemeinde Gartow“ oder „Gartow“ für den Flecken)."
            )
        return found

    def field(self, value):
        name = text(value).strip()
        if not name:
            return None
        found = self._fields.get(key(name))
        if found is None:
            raise CellError(
                f"Das Handlungsfeld „{name[:60]}“ gibt es nicht. Bitte wählen Sie es aus der "
                "Liste, z. B. „1. …“."
            )
        return found

    def choice(self, value, kind):
        name = text(value).strip()
        if not name:
            return ""
        tables = {
            "status": (self._status, status_labels),
            "priority": (self._priority, priority_labels),
            "task_kind": (self._task_kind, task_kind_labels),
            "funding_state": (self._funding_state, funding_state_labels),
        }
        table, all_labels = tables[kind]
        found = table.get(key(name))
        if found is None:
            labels = all_labels()
            raise CellError(
                f"„{name[:40]}“ ist nicht vorgesehen; möglich sind: " + ", ".join(labels.values())
            )
        return found

    def programme(self, value):
        """The FundingProgramme named in a cell (its name, also with "(Beispiel)"), or None."""
        name = text(value).strip()
        if not name:
            return None
        if self._programmes is None:
            self._programmes = {}
            for programme in self.lookups.programmes:
                for label in (programme.name, str(programme)):
                    self._programmes[key(label)] = programme
        found = self._programmes.get(key(name))
        if found is None:
            raise CellError(
                f"Das Förderprogramm „{name[:60]}“ gibt es nicht. Bitte wählen Sie es aus der "
                "Liste; fehlt ein Programm, nimmt die Koordinierungsstelle es auf."
            )
        return found

    def goals(self, value, field_of_action):
        """Goal primary keys for "Ziel A; Ziel B" (of the row's field of action)."""
        cell = text(value)
        names = [n.strip() for n in re.split(r"[;\n]", cell) if n.strip()]
        pks, unknown = [], []
        for name in names:
            candidates = self._goals.get(key(name), [])
            if field_of_action is not None:
                own = [g for g in candidates if g.field_of_action_id == field_of_action.pk]
                candidates = own or candidates
            if candidates:
                pks.append(str(candidates[0].pk))
            else:
                unknown.append(name)
        if unknown:
            raise CellError(
                "Diese Ziele gibt es nicht: "
                + GOAL_SEPARATOR.join(f"„{n[:60]}“" for n in unknown)
                + ". Mehrere Ziele trennen Sie mit Semikolon."
            )
        return pks
