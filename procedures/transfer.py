"""Import and export of the register: one row per body and procedure, CSV or XLSX.

The same columns both ways, so an exported file imported again changes nothing. The import
is all-or-nothing: every bad line is named and nothing is saved. A row is identified by
body (ARS), category and product; rows missing from the file are kept, not deleted.
"""

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from municipalities.models import Municipality

from . import tabular
from .models import Category, OperatingModel, ProcedureEntry, Service
from .tabular import TableRefused

COLUMNS = [
    "ARS",
    "Kommune",
    "Kategorie",
    "Produkt",
    "Hersteller",
    "Version",
    "Betrieb",
    "IT-Dienstleister",
    "Vertragsende",
    "Kündigungsfrist (Monate)",
    "Jahreskosten (EUR)",
    "Nutzende",
    "Standards",
    "LeiKa-Schlüssel",
    "Zufriedenheit",
    "Bemerkungen",
]
REQUIRED = ("ARS", "Kategorie", "Produkt")
# The fields compared and written by the import (the services are compared separately).
FIELDS = [
    "vendor",
    "version",
    "operating_model",
    "provider_name",
    "contract_end",
    "notice_period_months",
    "annual_cost",
    "user_count",
    "standards",
    "satisfaction",
    "remarks",
]


def export_rows(entries):
    """Rows in COLUMNS order; ``entries`` should come from ``export_queryset()``."""
    for entry in entries:
        yield [
            entry.municipality.ars,
            entry.municipality.name,
            entry.category.name,
            entry.product,
            entry.vendor,
            entry.version,
            entry.get_operating_model_display(),
            entry.provider_name,
            entry.contract_end,
            entry.notice_period_months,
            entry.annual_cost,
            entry.user_count,
            entry.standards,
            " ".join(sorted(s.leika_key for s in entry.services.all())),
            entry.satisfaction,
            entry.remarks,
        ]


def export_queryset():
    return ProcedureEntry.objects.select_related("municipality", "category").prefetch_related(
        "services"
    )


def export_bytes(file_format):
    rows = list(export_rows(export_queryset()))
    if file_format == "xlsx":
        return tabular.write_xlsx(COLUMNS, rows, "Fachverfahren")
    return tabular.write_csv(COLUMNS, rows)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    lines: list = field(default_factory=list)


def _ars(cell):
    """An ARS typed as a number in a spreadsheet lost its leading zero (03354 -> 3354)."""
    value = tabular.text(cell)
    if not isinstance(cell, str) and value.isdigit():
        value = value.zfill(next((n for n in (5, 9, 12) if n >= len(value)), len(value)))
    return value


def _operating_model(value):
    lookup = {choice.value: choice.value for choice in OperatingModel}
    lookup.update({str(choice.label).lower(): choice.value for choice in OperatingModel})
    if not value:
        return OperatingModel.PROVIDER
    try:
        return lookup[value.lower()]
    except KeyError as exc:
        allowed = ", ".join(f"„{c.label}“" for c in OperatingModel)
        raise ValueError(f"Betrieb „{value}“ ist unbekannt (erlaubt: {allowed})") from exc


def _parse_row(cells, refs):
    """``(key, values, service ids)`` of one row; raises ValueError listing its problems."""
    problems = []

    def take(column, parser, *args):
        try:
            return parser(cells.get(column, ""), *args)
        except ValueError as exc:
            problems.append(f"{column}: {exc}")
            return None

    ars = _ars(cells.get("ARS"))
    municipality = refs["municipalities"].get(ars)
    if municipality is None:
        problems.append(f"ARS „{ars}“ gehört zu keiner Kommune im Portal")
    category_name = tabular.text(cells.get("Kategorie"))
    category = refs["categories"].get(category_name.lower())
    if category is None:
        problems.append(f"Kategorie „{category_name}“ ist unbekannt")
    product = tabular.text(cells.get("Produkt"))
    if not product:
        problems.append("Produkt fehlt")
    elif len(product) > 200:
        problems.append("Produkt ist länger als 200 Zeichen")
    values = {
        "vendor": tabular.text(cells.get("Hersteller"))[:200],
        "version": tabular.text(cells.get("Version"))[:50],
        "provider_name": tabular.text(cells.get("IT-Dienstleister"))[:200],
        "contract_end": take("Vertragsende", tabular.date),
        "notice_period_months": take("Kündigungsfrist (Monate)", tabular.integer, 0, 120),
        "annual_cost": take("Jahreskosten (EUR)", tabular.euro),
        "user_count": take("Nutzende", tabular.integer),
        "standards": tabular.text(cells.get("Standards"))[:300],
        "satisfaction": take("Zufriedenheit", tabular.integer, 1, 5),
        "remarks": tabular.text(cells.get("Bemerkungen")),
    }
    try:
        values["operating_model"] = _operating_model(tabular.text(cells.get("Betrieb")))
    except ValueError as exc:
        problems.append(str(exc))
    if values.get("operating_model") == OperatingModel.PROVIDER and not values["provider_name"]:
        problems.append("Betrieb durch IT-Dienstleister, aber kein IT-Dienstleister genannt")
    service_ids = set()
    for key in re.split(r"[\s,;]+", tabular.text(cells.get("LeiKa-Schlüssel"))):
        if not key:
            continue
        if key not in refs["services"]:
            problems.append(f"LeiKa-Schlüssel „{key}“ steht nicht im Leistungskatalog")
        else:
            service_ids.add(refs["services"][key])
    if problems:
        raise ValueError("; ".join(problems))
    return (municipality.pk, category.pk, product), values, service_ids


