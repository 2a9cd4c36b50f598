"""Fixtures for the drafts tests: accepted and unaccepted measures, media in a temp dir."""

import contextlib
import datetime
import shutil
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import override_settings

from drafts.models import StrategyDraft
from fields_of_action.models import FieldOfAction
from measures.models import Measure, Status
from measures.review import ReviewState, transition_to
from municipalities.models import Municipality
from tests.conftest import ModuleRows, build_district, build_users
from tests.factories import GoalFactory, MeasureFactory, PartnershipFactory


def shares_world(request):
    """Does the test's module build district, users and measures once (``SHARED_WORLD``)?"""
    return getattr(request.module, "SHARED_WORLD", False)


@pytest.fixture(scope="module", autouse=True)
def _shared_world_first(request):
    """Builds a ``SHARED_WORLD`` module's rows before any test's own transaction begins (the
    fixtures below only ask for them once a test runs, inside that transaction)."""
    if shares_world(request):
        request.getfixturevalue("module_world")


@pytest.fixture(autouse=True)
def media_root(request, settings, tmp_path):
    """An empty MEDIA_ROOT per test; in a module with ``WORLD_EXTRA``, a copy of its files."""
    if shares_world(request) and getattr(request.module, "WORLD_EXTRA", None):
        return request.getfixturevalue("shared_media_root")
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def district(request, db, fields_of_action):
    """As in tests/conftest.py; the module's shared rows where it sets ``SHARED_WORLD``."""
    if shares_world(request):
        return request.getfixturevalue("shared_district")
    return build_district()


@pytest.fixture
def users(request, district):
    """As in tests/conftest.py; the module's shared rows where it sets ``SHARED_WORLD``."""
    if shares_world(request):
        return request.getfixturevalue("shared_users")
    return build_users(district)


def accept(measure, users):
    transition_to(measure, ReviewState.SUBMITTED, users["coordinator"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    measure.refresh_from_db()
    return measure


@pytest.fixture
def measures(request, district, users):
    """Two accepted measures per field of action (one joint), one submitted, one draft."""
    if shares_world(request):
        return request.getfixturevalue("shared_measures")
    return build_measures(district, users)


def build_measures(district, users):
    """The rows of ``measures``: twelve measures through the review workflow take a while."""
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
    return build_draft(users)


def build_draft(users, version_label="Entwurf 1"):
    """A strategy draft being edited, as the coordinator creates it."""
    return StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label=version_label,
        resolution_date=datetime.date(2026, 6, 18),
        introduction="Der Kreistag hat die Kreisverwaltung beauftragt.",
        created_by=users["coordinator"],
    )


# --- district, users and measures once per module ----------------------------------------------
#
# Building ``measures`` (twelve measures through submission and acceptance) was a tenth of the
# suite's time when every test did it. A module whose tests all work on these rows, and that
# has no transactional test, sets ``SHARED_WORLD = True``: ``district``, ``users`` and
# ``measures`` are then built once for the module (``ModuleRows``: one transaction for the
# module, a savepoint per test). Every test gets objects freshly read from the database, so
# what a test changes in memory or in the database never reaches the next one. A module whose
# tests travel in time sets ``WORLD_TIME`` to that moment: the rows are then built at it, as
# they were in each test. ``WORLD_EXTRA`` builds more rows once (see module_world).


@pytest.fixture(scope="module")
def module_world(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """Primary keys of district, users and measures, built once for the requesting module.

    ``WORLD_EXTRA(district, users, measures)`` in the module builds more rows once (drafts
    rendered to PDF, say) and returns their keys, found under ``"extra"``; files go to
    ``"media"``, which the module then uses as its ``MEDIA_ROOT``.
    """
    moment = getattr(request.module, "WORLD_TIME", None)
    extra = getattr(request.module, "WORLD_EXTRA", None)
    media = tmp_path_factory.mktemp("module-media")

    def build():
        with (
            time_machine.travel(moment, tick=False) if moment else contextlib.nullcontext(),
            override_settings(MEDIA_ROOT=media),
        ):
            district = build_district()
            users = build_users(district)
            built = build_measures(district, users)
            more = extra(district, users, built) if extra else {}
        return {
            "district": {key: body.pk for key, body in district.items()},
            "users": {role: user.pk if user else None for role, user in users.items()},
            "accepted": [m.pk for m in built["accepted"]],
            "submitted": built["submitted"].pk,
            "draft": built["draft"].pk,
            "extra": more,
            "media": media,
        }

    with ModuleRows(django_db_blocker) as rows:
        yield rows.run(build)


@pytest.fixture
def shared_district(db, fields_of_action, module_world):
    bodies = Municipality.objects.in_bulk(module_world["district"].values())
    return {key: bodies[pk] for key, pk in module_world["district"].items()}


@pytest.fixture
def shared_users(shared_district, module_world):
    people = get_user_model().objects.in_bulk([pk for pk in module_world["users"].values() if pk])
    return {role: people.get(pk) for role, pk in module_world["users"].items()}


@pytest.fixture
def shared_measures(shared_users, module_world):
    ids = [*module_world["accepted"], module_world["submitted"], module_world["draft"]]
    rows = Measure.objects.in_bulk(ids)
    return {
        "accepted": [rows[pk] for pk in module_world["accepted"]],
        "submitted": rows[module_world["submitted"]],
        "draft": rows[module_world["draft"]],
    }


@pytest.fixture
def shared_media_root(settings, module_world, tmp_path):
    """A copy of the files ``WORLD_EXTRA`` stored, as this test's ``MEDIA_ROOT``: a test that
    renders again or deletes a file leaves the module's files as they were."""
    settings.MEDIA_ROOT = tmp_path / "media"
    shutil.copytree(module_world["media"], settings.MEDIA_ROOT)
    return settings.MEDIA_ROOT
