"""Importing the same file again changes nothing (issue 23 §1): a new row whose measure is
already there (same body, same title) is named, not created unless asked for; the applied
file can be downloaded again with the IDs of its measures."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.exchange.importer import apply_import, read_files
from measures.exchange.sheets import MEASURES_SHEET
from measures.models import Measure, MeasureImport
from tests.factories import MeasureFactory

from .exchange_helpers import (
    append_row,
    apply_xlsx,
    error_texts,
    export_csv,
    export_xlsx,
    plan_csv,
    plan_xlsx,
    save,
    set_cell,
    workbook,
)

IMPORT_URL = reverse("measures:import")
ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


@pytest.fixture
def hitzacker(district):
    return [
        MeasureFactory(lead_municipality=district["hitzacker"], title="Digitaler Bauantrag"),
        MeasureFactory(lead_municipality=district["hitzacker"], title="WLAN im Rathaus"),
        MeasureFactory(lead_municipality=district["hitzacker"], title="Ratsinformationssystem"),
    ]


def edited_export(measures):
    """Hitzacker's export with two rows changed and one new row, as a user edits it."""
    book = workbook(export_xlsx(Measure.objects.filter(pk__in=[m.pk for m in measures])))
    sheet = book[MEASURES_SHEET]
    set_cell(sheet, 2, "Kurzbeschreibung", "Neu beschrieben.")
    set_cell(sheet, 3, "Titel", "WLAN in Rathaus und Bücherei")
    append_row(
        sheet,
        {
            "Titel": "Dorf-App für Hitzacker",
            "Kurzbeschreibung": "Eine App für das Dorfleben.",
            "federführende Kommune": "Hitzacker (Elbe)",
            "Handlungsfeld": "1. Digitale Verwaltungsleistungen",
        },
    )
    return save(book)


def counts(plan):
    return plan.created, plan.changed, plan.unchanged, plan.existing


def test_the_same_file_imported_twice_changes_nothing_the_second_time(hitzacker, users):
    raw = edited_export(hitzacker)
    first = apply_xlsx(raw, users["editor_own"])
    assert first.errors == [], error_texts(first)
    assert counts(first) == (1, 2, 1, 0)
    created = Measure.objects.get(title="Dorf-App für Hitzacker")
    measures, history = Measure.objects.count(), Measure.history.count()
    versions = dict(Measure.objects.values_list("pk", "version"))

    for _ in range(2):  # the preview and the import, twice: nothing changes
        plan = plan_xlsx(raw, users["editor_own"])
        assert plan.errors == [] and counts(plan) == (0, 0, 3, 1)
        assert not plan.has_changes
        assert [(r.line, r.duplicate_of.pk) for r in plan.existing_rows] == [(5, created.pk)]
        assert plan.summary() == (
            "0 Maßnahmen werden angelegt, 0 geändert, 3 unverändert; 1 neue Zeile gleicht "
            "einer vorhandenen Maßnahme und wird nicht angelegt."
        )
        again = apply_xlsx(raw, users["editor_own"])
        assert again.errors == [] and counts(again) == (0, 0, 3, 1)
    assert Measure.objects.count() == measures and Measure.history.count() == history
    assert dict(Measure.objects.values_list("pk", "version")) == versions


def test_the_title_matches_whatever_case_and_spacing_within_the_same_body_only(
    hitzacker, users, district
):
    MeasureFactory(lead_municipality=district["dannenberg"], title="Glasfaser für alle")
    book = workbook(export_xlsx(Measure.objects.none()))
    new = {"Kurzbeschreibung": "x", "Handlungsfeld": "1. Digitale Verwaltungsleistungen"}
    for title, body in [
        ("  digitaler   BAUANTRAG ", "Hitzacker (Elbe)"),  # Hitzacker's M-…: already there
        ("Glasfaser für alle", "Hitzacker (Elbe)"),  # Dannenberg's title: new for Hitzacker
        ("Digitaler Bauantrag (2. Stufe)", "Hitzacker (Elbe)"),
    ]:
        append_row(book[MEASURES_SHEET], {"Titel": title, "federführende Kommune": body, **new})
    plan = plan_xlsx(save(book), users["coordinator"])
    assert plan.errors == [], error_texts(plan)
    assert counts(plan) == (2, 0, 0, 1)
    assert plan.existing_rows[0].duplicate_of == hitzacker[0]


def test_an_existing_row_is_created_when_the_user_chooses_so(hitzacker, users):
    book = workbook(export_xlsx(Measure.objects.none()))
    append_row(
        book[MEASURES_SHEET],
        {
            "Titel": "WLAN im Rathaus",
            "Kurzbeschreibung": "Zweites Rathaus.",
            "federführende Kommune": "Hitzacker (Elbe)",
            "Handlungsfeld": "1. Digitale Verwaltungsleistungen",
        },
    )
    measures, partners, _ = read_files("m.xlsx", save(book))
    plan = apply_import(measures, partners, users["editor_own"], create_duplicates=True)
    assert plan.errors == [] and counts(plan) == (1, 0, 0, 0)
    assert plan.rows[0].duplicate_of == hitzacker[1]
    assert Measure.objects.filter(title="WLAN im Rathaus").count() == 2