def _references():
    categories = {}
    for category in Category.objects.all():
        categories[category.name.lower()] = category
        categories[category.slug] = category
    return {
        "municipalities": {m.ars: m for m in Municipality.objects.all()},
        "categories": categories,
        "services": dict(Service.objects.values_list("leika_key", "pk")),
    }


def parse_file(data, filename=""):
    """All rows of a file, checked; raises TableRefused naming every bad line."""
    header, rows = tabular.read_table(data, filename)
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise TableRefused(
            [
                "Es fehlen die Spalten "
                + ", ".join(f"„{c}“" for c in missing)
                + ". Bitte verwenden Sie das Format des Exports."
            ]
        )
    refs = _references()
    errors, parsed, seen = [], [], {}
    for number, cells in rows:
        if cells is None:
            errors.append(f"Zeile {number}: mehr Zellen als Spalten.")
            continue
        try:
            key, values, service_ids = _parse_row(cells, refs)
        except ValueError as exc:
            errors.append(f"Zeile {number}: {exc}.")
            continue
        if key in seen:
            errors.append(
                f"Zeile {number}: Kommune, Kategorie und Produkt stehen schon in Zeile {seen[key]}."
            )
            continue
        seen[key] = number
        parsed.append((number, key, values, service_ids))
    if errors:
        raise TableRefused(errors)
    return parsed


# Attempts to write a file when a concurrent import created one of its new rows meanwhile.
WRITE_ATTEMPTS = 3


def import_bytes(data, filename="", *, is_demo=False):
    """Check the whole file, then write it in one transaction; idempotent.

    Two imports at once with the same new row: the later one's insert waits for the earlier
    to commit and then violates the unique constraint; it rolls back its writes and tries
    again, now finding the row as existing (unchanged or updated, never a second copy).
    """
    parsed = parse_file(data, filename)
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _write(parsed, is_demo)
        except IntegrityError:
            if attempt == WRITE_ATTEMPTS:
                raise TableRefused(
                    [
                        "Gleichzeitig wurde das Register geändert; es wurde nichts gespeichert. "
                        "Bitte laden Sie die Datei noch einmal hoch."
                    ]
                ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _write(parsed, is_demo):
    """Create, update or keep every parsed row: in bulk, a few queries per 1000 rows."""
    result = ImportResult()
    existing = {
        (e.municipality_id, e.category_id, e.product): e
        for e in ProcedureEntry.objects.select_for_update().prefetch_related("services")
    }
    created, updated, changed_fields, services = [], [], set(), {}
    for _number, key, values, service_ids in parsed:
        entry = existing.get(key)
        if entry is None:
            municipality_id, category_id, product = key
            entry = ProcedureEntry(
                municipality_id=municipality_id,
                category_id=category_id,
                product=product,
                is_demo=is_demo,
                **values,
            )
            created.append(entry)
            if service_ids:
                services[key] = service_ids
            continue
        changed = [name for name in FIELDS if getattr(entry, name) != values[name]]
        services_changed = {s.pk for s in entry.services.all()} != service_ids
        for name in changed:
            setattr(entry, name, values[name])
        if changed:
            updated.append(entry)
            changed_fields.update(changed)
        if services_changed:
            services[key] = service_ids
        if changed or services_changed:
            result.updated += 1
        else:
            result.unchanged += 1
    _create_entries(created)
    result.created = len(created)
    if updated:
        now = timezone.now()
        for entry in updated:
            entry.updated_at = now
        ProcedureEntry.objects.bulk_update(
            updated, [*sorted(changed_fields), "updated_at"], batch_size=BATCH
        )
    _set_services(services, existing, {_key(e): e for e in created})
    return result


BATCH = 500


def _key(entry):
    return (entry.municipality_id, entry.category_id, entry.product)


def _create_entries(entries):
    ProcedureEntry.objects.bulk_create(entries, batch_size=BATCH)


def _set_services(services, existing, created):
    """Replace the services of the entries ``{key: service ids}`` names, in bulk."""
    through = ProcedureEntry.services.through
    entry_column = ProcedureEntry.services.field.m2m_field_name()
    service_column = ProcedureEntry.services.field.m2m_reverse_field_name()
    stored = [existing[key].pk for key in services if key in existing]
    for start in range(0, len(stored), BATCH):
        through.objects.filter(**{f"{entry_column}__in": stored[start : start + BATCH]}).delete()
    entries = {**existing, **created}
    through.objects.bulk_create(
        [
            through(**{f"{entry_column}_id": entries[key].pk, f"{service_column}_id": service})
            for key, service_ids in services.items()
            for service in sorted(service_ids)
        ],
        batch_size=BATCH,
    )
