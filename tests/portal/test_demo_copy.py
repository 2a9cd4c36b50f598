"""The browser sweeps load the demo district from a copy of its first seeding (``make test``
on SQLite): the copy must hold exactly what seeding gives."""

import pytest
from django.core.management import call_command
from django.db import connection

from tests import conftest


@pytest.mark.django_db(transaction=True)
def test_the_copy_of_the_demo_district_is_what_seeding_gives(fields_of_action):
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        pytest.skip("Die Kopie gibt es nur für die SQLite-Datenbank im Speicher (make test).")
    conftest._DEMO_SNAPSHOTS.clear()
    conftest.load_demo_district()  # seeds and keeps the copy
    seeded = list(connection.connection.iterdump())
    assert any("Hitzacker" in line for line in seeded)
    call_command("flush", interactive=False, verbosity=0)
    conftest._seed_migration_rows()
    assert "Hitzacker" not in "".join(connection.connection.iterdump())
    conftest.load_demo_district()  # from the copy
    assert list(connection.connection.iterdump()) == seeded
