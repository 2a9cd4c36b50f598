"""Large imports: many new measures queue one full synergy recompute, not one task each.

Each task of ``measures.recompute_similarity`` reads and scores every measure; 5,000 of them
after one import kept the worker (or, without Redis, the request) busy for minutes.
"""

import pytest

from core import dispatch
from measures.exchange.importer import RESCORE_ONE_BY_ONE
from measures.models import Measure
from tests.measures.exchange_helpers import plan_csv

from .exchange_helpers import export_csv


def new_measures_csv(district, count):
    from fields_of_action.models import FieldOfAction

    header = export_csv(Measure.objects.none())[0].decode("utf-8").rstrip("\r\n")
    columns = header.lstrip("\ufeff").split(";")
    field = str(FieldOfAction.objects.order_by("pk").first())
    lines = [header]
    for index in range(count):
        row = dict.fromkeys(columns, "")
        row.update(
            {
                "Titel": f"Neue Maßnahme {index}",
                "Kurzbeschreibung": "Aus dem Import",
                "federführende Kommune": district["hitzacker"].label,
                "Handlungsfeld": field,
            }
        )
        lines.append(";".join(row[c] for c in columns))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(dispatch, "on_commit", lambda name, *args: calls.append((name, *args)))
    return calls


@pytest.mark.django_db
def test_many_new_measures_queue_one_full_recompute(district, users, queued):
    count = RESCORE_ONE_BY_ONE + 5
    plan = plan_csv(new_measures_csv(district, count), None, users["editor_own"], apply=True)
    assert plan.applied and plan.created == count
    assert Measure.objects.count() == count
    similarity = [call for call in queued if "similarity" in call[0]]
    assert similarity == [("measures.recompute_all_similarity",)]


@pytest.mark.django_db
def test_a_few_new_measures_are_scored_one_by_one(district, users, queued):
    plan = plan_csv(new_measures_csv(district, 3), None, users["editor_own"], apply=True)
    assert plan.applied and plan.created == 3
    similarity = sorted(call for call in queued if "similarity" in call[0])
    pks = sorted(Measure.objects.values_list("pk", flat=True))
    assert similarity == [("measures.recompute_similarity", pk) for pk in pks]


# --- large files in the background ----------------------------------------------------------

IMPORT_URL = "/massnahmen/import/"


def _post_file(client, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("massnahmen.csv", content)})


@pytest.mark.django_db
def test_a_large_file_is_checked_and_applied_in_the_background(
    as_role, district, monkeypatch, django_capture_on_commit_callbacks
):
    from measures.exchange import background
    from measures.models import ImportState, MeasureImport

    monkeypatch.setattr(background, "SYNC_ROWS", 2)
    client = as_role("editor_own")
    with django_capture_on_commit_callbacks() as queued_check:
        response = _post_file(client, new_measures_csv(district, 3))
    upload = MeasureImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{IMPORT_URL}{upload.pk}/"
    assert upload.state == ImportState.CHECKING and upload.rows == 3
    # While the task waits: the progress page, its status region updated by a script (no
    # meta refresh, which would move a screen reader's position: WCAG 2.2.1).
    waiting = client.get(response["Location"]).content.decode()
    assert "Die Datei wird geprüft" in waiting and "js/import_status.js" in waiting
    assert 'id="import-progress"' in waiting and "http-equiv" not in waiting
    for callback in queued_check:
        callback()  # the worker runs the check
    preview = client.get(response["Location"]).content.decode()
    assert "3 Maßnahmen werden angelegt" in preview and "Import ausführen" in preview
    assert "http-equiv" not in preview and "import_status.js" not in preview
    assert not Measure.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(IMPORT_URL, {"upload": str(upload.pk)})
    assert confirmed.status_code == 302
    upload.refresh_from_db()
    assert upload.state == ImportState.APPLIED and upload.applied_at is not None
    result = client.get(confirmed["Location"]).content.decode()
    assert "Import abgeschlossen" in result and "3 Maßnahmen wurden angelegt" in result
    assert Measure.objects.count() == 3
    again = client.post(IMPORT_URL, {"upload": str(upload.pk)})
    assert again.status_code == 409 and "bereits ausgeführt" in again.content.decode()
    assert Measure.objects.count() == 3


