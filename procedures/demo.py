"""Demo register: real product names as used in Lower Saxony, every entry marked as demo.

Contract dates and costs are made up (and say so in the remarks); the catalogue excerpt
shipped in ``data/leika_auszug.csv`` has real LeiKa keys only. Idempotent: existing entries
are never changed. Called by ``manage.py seed_procedures_demo`` (``make setup``), only where
``PORTAL_DEMO_ALLOWED`` (core.demo).
"""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from core.demo import demo_refusal
from municipalities.models import Municipality, MunicipalityKind

from .catalogue import import_catalogue
from .models import (
    Category,
    OnlineStatus,
    OperatingModel,
    ProcedureEntry,
    Service,
    ServiceOffer,
    is_responsible,
)
from .overview import add_months

CATALOGUE_EXCERPT = Path(__file__).resolve().parent / "data" / "leika_auszug.csv"
DEMO_REMARK = "Demo-Inhalt: Vertragsende, Kosten und Nutzerzahl sind frei erfunden."
KDO = "KDO – Zweckverband Kommunale Datenverarbeitung Oldenburg"
ITEBO = "ITEBO GmbH"
P, SAAS, OWN = OperatingModel.PROVIDER, OperatingModel.SAAS, OperatingModel.ON_PREMISES

# category slug -> one (product, vendor, operating model, provider, standards) per Samtgemeinde
SAMTGEMEINDE_PLAN = {
    "einwohnerwesen": [
        ("OK.EWO", "AKDB", P, KDO, "XMeld"),
        ("VOIS|MESO", "HSH Soft- und Hardware Vertriebs GmbH", P, ITEBO, "XMeld"),
        ("OK.EWO", "AKDB", P, KDO, "XMeld"),
    ],
    "personenstandswesen": [
        ("AutiSta", "Verlag für Standesamtswesen", P, KDO, "XPersonenstand"),
        ("AutiSta", "Verlag für Standesamtswesen", P, ITEBO, "XPersonenstand"),
        ("AutiSta", "Verlag für Standesamtswesen", P, KDO, "XPersonenstand"),
    ],
    "finanzwesen": [
        (
            "H&H proDoppik",
            "H&H Datenverarbeitungs- und Beratungsgesellschaft",
            OWN,
            "",
            "XRechnung",
        ),
        ("ab-data Finanzsoftware", "ab-data", P, ITEBO, "XRechnung"),
        ("H&H proDoppik", "H&H Datenverarbeitungs- und Beratungsgesellschaft", P, KDO, "XRechnung"),
    ],
    "ratsinformationssystem": [
        ("ALLRIS", "CC e-gov", SAAS, "", "OParl"),
        ("SD.NET", "Sternberg Software", P, ITEBO, "OParl"),
        ("Session", "Somacos", P, KDO, "OParl"),
    ],
    "dms-e-akte": [
        ("enaio", "OPTIMAL SYSTEMS", P, KDO, "XDOMEA"),
        ("d.3ecm", "d.velop", OWN, "", "XDOMEA"),
        ("enaio", "OPTIMAL SYSTEMS", P, KDO, "XDOMEA"),
    ],
    "website-cms": [
        ("TYPO3", "TYPO3 Association", P, ITEBO, ""),
        ("TYPO3", "TYPO3 Association", OWN, "", ""),
        ("TYPO3", "TYPO3 Association", P, ITEBO, ""),
    ],
    "backup": [
        ("Veeam Backup & Replication", "Veeam Software", OWN, "", ""),
        ("Veeam Backup & Replication", "Veeam Software", OWN, "", ""),
        ("Veeam Backup & Replication", "Veeam Software", P, KDO, ""),
    ],
}
DISTRICT_PLAN = {
    "finanzwesen": ("Infoma newsystem", "Axians Infoma", P, KDO, "XRechnung"),
    "bauen": ("ProBauG", "PROSOZ Herten", OWN, "", "XBau"),
    "ratsinformationssystem": ("ALLRIS", "CC e-gov", SAAS, "", "OParl"),
    "dms-e-akte": ("enaio", "OPTIMAL SYSTEMS", OWN, "", "XDOMEA"),
    "website-cms": ("TYPO3", "TYPO3 Association", OWN, "", ""),
    "telefonie": ("OpenScape", "Unify", OWN, "", ""),
    "backup": ("Veeam Backup & Replication", "Veeam Software", OWN, "", ""),
}
# Made-up contract ends in months from today, per Samtgemeinde (index) and category; two
# bodies ending within 24 months make an opportunity on the overview.
CONTRACT_MONTHS = {
    "ratsinformationssystem": (8, 14, 40),
    "finanzwesen": (20, 36, 48),
    "einwohnerwesen": (30, 44, 54),
    "dms-e-akte": (26, 12, 60),
}
DISTRICT_CONTRACT_MONTHS = {"finanzwesen": 18, "ratsinformationssystem": 30}
SERVICE_FOR_CATEGORY = {
    "einwohnerwesen": ["99008001012000", "99049001001000"],
    "personenstandswesen": ["99027002012000"],
    "finanzwesen": ["99102013104000"],
}


