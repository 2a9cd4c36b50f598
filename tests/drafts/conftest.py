"""Fixtures for the drafts tests: accepted and unaccepted measures, media in a temp dir."""

import datetime
from decimal import Decimal

import pytest

from drafts.models import StrategyDraft
from fields_of_action.models import FieldOfAction
from measures.models import Status
from measures.review import ReviewState, transition_to
from tests.factories import GoalFactory, MeasureFactory, PartnershipFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def accept(measure, users):
    transition_to(measure, ReviewState.SUBMITTED, users["coordinator"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    measure.refresh_from_db()
    return measure


@pytest.fixture
def measures(district, users):
    """Two accepted measures per field of action (one joint), one submitted, one draft."""
    accepted = []
    bodies = [district["hitzacker"], district["gorleben"], district["elbtalaue"]]
    for field in FieldOfAction.objects.order_by("number"):
        goal = GoalFactory(field_of_action=field, title=f"Ziel im Handlungsfeld {field.number}")
        for i in range(2):
            m = MeasureFactory(
                field_of_action=field,
                lead_municipality=bodies[(field.number + i) % 3],
                title=f"Angenommene Maßnahme {field.number}.{i + 1}",
                summary=f"Kurzbeschreibung {field.number}.{i + 1}.",
                status=Status.IN_PROGRESS if i else Status.PLANNED,
                budget_planned=Decimal("12500.50"),
                contact_name="Erika Geheimname",
                contact_email="erika.geheim@example.org",
                contact_role="Fachdienst Digitalisierung",
                planned_start=datetime.date(2027, 3, 1),
                planned_end=datetime.date(2028, 6, 1),
            )
            m.goals.add(goal)
            if i == 0:
                PartnershipFactory(
                    measure=m, municipality=district["dannenberg"], cost_share_percent=25
                )
            accepted.append(accept(m, users))
    submitted = MeasureFactory(
        lead_municipality=district["hitzacker"], title="Eingereichte, nicht angenommene Maßnahme"
    )
    transition_to(submitted, ReviewState.SUBMITTED, users["editor_own"])
    draft_only = MeasureFactory(
        lead_municipality=district["gorleben"], title="Maßnahme im Entwurfsstadium"
    )
    return {"accepted": accepted, "submitted": submitted, "draft": draft_only}


@pytest.fixture
def draft(users):
    return StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date(2026, 6, 18),
        introduction="Der Kreistag hat die Kreisverwaltung beauftragt.",
        created_by=users["coordinator"],
    )