@pytest.mark.django_db
def test_a_large_file_with_errors_is_refused_in_the_background(
    as_role, district, monkeypatch, django_capture_on_commit_callbacks
):
    from measures.exchange import background
    from measures.models import ImportState, MeasureImport

    monkeypatch.setattr(background, "SYNC_ROWS", 2)
    client = as_role("editor_own")
    content = new_measures_csv(district, 3).replace(b"Aus dem Import", b"", 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_file(client, content)
    upload = MeasureImport.objects.get()
    assert upload.state == ImportState.REFUSED
    page = client.get(response["Location"]).content.decode()
    assert "es wurde nichts gespeichert" in page and "Import ausführen" not in page
    confirm = client.post(IMPORT_URL, {"upload": str(upload.pk)})
    assert confirm.status_code == 302  # back to the refusal, nothing applied
    assert not Measure.objects.exists()


@pytest.mark.django_db
def test_the_upload_request_of_a_large_file_does_no_work_per_row(
    as_role, district, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from measures.exchange import background

    monkeypatch.setattr(background, "SYNC_ROWS", 2)
    client = as_role("editor_own")
    counts = []
    for rows in (10, 60):
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks():
            assert _post_file(client, new_measures_csv(district, rows)).status_code == 302
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_other_users_see_no_status_page(as_role, district, users):
    from measures.models import ImportState, MeasureImport

    upload = MeasureImport.objects.create(
        user=users["editor_own"], filename="x.csv", data=b"", state=ImportState.CHECKING
    )
    assert as_role("editor_other").get(f"{IMPORT_URL}{upload.pk}/").status_code == 404
    council = as_role("council")
    assert council.get(f"{IMPORT_URL}{upload.pk}/").status_code == 403
    council.logout()
    assert council.get(f"{IMPORT_URL}{upload.pk}/").status_code == 302


@pytest.mark.django_db
def test_a_failing_background_check_ends_with_a_message(
    as_role, district, monkeypatch, django_capture_on_commit_callbacks
):
    from measures.exchange import background
    from measures.models import ImportState, MeasureImport

    def broken(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(background, "SYNC_ROWS", 2)
    monkeypatch.setattr(background, "plan_import", broken)
    client = as_role("editor_own")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_file(client, new_measures_csv(district, 3))
    assert MeasureImport.objects.get().state == ImportState.REFUSED
    page = client.get(response["Location"]).content.decode()
    assert "es wurde nichts gespeichert" in page and "http-equiv" not in page


@pytest.mark.django_db
def test_a_large_file_imported_again_in_the_background_names_what_is_already_there(
    as_role, district, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from measures.exchange import background
    from measures.models import ImportState, MeasureImport

    monkeypatch.setattr(background, "SYNC_ROWS", 2)
    client = as_role("editor_own")
    content = new_measures_csv(district, 3)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = _post_file(client, content)
        upload = MeasureImport.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            client.post(IMPORT_URL, {"upload": str(upload.pk)})
        result = client.get(response["Location"]).content.decode()
        assert "Import abgeschlossen" in result
        assert reverse("measures:import_download", args=[upload.pk, "csv"]) in result
    # First: created; second, without the choice: nothing; third, with it: created again.
    assert Measure.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_file(client, content)
    preview = client.get(response["Location"]).content.decode()
    assert "3 neue Zeilen gleichen einer vorhandenen Maßnahme und werden nicht angelegt" in preview
    assert "bereits vorhanden (<a" in preview and 'name="create_duplicates"' in preview
    upload = MeasureImport.objects.get()
    assert upload.state == ImportState.READY and upload.duplicates == 3
    with django_capture_on_commit_callbacks(execute=True):
        client.post(IMPORT_URL, {"upload": str(upload.pk), "create_duplicates": "1"})
    assert Measure.objects.count() == 6
