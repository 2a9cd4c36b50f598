import datetime
from pathlib import Path

import pytest

from procedures.catalogue import import_catalogue
from procedures.models import (
    Category,
    OnlineStatus,
    OperatingModel,
    ProcedureEntry,
    Service,
    ServiceOffer,
)
from procedures.seed import ensure_categories

EXCERPT = Path(__file__).resolve().parents[2] / "procedures" / "data" / "leika_auszug.csv"
GEWERBE = "99050012104000"


@pytest.fixture
def categories(db):
    """Seeded by a migration; transactional tests flush the rows, so seed again."""
    ensure_categories(Category)
    return {c.slug: c for c in Category.objects.all()}


@pytest.fixture
def catalogue(db):
    import_catalogue(EXCERPT.read_bytes(), "leika_auszug.csv")
    return {s.leika_key: s for s in Service.objects.all()}


@pytest.fixture
def entry(district, categories, catalogue):
    entry = ProcedureEntry.objects.create(
        municipality=district["hitzacker"],
        category=categories["ratsinformationssystem"],
        product="ALLRIS",
        vendor="CC e-gov",
        operating_model=OperatingModel.SAAS,
        contract_end=datetime.date(2027, 6, 30),
        notice_period_months=6,
        annual_cost="4321.50",
        user_count=12,
        standards="OParl",
        satisfaction=4,
        remarks="Testeintrag",
    )
    entry.services.set([catalogue[GEWERBE]])
    return entry


@pytest.fixture
def offer(district, catalogue, entry):
    return ServiceOffer.objects.create(
        municipality=district["elbtalaue"],
        service=catalogue[GEWERBE],
        status=OnlineStatus.ONLINE,
        url="https://example.org/gewerbe",
        portal="Serviceportal",
    )
