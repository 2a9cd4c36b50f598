"""Import of the LeiKa/OZG service catalogue from the file an administrator downloads.

Columns are recognised by their usual names (case and spaces do not matter), so both the
LeiKa export of the FIM portal and an export of the OZG information platform can be read:

- LeiKa key (required): ``LeiKa-Schlüssel``, ``Leistungsschlüssel``, ``leika_key``, ``Schlüssel``
- name (required): ``Leistungsbezeichnung``, ``Bezeichnung``, ``leika_name``, ``Name``
- ``OZG-ID`` (``ozgid``), ``Themenfeld``, ``Lebenslage``, ``Typ`` (``Typisierung``)
- optional, the portal's own: ``Zuständigkeit`` (Landkreis / Samtgemeinde / Gemeinde)

A malformed file is refused whole, naming every bad line; importing twice changes nothing.
Services missing from a newer file are kept (measures and procedures may refer to them).
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from . import tabular
from .models import ResponsibleLevel, Service
from .tabular import TableRefused

ALIASES = {
    "leika_key": (
        "leika-schlüssel",
        "leikaschlüssel",
        "leistungsschlüssel",
        "leika_key",
        "leika-id",
        "schlüssel",
    ),
    "name": ("leistungsbezeichnung", "bezeichnung", "leika_name", "name", "leistungsname"),
    "ozg_id": ("ozg-id", "ozgid", "ozg_id"),
    "topic": ("themenfeld", "ozg-themenfeld", "ozg_themenfeld"),
    "life_situation": ("lebenslage", "lebenslagen"),
    "service_type": ("typ", "typisierung", "leistungstyp"),
    "responsible_level": ("zuständigkeit",),
}
LEVELS = {
    "landkreis": ResponsibleLevel.DISTRICT,
    "samtgemeinde": ResponsibleLevel.SAMTGEMEINDE,
    "gemeinde": ResponsibleLevel.MUNICIPALITY,
}
LIMITS = {"name": 300, "ozg_id": 20, "topic": 100, "life_situation": 200, "service_type": 50}


def _normalise(name):
    return re.sub(r"\s+", "", str(name)).lower()


def _columns(header):
    by_name = {_normalise(name): name for name in header}
    found = {}
    for attribute, names in ALIASES.items():
        for alias in names:
            if _normalise(alias) in by_name:
                found[attribute] = by_name[_normalise(alias)]
                break
    return found


@dataclass
class CatalogueResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def parse_catalogue(data, filename=""):
    header, rows = tabular.read_table(data, filename)
    columns = _columns(header)
    missing = [
        label
        for attr, label in (("leika_key", "LeiKa-Schlüssel"), ("name", "Leistungsbezeichnung"))
        if attr not in columns
    ]
    if missing:
        raise TableRefused(
            [
                "Es fehlen die Spalten "
                + ", ".join(f"„{m}“" for m in missing)
                + f" (gefunden: {', '.join(header[:12]) or 'keine'})."
            ]
        )
    errors, parsed, seen = [], {}, {}
    for number, cells in rows:
        if cells is None:
            errors.append(f"Zeile {number}: mehr Zellen als Spalten.")
            continue
        values = {attr: tabular.text(cells.get(column)) for attr, column in columns.items()}
        key = values.pop("leika_key")
        problems = []
        if not re.fullmatch(r"\d{14}", key):
            problems.append(f"LeiKa-Schlüssel „{key}“ hat nicht genau 14 Ziffern")
        if not values.get("name"):
            problems.append("Leistungsbezeichnung fehlt")
        for attr, limit in LIMITS.items():
            if len(values.get(attr, "")) > limit:
                problems.append(f"{attr} ist länger als {limit} Zeichen")
        level = values.pop("responsible_level", "")
        if level:
            if level.lower() not in LEVELS:
                problems.append(
                    f"Zuständigkeit „{level}“ ist unbekannt (Landkreis, Samtgemeinde, Gemeinde)"
                )
            else:
                values["responsible_level"] = LEVELS[level.lower()]
        if key in seen:
            problems.append(f"der Schlüssel steht schon in Zeile {seen[key]}")
        if problems:
            errors.append(f"Zeile {number}: " + "; ".join(problems) + ".")
            continue
        seen[key] = number
        parsed[key] = values
    if errors:
        raise TableRefused(errors)
    if not parsed:
        raise TableRefused(["Die Datei enthält keine Leistungen."])
    return parsed


def import_catalogue(data, filename=""):
    parsed = parse_catalogue(data, filename)
    result = CatalogueResult()
    with transaction.atomic():
        existing = {s.leika_key: s for s in Service.objects.select_for_update()}
        for key, values in parsed.items():
            service = existing.get(key)
            if service is None:
                Service.objects.create(leika_key=key, **values)
                result.created += 1
                continue
            changed = [name for name, value in values.items() if getattr(service, name) != value]
            if changed:
                for name in changed:
                    setattr(service, name, values[name])
                service.save(update_fields=[*changed, "updated_at"])
                result.updated += 1
            else:
                result.unchanged += 1
    return result


def service_for_key(key):
    """The catalogue service of a LeiKa key, or None (a newer catalogue may know it)."""
    if not key:
        return None
    return Service.objects.filter(leika_key=key).first()


SEARCH_LIMIT = 20
SEARCH_MAX_LENGTH = 100


class BadSearch(ValueError):
    """A service search the portal refuses, with the German reason."""


def search_services(query, limit=SEARCH_LIMIT):
    """Catalogue services whose name contains every word of ``query`` (a word of digits may
    also be the start of the LeiKa key), by name; at most ``limit``, and whether there are more.

    One query. Fewer than two characters find nothing (every service would match).
    """
    query = " ".join(str(query).split())
    if "\x00" in query:
        raise BadSearch("Die Suche enthält ein unzulässiges Zeichen.")
    if len(query) > SEARCH_MAX_LENGTH:
        raise BadSearch(
            f"Bitte geben Sie höchstens {SEARCH_MAX_LENGTH} Zeichen ein (Name oder Schlüssel)."
        )
    if len(query) < 2:
        return [], False
    services = Service.objects.all()
    for word in query.split():
        condition = Q(name__icontains=word)
        if word.isdigit():
            condition |= Q(leika_key__startswith=word)
        services = services.filter(condition)
    found = list(services.order_by("name", "leika_key")[: limit + 1])
    return found[:limit], len(found) > limit


def key_for_name(name):
    """The LeiKa key of the one catalogue service with exactly this name (any case), or None."""
    if "\x00" in name or len(name) > Service._meta.get_field("name").max_length:
        return None
    keys = list(Service.objects.filter(name__iexact=name).values_list("leika_key", flat=True)[:2])
    return keys[0] if len(keys) == 1 else None


def catalogue_note(key):
    """For a form next to a LeiKa key: the service's name, or a warning (never an error:
    a newer catalogue may know the key)."""
    if not key or not re.fullmatch(r"\d{14}", str(key)):
        return None, ""
    service = service_for_key(key)
    if service is not None:
        return service, f"Leistung im Katalog: {service.name}."
    return None, (
        f"Hinweis: Der Schlüssel {key} steht nicht im Leistungskatalog des Portals. Bitte "
        "prüfen Sie ihn; gespeichert wird er trotzdem."
    )
