"""Draft views: permission matrix over roles, the coordinator's flow, publication, the PDF."""

import datetime

import pytest
from django.urls import reverse

from drafts.models import DraftState, RenderState, StrategyDraft
from drafts.tasks import render_now
from drafts.workflow import freeze, publish

from .conftest import build_draft

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
EDITORS = {"editor_own", "editor_other", "samtgemeinde_editor"}


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True


def WORLD_EXTRA(district, users, measures):  # noqa: N802 - read by module_world
    """A frozen and a presented draft, each rendered once for the module (a PDF takes
    seconds; most tests here only read it)."""
    coordinator = users["coordinator"]
    drafts = {}
    for name, label in [("frozen_draft", "Entwurf 1"), ("published_draft", "Entwurf 2")]:
        draft = build_draft(users, label)
        freeze(draft, coordinator, render=False)
        draft = render_now(StrategyDraft.objects.get(pk=draft.pk))
        if name == "published_draft":
            draft = publish(draft, coordinator, without_consultation=True)
        drafts[name] = draft.pk
    return drafts


@pytest.fixture
def frozen_draft(module_world):
    return StrategyDraft.objects.get(pk=module_world["extra"]["frozen_draft"])


@pytest.fixture
def published_draft(module_world):
    return StrategyDraft.objects.get(pk=module_world["extra"]["published_draft"])


@pytest.mark.parametrize("role", ROLES)
def test_list_matrix(as_role, role, draft, published_draft):
    response = as_role(role).get(reverse("drafts:list"))
    assert response.status_code == 200
    shown = set(response.context["drafts"])
    assert published_draft in shown


