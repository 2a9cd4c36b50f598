"""Confirming a stored import twice at once (double click, two tabs): one set of new measures.

Two to four threads with real transactions on PostgreSQL (see tests/race.py): the first holds
the upload's row lock while it imports, the others wait for it and then find it applied.
"""

import pytest
from django.urls import reverse

from measures.models import Measure, MeasureImport
from tests.race import Pause, logged_in_client, race_test, start, wait_until_blocked_on_lock

from .exchange_helpers import export_csv

pytestmark = race_test

IMPORT_URL = reverse("measures:import")
NEW_TITLES = ["Digitale Bürgersprechstunde", "Offenes WLAN im Rathaus", "Online-Terminvergabe"]


def _file_with_new_measures(district):
    """The (empty) export template with three new measures of Hitzacker."""
    header = export_csv(Measure.objects.none())[0].decode("utf-8").rstrip("\r\n")
    columns = header.lstrip("\ufeff").split(";")
    lines = [header]
    for title in NEW_TITLES:
        row = dict.fromkeys(columns, "")
        row.update({"Titel": title, "Kurzbeschreibung": f"{title} für alle Ortsteile"})
        row["federführende Kommune"] = district["hitzacker"].label
        row["Handlungsfeld"] = _field_label()
        lines.append(";".join(row[c] for c in columns))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _field_label():
    from fields_of_action.models import FieldOfAction

    return str(FieldOfAction.objects.order_by("pk").first())


def _confirm(user, upload_pk):
    with logged_in_client(user) as client:
        return client.post(IMPORT_URL, {"upload": str(upload_pk)})


@pytest.mark.parametrize("parallel", [2, 4])
def test_parallel_confirmations_create_one_set_of_measures(district, users, parallel):
    user = users["editor_own"]
    with logged_in_client(user) as client:
        preview = client.post(
            IMPORT_URL,
            {"file": _upload("massnahmen.csv", _file_with_new_measures(district))},
        )
    assert preview.status_code == 200, preview.content.decode()
    assert "3 Maßnahmen werden angelegt" in preview.content.decode()
    upload_pk = MeasureImport.objects.get().pk

    # The first confirmation stops inside its transaction, holding the upload's lock.
    with Pause("measures.views.exchange._plan", "first") as paused:
        first = start(lambda: _confirm(user, upload_pk), "first")
        paused.wait_reached()
        others = [
            start(lambda: _confirm(user, upload_pk), f"other-{i}") for i in range(parallel - 1)
        ]
        wait_until_blocked_on_lock(parallel - 1)
        paused.resume()
        responses = [first.outcome()] + [worker.outcome() for worker in others]

    assert [r.status_code for r in responses] == [200] + [409] * (parallel - 1)
    assert "3 Maßnahmen wurden angelegt" in responses[0].content.decode()
    for response in responses[1:]:
        assert "Dieser Import wurde bereits ausgeführt" in response.content.decode()
    for title in NEW_TITLES:
        assert Measure.objects.filter(title=title).count() == 1
    assert MeasureImport.objects.get().applied_at is not None


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