def test_csv_reimport_names_the_existing_measure_too(hitzacker, users):
    measures_csv, partners_csv = export_csv(Measure.objects.none())
    text = measures_csv.decode("utf-8")
    columns = text.lstrip("\ufeff").splitlines()[0].split(";")
    row = dict.fromkeys(columns, "")
    row.update(
        {
            "Titel": "Ratsinformationssystem",
            "Kurzbeschreibung": "x",
            "federführende Kommune": "Hitzacker (Elbe)",
            "Handlungsfeld": "1. Digitale Verwaltungsleistungen",
        }
    )
    text += ";".join(row[c] for c in columns) + "\r\n"
    plan = plan_csv(text.encode("utf-8"), None, users["editor_own"], apply=True)
    assert plan.errors == [] and counts(plan) == (0, 0, 0, 1)
    assert Measure.objects.filter(title="Ratsinformationssystem").count() == 1


# --- the pages ------------------------------------------------------------------------------


def _upload(client, raw):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("massnahmen.xlsx", raw)})


def test_preview_names_the_existing_measure_and_asks_before_creating_it(as_role, hitzacker, users):
    raw = edited_export(hitzacker)
    apply_xlsx(raw, users["editor_own"])
    created = Measure.objects.get(title="Dorf-App für Hitzacker")
    client = as_role("editor_own")
    page = _upload(client, raw).content.decode()
    assert (
        f'bereits vorhanden (<a href="{created.get_absolute_url()}">{created.reference}</a>)'
        in page
    )
    assert "trotzdem als neue Maßnahme anlegen" in page
    pending = MeasureImport.objects.get()
    assert pending.duplicates == 1
    # Confirmed without the choice: nothing is created.
    result = client.post(IMPORT_URL, {"upload": pending.pk})
    assert "0 Maßnahmen wurden angelegt" in result.content.decode()
    assert Measure.objects.filter(title="Dorf-App für Hitzacker").count() == 1
    # Uploaded again and confirmed with the choice: created a second time.
    _upload(client, raw)
    pending = MeasureImport.objects.get()
    result = client.post(IMPORT_URL, {"upload": pending.pk, "create_duplicates": "1"})
    assert "1 Maßnahme wurde angelegt" in result.content.decode()
    assert Measure.objects.filter(title="Dorf-App für Hitzacker").count() == 2


def test_the_applied_file_comes_back_with_the_new_ids_and_imports_as_unchanged(
    as_role, hitzacker, users
):
    client = as_role("editor_own")
    _upload(client, edited_export(hitzacker))
    pending = MeasureImport.objects.get()
    result = client.post(IMPORT_URL, {"upload": pending.pk}).content.decode()
    url = reverse("measures:import_download", args=[pending.pk, "excel"])
    assert url in result
    created = Measure.objects.get(title="Dorf-App für Hitzacker")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-mit-ids.xlsx"')
    sheet = workbook(response.content)[MEASURES_SHEET]
    ids = [row[0].value for row in sheet.iter_rows(min_row=2) if row[0].value]
    assert sorted(ids) == sorted([m.pk for m in hitzacker] + [created.pk])
    plan = plan_xlsx(response.content, users["editor_own"])
    assert plan.errors == [] and counts(plan) == (0, 0, 4, 0)


DOWNLOAD_MATRIX = {
    "anonymous": 302,
    "editor_own": 200,  # the uploader
    "editor_other": 404,
    "samtgemeinde_editor": 404,
    "coordinator": 404,
    "council": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_uploader_downloads_the_applied_file(client, hitzacker, users, role):
    client.force_login(users["editor_own"])
    _upload(client, edited_export(hitzacker))
    pending = MeasureImport.objects.get()
    client.post(IMPORT_URL, {"upload": pending.pk})
    client.logout()
    if users[role] is not None:
        client.force_login(users[role])
    for part in ("excel", "csv", "csv-beteiligte"):
        response = client.get(reverse("measures:import_download", args=[pending.pk, part]))
        assert response.status_code == DOWNLOAD_MATRIX[role]
    assert client.get(
        reverse("measures:import_download", args=[pending.pk, "pdf"])
    ).status_code in (302, 404)


def test_an_upload_not_applied_yet_has_no_file_to_download(as_role, hitzacker):
    client = as_role("editor_own")
    _upload(client, edited_export(hitzacker))
    pending = MeasureImport.objects.get()
    url = reverse("measures:import_download", args=[pending.pk, "excel"])
    assert client.get(url).status_code == 404