@pytest.mark.parametrize("role", ROLES)
def test_create_matrix(as_role, role, district):
    response = as_role(role).get(reverse("drafts:create"))
    expected = {"anonymous": 302, "coordinator": 200}.get(role, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_detail_and_pdf_of_editing_draft(as_role, role, draft):
    client = as_role(role)
    detail = client.get(reverse("drafts:detail", args=[draft.pk]))
    assert detail.status_code == (200 if role == "coordinator" else 404)
    assert client.get(reverse("drafts:pdf", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_detail_and_pdf_of_frozen_draft(as_role, role, frozen_draft):
    client = as_role(role)
    allowed = role in ("coordinator", "council")
    detail = client.get(reverse("drafts:detail", args=[frozen_draft.pk]))
    assert detail.status_code == (200 if allowed else 404)
    response = client.get(reverse("drafts:pdf", args=[frozen_draft.pk]))
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-1.7")


@pytest.mark.parametrize("role", ROLES)
def test_pdf_of_published_draft_for_everybody(as_role, role, published_draft):
    client = as_role(role)
    response = client.get(reverse("drafts:pdf", args=[published_draft.pk]) + "?download=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["ETag"] == f'"{published_draft.pdf_sha256}"'
    inline = client.get(reverse("drafts:pdf", args=[published_draft.pk]))
    assert inline["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["drafts:freeze", "drafts:render", "drafts:publish"])
def test_steps_only_for_the_coordinator(as_role, role, name, measures, draft):
    if role == "coordinator":
        return  # the flow test below covers the coordinator
    response = as_role(role).post(reverse(name, args=[draft.pk]))
    assert response.status_code == (302 if role == "anonymous" else 403)
    draft.refresh_from_db()
    assert draft.state == DraftState.EDITING and draft.render_state == RenderState.NONE


def test_failed_render_shows_reason_and_retry(as_role, frozen_draft):
    StrategyDraft.objects.filter(pk=frozen_draft.pk).update(
        render_state=RenderState.FAILED, render_error="Zeitlimit überschritten"
    )
    page = as_role("coordinator").get(frozen_draft.get_absolute_url()).content.decode()
    assert "Zeitlimit überschritten" in page and "Erneut versuchen" in page


def test_publication_makes_contained_measures_public_without_personal_data(
    client, users, measures, published_draft
):
    listing = client.get(reverse("measures:list")).content.decode()
    for measure in measures["accepted"]:
        assert measure.title in listing
    assert measures["submitted"].title not in listing
    assert measures["draft"].title not in listing
    detail = client.get(measures["accepted"][0].get_absolute_url()).content.decode()
    assert "Fachdienst Digitalisierung" in detail
    assert "Geheimname" not in detail and "erika.geheim" not in detail
    hidden = client.get(measures["submitted"].get_absolute_url())
    assert hidden.status_code == 404


def test_oparl_paper_and_file_for_published_draft(client, published_draft):
    published_draft.drucksache_number = "2026/123"
    published_draft.save()
    paper = client.get(reverse("drafts:oparl_paper", args=[published_draft.pk])).json()
    assert paper["type"] == "https://schema.oparl.org/1.1/Paper"
    assert paper["id"].endswith(f"/entwurf/{published_draft.pk}/oparl/paper")
    assert paper["reference"] == "2026/123"
    main = paper["mainFile"]
    assert main["type"] == "https://schema.oparl.org/1.1/File"
    assert {"id", "type", "accessUrl"} <= main.keys()
    assert main["mimeType"] == "application/pdf" and main["size"] == published_draft.pdf_size
    assert len(main["sha512Checksum"]) == 128
    access = client.get(main["accessUrl"])
    download = client.get(main["downloadUrl"])
    assert access["Content-Disposition"].startswith("inline")
    assert download["Content-Disposition"].startswith("attachment")
    file_json = client.get(reverse("drafts:oparl_file", args=[published_draft.pk])).json()
    assert file_json == main


def test_oparl_only_for_published_drafts(client, frozen_draft):
    url = reverse("drafts:oparl_paper", args=[frozen_draft.pk])
    assert client.get(url).status_code == 404


def test_public_sees_the_published_version_not_later_edits(
    client, as_role, users, published_draft, measures
):
    from measures.review import after_edit

    measure = measures["accepted"][0]
    measure.refresh_from_db()  # as the edit view loads it, with its published version
    published_title = measure.title
    measure.title = "Ungeprüfte spätere Änderung"
    measure.contact_name = "Noch ein Geheimname"
    measure.save()
    after_edit(measure, users["editor_own"])
    body = client.get(measure.get_absolute_url()).content.decode()
    assert published_title in body
    assert "Ungeprüfte spätere Änderung" not in body and "Geheimname" not in body
    assert "12.500,50 € geplant" in body and "März 2027" in body
    listing = client.get(reverse("measures:list")).content.decode()
    assert published_title in listing and "Ungeprüfte spätere Änderung" not in listing
    dashboard = client.get(reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"]))
    assert "Ungeprüfte spätere Änderung" not in dashboard.content.decode()
    internal = as_role("coordinator").get(reverse("measures:list")).content.decode()
    assert "Ungeprüfte spätere Änderung" in internal


def test_list_query_count_is_flat(as_role, users, django_assert_max_num_queries):
    client = as_role("coordinator")
    for i in range(2):
        StrategyDraft.objects.create(
            title=f"V{i}", version_label=f"Entwurf {i}", resolution_date=datetime.date(2026, 6, 18)
        )
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("drafts:list"))
    for i in range(2, 12):
        StrategyDraft.objects.create(
            title=f"V{i}", version_label=f"Entwurf {i}", resolution_date=datetime.date(2026, 6, 18)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("drafts:list"))


def test_public_gets_no_history_of_a_public_measure(client, as_role, published_draft, measures):
    url = reverse("measures:history", args=[measures["accepted"][0].pk])
    assert client.get(url).status_code == 404
    assert as_role("council").get(url).status_code == 200


@pytest.mark.parametrize("name", ["drafts:status", "drafts:pdf"])
def test_polled_views_do_not_load_the_snapshot(as_role, published_draft, name):
    """The render state is polled every 3 s; the snapshot can be megabytes of JSON."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = as_role("council").get(reverse(name, args=[published_draft.pk]))
    assert response.status_code == 200
    draft_queries = [q["sql"] for q in queries if "drafts_strategydraft" in q["sql"]]
    assert draft_queries
    assert not any('"snapshot"' in sql or ".snapshot" in sql for sql in draft_queries)