class DemoRefused(Exception):
    """The demo content cannot be created; the message (German) says why."""


@dataclass
class DemoResult:
    services: int = 0
    entries: int = 0
    offers: int = 0


def seed_procedures_demo(today=None):
    refusal = demo_refusal()
    if refusal:
        raise DemoRefused(refusal)
    if not Municipality.objects.filter(kind=MunicipalityKind.DISTRICT).exists():
        raise DemoRefused(
            "Es gibt noch keinen Landkreis. Bitte zuerst manage.py import_municipalities ausführen."
        )
    today = today or timezone.localdate()
    result = DemoResult()
    with transaction.atomic():
        result.services = import_catalogue(CATALOGUE_EXCERPT.read_bytes(), "csv").created
        categories = {c.slug: c for c in Category.objects.all()}
        services = {s.leika_key: s for s in Service.objects.all()}
        district = Municipality.objects.get(kind=MunicipalityKind.DISTRICT)
        samtgemeinden = list(
            Municipality.objects.filter(kind=MunicipalityKind.SAMTGEMEINDE).order_by("tree_path")
        )
        for slug, plan in DISTRICT_PLAN.items():
            months = DISTRICT_CONTRACT_MONTHS.get(slug)
            result.entries += _entry(district, categories[slug], plan, months, today, [], 0)
        for index, body in enumerate(samtgemeinden[:3]):
            for slug, plans in SAMTGEMEINDE_PLAN.items():
                months = CONTRACT_MONTHS.get(slug, (None,) * 3)[index]
                keys = SERVICE_FOR_CATEGORY.get(slug, [])
                linked = [services[k] for k in keys if k in services]
                result.entries += _entry(
                    body, categories[slug], plans[index], months, today, linked, index
                )
        result.offers = _offers(services, today)
    return result


def _entry(body, category, plan, months, today, services, index):
    product, vendor, model, provider, standards = plan
    entry, created = ProcedureEntry.objects.get_or_create(
        municipality=body,
        category=category,
        product=product,
        defaults={
            "vendor": vendor,
            "operating_model": model,
            "provider_name": provider,
            "standards": standards,
            "contract_end": add_months(today, months) if months else None,
            "notice_period_months": 6 if months else None,
            "annual_cost": None,
            "user_count": 5 + 3 * index,
            "satisfaction": 3 + (index + len(product)) % 3,
            "remarks": DEMO_REMARK,
            "is_demo": True,
        },
    )
    if created and services:
        entry.services.set(services)
    return int(created)


def _offers(services, today):
    """A made-up online status per responsible body and service (deterministic)."""
    created_count = 0
    bodies = list(Municipality.objects.in_tree_order())
    for s_index, service in enumerate(services.values()):
        responsible = [b for b in bodies if is_responsible(b, service.responsible_level)]
        for b_index, body in enumerate(responsible):
            status = (
                OnlineStatus.ONLINE,
                OnlineStatus.PLANNED,
                OnlineStatus.NOT_ONLINE,
            )[(s_index + b_index) % 3]
            online = status == OnlineStatus.ONLINE
            _offer, created = ServiceOffer.objects.get_or_create(
                municipality=body,
                service=service,
                defaults={
                    "status": status,
                    "url": (
                        "https://verwaltung.bund.de/leistungsverzeichnis/DE/leistung/"
                        f"{service.leika_key}"
                        if online
                        else ""
                    ),
                    "portal": "Bundesportal (Demo-Eintrag)" if online else "",
                    "remarks": "Demo-Inhalt",
                    "is_demo": True,
                },
            )
            created_count += int(created)
    return created_count
