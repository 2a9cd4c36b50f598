"""Shared fixtures: a small real-shaped district and one user per role."""

import pytest

from fields_of_action.models import FieldOfAction
from fields_of_action.seed import ensure_fields_of_action
from municipalities.models import MunicipalityKind, Role

from .factories import MembershipFactory, MunicipalityFactory, UserFactory


@pytest.fixture
def fields_of_action(db):
    """The six seeded rows. Transactional tests flush the migration's rows, so seed again."""
    ensure_fields_of_action(FieldOfAction)
    return list(FieldOfAction.objects.all())


@pytest.fixture
def district(db, fields_of_action):
    """Landkreis -> Samtgemeinde Elbtalaue -> Hitzacker, Dannenberg; plus SG Gartow -> Gorleben."""
    landkreis = MunicipalityFactory(
        name="Lüchow-Dannenberg",
        slug="landkreis-luechow-dannenberg",
        kind=MunicipalityKind.DISTRICT,
        ars="03354",
        ags="03354000",
    )
    elbtalaue = MunicipalityFactory(
        name="Elbtalaue",
        slug="sg-elbtalaue",
        kind=MunicipalityKind.SAMTGEMEINDE,
        ars="033545406",
        ags=None,
        parent=landkreis,
    )
    hitzacker = MunicipalityFactory(
        name="Hitzacker (Elbe)",
        slug="hitzacker-elbe",
        kind=MunicipalityKind.TOWN,
        ars="033545406009",
        ags="03354009",
        parent=elbtalaue,
    )
    dannenberg = MunicipalityFactory(
        name="Dannenberg (Elbe)",
        slug="dannenberg-elbe",
        kind=MunicipalityKind.TOWN,
        ars="033545406004",
        ags="03354004",
        parent=elbtalaue,
    )
    gartow = MunicipalityFactory(
        name="Gartow",
        slug="sg-gartow",
        kind=MunicipalityKind.SAMTGEMEINDE,
        ars="033545403",
        ags=None,
        parent=landkreis,
    )
    gorleben = MunicipalityFactory(
        name="Gorleben",
        slug="gorleben",
        kind=MunicipalityKind.MUNICIPALITY,
        ars="033545403007",
        ags="03354007",
        parent=gartow,
    )
    return {
        "district": landkreis,
        "elbtalaue": elbtalaue,
        "hitzacker": hitzacker,
        "dannenberg": dannenberg,
        "gartow": gartow,
        "gorleben": gorleben,
    }


def _member(username, municipality, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, municipality=municipality, role=role)
    return user


@pytest.fixture
def users(district):
    """One user per role. Keys are the role names used in the permission matrices."""
    return {
        "anonymous": None,
        "editor_own": _member("hitzacker", district["hitzacker"], Role.EDITOR),
        "editor_other": _member("gorleben", district["gorleben"], Role.EDITOR),
        "samtgemeinde_editor": _member("sg-elbtalaue", district["elbtalaue"], Role.EDITOR),
        "coordinator": _member("koordination", district["district"], Role.COORDINATOR),
        "council": _member("kreistag", district["district"], Role.COUNCIL),
    }


@pytest.fixture
def as_role(client, users):
    """Return a client logged in as the given role (anonymous: not logged in)."""

    def login(role):
        user = users[role]
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def live_worker(transactional_db, settings):
    """A real Celery worker process on Redis, started by .ci/run for the second (PostgreSQL) run.

    .ci/run starts `celery -A strategy_portal worker` against the test database
    (test_<name>) and sets PORTAL_LIVE_WORKER=1. Tests that use this fixture commit their data
    (transactional_db) so the worker process sees it.
    """
    import os

    if not os.environ.get("PORTAL_LIVE_WORKER"):
        pytest.skip(
            "Kein laufender Celery-Worker (PORTAL_LIVE_WORKER nicht gesetzt); "
            ".ci/run startet ihn im zweiten Lauf gegen PostgreSQL und Redis."
        )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.fail("PORTAL_LIVE_WORKER ist gesetzt, aber REDIS_URL fehlt.")
    return True
