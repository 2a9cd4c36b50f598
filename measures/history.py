"""Readable change history of a measure, built from django-simple-history records."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.template.defaultfilters import floatformat

from fields_of_action.models import FieldOfAction, Goal
from municipalities.models import Municipality

from .models import Measure, Partnership, on_behalf_text

HIDDEN_FIELDS = {"version", "updated_by", "created_by", "is_demo", "id"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: str
    kind: str
    changes: list


def _display(field_name, value, lookups):
    if value in (None, ""):
        return "–"
    field = Measure._meta.get_field(field_name)
    if field_name == "goals":
        names = [
            lookups["goals"].get(v.get("goal") if isinstance(v, dict) else v, "?") for v in value
        ]
        return ", ".join(sorted(names)) or "–"
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if field_name == "lead_municipality":
        return lookups["municipalities"].get(value, str(value))
    if field_name == "field_of_action":
        return lookups["fields"].get(value, str(value))
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if field_name in ("planned_start", "planned_end"):
        return value.strftime("%m/%Y")
    return str(value)


def _lookups():
    return {
        "municipalities": dict(Municipality.objects.values_list("pk", "label")),
        "fields": {f.pk: str(f) for f in FieldOfAction.objects.all()},
        "goals": dict(Goal.objects.values_list("pk", "title")),
    }


def _user_names(user_ids):
    User = get_user_model()
    return {u.pk: (u.get_full_name() or u.username) for u in User.objects.filter(pk__in=user_ids)}


def diff_records(new, old, lookups):
    """Field changes between two historical records of a measure (old may be None)."""
    changes = []
    if old is None:
        return changes
    delta = new.diff_against(old, excluded_fields=list(HIDDEN_FIELDS))
    for change in delta.changes:
        if change.field == "goals":
            old_value = [g["goal"] for g in change.old]
            new_value = [g["goal"] for g in change.new]
            if sorted(old_value) == sorted(new_value):
                continue
        else:
            old_value, new_value = change.old, change.new
        changes.append(
            Change(
                field=str(Measure._meta.get_field(change.field).verbose_name),
                old=_display(change.field, old_value, lookups),
                new=_display(change.field, new_value, lookups),
            )
        )
    return changes


def measure_history(measure):
    """Entries newest first: every saved version of the measure and every partner change."""
    lookups = _lookups()
    records = list(measure.history.order_by("history_date", "history_id"))
    partner_records = list(
        Partnership.history.filter(measure_id=measure.pk).order_by("history_date", "history_id")
    )
    names = _user_names({r.history_user_id for r in records + partner_records if r.history_user_id})
    entries = []
    previous = None
    for record in records:
        kind = {"+": "angelegt", "~": "geändert", "-": "gelöscht"}[record.history_type]
        changes = diff_records(record, previous, lookups)
        if record.history_type == "~" and not changes:
            previous = record
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=names.get(record.history_user_id, "System"),
                kind=kind,
                changes=changes,
            )
        )
        previous = record
    for record in partner_records:
        municipality = lookups["municipalities"].get(record.municipality_id, "?")
        share = (
            f" (Kostenanteil {floatformat(record.cost_share_percent, '-2')} %)"
            if record.cost_share_percent is not None
            else ""
        )
        state = getattr(record, "state", "confirmed")
        changed = {
            "confirmed": f"{municipality} hat die Beteiligung bestätigt{share}",
            "declined": f"{municipality} hat die Beteiligung abgelehnt: {record.decline_reason}",
        }.get(state, f"Beteiligung {municipality} geändert{share}, erneut angefragt")
        source = getattr(record, "on_behalf_source", "")
        if source and state in ("confirmed", "declined"):
            changed += f" – {on_behalf_text(source, record.on_behalf_date)}"
        text = {
            "+": f"{municipality} {'beteiligt' if state == 'confirmed' else 'angefragt'}{share}",
            "~": changed,
            "-": f"{municipality} nicht mehr beteiligt",
        }[record.history_type]
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=names.get(record.history_user_id, "System"),
                kind="Beteiligung",
                changes=[Change(field="Beteiligte Kommunen", old="", new=text)],
            )
        )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def changes_since(measure, version):
    """What others changed since the given version: for the edit-conflict message."""
    lookups = _lookups()
    base = measure.history.filter(version=version).order_by("-history_id").first()
    current = measure.history.order_by("-history_id").first()
    if base is None or current is None:
        return [], None
    return diff_records(current, base, lookups), current
