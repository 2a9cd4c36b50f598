"""Two register imports at once with the same new row: one creates it, the other finds it.

Before, the later import's insert violated the unique constraint (body, category, product)
and the page answered with an error 500. Threads with real transactions on PostgreSQL.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from procedures import transfer
from procedures.models import ProcedureEntry
from tests.race import Pause, logged_in_client, race_test, start, wait_until_blocked_on_lock

from .test_transfer import _csv, _row

pytestmark = race_test

URL = reverse("procedures:import")


def _import(user, content):
    with logged_in_client(user) as client:
        return client.post(URL, {"file": SimpleUploadedFile("fachverfahren.csv", content)})


def test_two_imports_with_the_same_new_row(users, entry):
    content = _csv(
        _row(product="Neues Verfahren", Hersteller="Beispiel GmbH"),
        _row(product="Zweites Verfahren"),
    )
    coordinator = users["coordinator"]
    # The first import stops after inserting its new rows, before its commit.
    with Pause("procedures.transfer._create_entries", "first", after=True) as paused:
        first = start(lambda: _import(coordinator, content), "first")
        paused.wait_reached()
        second = start(lambda: _import(coordinator, content), "second")
        wait_until_blocked_on_lock(1)
        paused.resume()
        responses = [first.outcome(), second.outcome()]

    assert [r.status_code for r in responses] == [302, 302]
    assert ProcedureEntry.objects.filter(product="Neues Verfahren").count() == 1
    assert ProcedureEntry.objects.filter(product="Zweites Verfahren").count() == 1
    assert ProcedureEntry.objects.get(product="Neues Verfahren").vendor == "Beispiel GmbH"
    assert ProcedureEntry.objects.count() == 3
    # The later import found both rows as they were: a third import changes nothing either.
    again = transfer.import_bytes(content, "fachverfahren.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
