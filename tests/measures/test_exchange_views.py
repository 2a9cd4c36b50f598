"""Export and import pages: permission matrix and the upload -> preview -> confirm flow."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measures.exchange.sheets import MEASURES_SHEET
from measures.models import Measure, MeasureImport
from measures.review import measure_snapshot
from tests.factories import MeasureFactory, PartnershipFactory

from .exchange_helpers import export_csv, export_xlsx, save, set_cell, workbook

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
IMPORT_URL = reverse("measures:import")


@pytest.fixture
def measures(district):
    published = MeasureFactory(
        lead_municipality=district["hitzacker"],
        title="Digitaler Bauantrag",
        contact_name="Erika Muster",
        contact_email="erika@example.org",
    )
    PartnershipFactory(measure=published, municipality=district["gartow"])
    Measure.objects.filter(pk=published.pk).update(
        public_snapshot=measure_snapshot(Measure.objects.with_related().get(pk=published.pk)),
        public_since=timezone.now(),
    )
    unpublished = MeasureFactory(lead_municipality=district["hitzacker"], title="Noch intern")
    return {"published": published, "unpublished": unpublished}


def changed_workbook(measure, **values):
    book = workbook(export_xlsx(Measure.objects.filter(pk=measure.pk)))
    for header, value in values.items():
        set_cell(book[MEASURES_SHEET], 2, header, value)
    return save(book)


def upload(client, raw, name="massnahmen.xlsx", partners=None):
    data = {"file": SimpleUploadedFile(name, raw)}
    if partners is not None:
        data["partners_file"] = SimpleUploadedFile("massnahmen_beteiligte.csv", partners)
    return client.post(IMPORT_URL, data)


# --- permission matrix ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("part", ["excel", "csv", "csv-beteiligte"])
def test_export_matrix(as_role, measures, role, part):
    response = as_role(role).get(reverse("measures:export", args=[part]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    if part == "excel":
        book = workbook(content)
        text = "\n".join(
            str(c.value) for row in book[MEASURES_SHEET].iter_rows() for c in row if c.value
        )
    else:
        text = content.decode("utf-8")
    if part == "csv-beteiligte":
        assert "Samtgemeinde Gartow" in text
        return
    assert "Digitaler Bauantrag" in text
    if role == "anonymous":
        assert "Noch intern" not in text
        assert "Erika Muster" not in text and "erika@example.org" not in text
    else:
        assert "Noch intern" in text and "Erika Muster" in text


# anonymous, editor_own, editor_other, samtgemeinde_editor, coordinator, council
IMPORT_MATRIX = dict(zip(ROLES, (302, 200, 200, 200, 200, 403), strict=True))


@pytest.mark.parametrize("role", ROLES)
def test_import_page_matrix(as_role, measures, role):
    response = as_role(role).get(IMPORT_URL)
    assert response.status_code == IMPORT_MATRIX[role]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


# Who may change a measure of Hitzacker by import.
CHANGE_MATRIX = {
    "anonymous": 302,
    "editor_own": 200,
    "editor_other": 400,
    "samtgemeinde_editor": 200,
    "coordinator": 200,
    "council": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_import_upload_matrix(as_role, measures, role):
    raw = changed_workbook(measures["unpublished"], Titel="Per Import geändert")
    response = upload(as_role(role), raw)
    assert response.status_code == CHANGE_MATRIX[role]
    if role == "editor_other":
        assert "dürfen Sie nicht ändern" in response.content.decode()
    if response.status_code == 200:
        assert "0 Maßnahmen werden angelegt, 1 geändert" in response.content.decode()
    # The preview never stores the change.
    assert Measure.objects.get(pk=measures["unpublished"].pk).title == "Noch intern"


def test_list_links_to_export_and_import(as_role, measures):
    page = as_role("editor_own").get(reverse("measures:list") + "?status=planned").content.decode()
    assert reverse("measures:export", args=["excel"]) + "?status=planned" in page
    assert IMPORT_URL in page
    client = as_role("anonymous")
    client.logout()
    public = client.get(reverse("measures:list")).content.decode()
    assert reverse("measures:export", args=["csv"]) in public and IMPORT_URL not in public


def test_export_follows_the_list_filter_and_offers_the_template(as_role, measures, district):
    client = as_role("coordinator")
    url = reverse("measures:export", args=["csv"])
    only_dannenberg = client.get(url + "?municipality=dannenberg-elbe").content.decode()
    assert only_dannenberg.count("\r\n") == 1  # the header row only: the template
    template = client.get(url + "?vorlage=1")
    assert template["Content-Disposition"].endswith('vorlage-massnahmen.csv"')


def test_export_view_query_count_is_constant(as_role, measures, district):
    client = as_role("coordinator")
    url = reverse("measures:export", args=["excel"])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for index in range(15):
        m = MeasureFactory(lead_municipality=district["dannenberg"], title=f"Mehr {index}")
        PartnershipFactory(measure=m, municipality=district["gartow"])
    assert count() == few


# --- the flow -------------------------------------------------------------------------------


def test_upload_preview_confirm_result(as_role, measures):
    client = as_role("editor_own")
    raw = changed_workbook(measures["unpublished"], Titel="Per Import geändert")
    preview = upload(client, raw)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Vorschau des Imports" in page and "Per Import geändert" in page
    assert "Noch intern" in page  # the old value in the field-level diff
    pending = MeasureImport.objects.get()
    result = client.post(IMPORT_URL, {"upload": pending.pk})
    assert result.status_code == 200
    assert "0 Maßnahmen wurden angelegt, 1 geändert" in result.content.decode()
    changed = Measure.objects.get(pk=measures["unpublished"].pk)
    assert changed.title == "Per Import geändert"
    assert changed.history.first().history_user.username == "hitzacker"
    applied = MeasureImport.objects.get()
    assert applied.applied_at is not None and bytes(applied.data) == b""
    # Confirming twice (a double click) does not import twice, and says so.
    with CaptureQueriesContext(connection) as queries:
        again = client.post(IMPORT_URL, {"upload": pending.pk})
    assert again.status_code == 409
    assert "Dieser Import wurde bereits ausgeführt" in again.content.decode()
    assert not any(
        q["sql"].startswith(("INSERT", "UPDATE"))
        for q in queries.captured_queries
        if "measures_measure" in q["sql"]
    )
    assert Measure.objects.get(pk=changed.pk).version == changed.version


def test_unchanged_export_reports_no_changes_and_stores_no_upload(as_role, measures):
    client = as_role("coordinator")
    response = upload(client, export_xlsx())
    assert response.status_code == 200
    page = response.content.decode()
    assert "0 Maßnahmen werden angelegt, 0 geändert, 2 unverändert" in page
    assert "Import ausführen" not in page
    assert not MeasureImport.objects.exists()
    measures_csv, partners_csv = export_csv()
    response = upload(client, measures_csv, "massnahmen.csv", partners=partners_csv)
    assert "0 geändert, 2 unverändert" in response.content.decode()


def test_someone_else_cannot_confirm_an_upload(as_role, users, measures, client):
    raw = changed_workbook(measures["unpublished"], Titel="Per Import geändert")
    upload(as_role("editor_own"), raw)
    pending = MeasureImport.objects.get()
    client.force_login(users["samtgemeinde_editor"])
    response = client.post(IMPORT_URL, {"upload": pending.pk})
    assert response.status_code == 400
    assert Measure.objects.get(pk=measures["unpublished"].pk).title == "Noch intern"


def test_change_in_the_portal_between_preview_and_confirm_refuses_the_file(as_role, measures):
    client = as_role("editor_own")
    upload(client, changed_workbook(measures["unpublished"], Titel="Per Import geändert"))
    pending = MeasureImport.objects.get()
    Measure.objects.filter(pk=measures["unpublished"].pk).update(
        version=2, budget_planned=Decimal("10")
    )
    response = client.post(IMPORT_URL, {"upload": pending.pk})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Der Import wurde abgelehnt" in page and "seit dem Export im Portal geändert" in page
    assert Measure.objects.get(pk=measures["unpublished"].pk).title == "Noch intern"


def test_bad_file_shows_line_and_column_and_stores_nothing(as_role, measures):
    raw = changed_workbook(measures["unpublished"], Umsetzungsstand="fast fertig")
    response = upload(as_role("editor_own"), raw)
    assert response.status_code == 400
    page = response.content.decode()
    assert "es wurde nichts gespeichert" in page
    assert '<th scope="row">2</th><td>L (Umsetzungsstand)</td>' in page
    assert not MeasureImport.objects.exists()
    response = upload(as_role("editor_own"), b"kaputt", "plan.xlsx")
    assert response.status_code == 400 and "keine Excel-Datei" in response.content.decode()


def test_upload_size_is_limited(as_role, measures, monkeypatch):
    from measures.views import exchange as views_exchange

    monkeypatch.setattr(views_exchange, "MAX_IMPORT_BYTES", 100)
    response = upload(as_role("editor_own"), b"x" * 101, "plan.csv")
    assert response.status_code == 400
    assert "größer als" in response.content.decode()
    assert not MeasureImport.objects.exists()
