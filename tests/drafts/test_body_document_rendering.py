"""A body's Beschlussvorlage renders in the background (issue 23 §10): the download answers at
once while the file is made, serves it from storage once made, renders changed content anew,
shows a failure with its reason, and never lets an older render overwrite a newer one.

The renderer is replaced by a quick fake here (its bytes: the content hash); the real PDF and
its bytes are tested in test_body_document.
"""

import datetime
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from drafts import adoption, body_rendering
from drafts.adoption_models import DecisionProcedure
from drafts.models import BodyDocumentFile, DraftState, RenderState, StrategyDraft
from drafts.workflow import freeze

pytestmark = pytest.mark.django_db

SLUG = "sg-elbtalaue"
STEPS = [
    {
        "committee": "Samtgemeinderat",
        "meeting_date": datetime.date(2027, 3, 10),
        "public": True,
        "role": "decides",
    }
]


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True


@pytest.fixture
def frozen_draft(measures, draft, users):
    draft = freeze(draft, users["coordinator"], render=False)
    adoption.set_up(draft, users["coordinator"])
    return draft


@pytest.fixture
def renders(monkeypatch):
    """The fake renderer: records each render's content hash, returns it as the file."""
    calls = []

    def fake(procedure, html=None):
        key = body_rendering.content_key(html)
        calls.append(key)
        return b"%PDF-fake " + key.encode()

    monkeypatch.setattr(body_rendering, "render_body_document", fake)
    return calls


def _url(draft, slug=SLUG):
    return reverse("drafts:body_document", args=[draft.pk, slug])


def _procedure(district):
    return DecisionProcedure.objects.get(municipality=district["elbtalaue"])


def test_the_first_request_answers_at_once_and_only_queues_the_render(
    as_role, frozen_draft, renders, django_capture_on_commit_callbacks
):
    client = as_role("coordinator")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(_url(frozen_draft))
    assert response.status_code == 202
    assert response["X-Render-State"] == RenderState.QUEUED
    assert len(callbacks) == 1  # the render is queued after the commit ...
    assert renders == []  # ... and not run in the request
    document = BodyDocumentFile.objects.get()
    assert document.render_state == RenderState.QUEUED and not document.pdf
    page = response.content.decode()
    assert 'role="status" aria-live="polite"' in page
    assert "Die PDF-Datei wird erzeugt" in page
    assert f'href="{_url(frozen_draft)}">Stand aktualisieren</a>' in page
    assert "Beschlussvorlage Samtgemeinde Elbtalaue" in page
    # Looking again while it waits queues nothing more.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.get(_url(frozen_draft)).status_code == 202
    assert callbacks == []


def test_once_rendered_the_file_comes_from_storage(
    as_role,
    frozen_draft,
    district,
    renders,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    client = as_role("council")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_url(frozen_draft))
    assert len(renders) == 1
    with django_assert_max_num_queries(12):
        response = client.get(_url(frozen_draft) + "?download=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data == b"%PDF-fake " + renders[0].encode()
    assert response["X-Content-SHA256"] == hashlib.sha256(data).hexdigest()
    document = BodyDocumentFile.objects.get()
    assert document.render_state == RenderState.READY
    assert default_storage.exists(document.pdf.name)
    # Served again, not rendered again.
    client.get(_url(frozen_draft))
    assert len(renders) == 1
    # A HEAD (the waiting page's script) tells the state too.
    assert client.head(_url(frozen_draft))["X-Render-State"] == RenderState.READY


def test_changed_content_is_rendered_anew_and_the_old_file_goes(
    as_role, frozen_draft, district, users, renders, django_capture_on_commit_callbacks
):
    client = as_role("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_url(frozen_draft))
    old = BodyDocumentFile.objects.get().pdf.name
    adoption.save_procedure(
        _procedure(district),
        users["coordinator"],
        "SG-2027/18",
        "",
        [
            {
                "committee": "Samtgemeinderat",
                "meeting_date": datetime.date(2027, 3, 10),
                "public": True,
                "role": "decides",
            }
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_url(frozen_draft))
    assert response.status_code == 202  # the stored file shows the old number: not served
    assert len(renders) == 2 and renders[0] != renders[1]
    response = client.get(_url(frozen_draft))
    assert b"".join(response.streaming_content) == b"%PDF-fake " + renders[1].encode()
    assert not default_storage.exists(old)


def test_a_failed_render_shows_its_reason_and_the_coordinator_starts_it_again(
    as_role, frozen_draft, users, monkeypatch, renders, django_capture_on_commit_callbacks
):
    def broken(procedure, html=None):
        raise OSError("Schriftart fehlt")

    with monkeypatch.context() as patch:
        patch.setattr(body_rendering, "render_body_document", broken)
        with django_capture_on_commit_callbacks(execute=True):
            as_role("coordinator").get(_url(frozen_draft))
    document = BodyDocumentFile.objects.get()
    assert document.render_state == RenderState.FAILED
    response = as_role("coordinator").get(_url(frozen_draft))
    assert response.status_code == 200
    assert response["X-Render-State"] == RenderState.FAILED
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "konnte nicht erzeugt werden (OSError: Schriftart fehlt)" in page
    assert "Vorlage erneut erzeugen" in page
    # A council member sees a plain message and no button; looking again starts nothing.
    client = as_role("council")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = client.get(_url(frozen_draft)).content.decode()
    assert callbacks == []
    assert "konnte gerade nicht erzeugt werden" in page
    assert "OSError" not in page and "erneut erzeugen" not in page
    # The coordinator's new attempt renders it.
    client = as_role("coordinator")
    render_url = reverse("drafts:body_document_render", args=[frozen_draft.pk, SLUG])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(render_url)
    assert response.status_code == 302 and response["Location"] == _url(frozen_draft)
    assert BodyDocumentFile.objects.get().render_state == RenderState.READY
    assert client.get(_url(frozen_draft)).status_code == 200


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),  # to the login
        ("editor_own", 403),
        ("editor_other", 403),
        ("samtgemeinde_editor", 403),
        ("council", 403),
        ("coordinator", 302),
    ],
)
def test_only_the_coordinator_starts_a_render_again(as_role, frozen_draft, renders, role, status):
    response = as_role(role).post(
        reverse("drafts:body_document_render", args=[frozen_draft.pk, SLUG])
    )
    assert response.status_code == status
    if role == "anonymous":
        assert "/login" in response["Location"] or "anmelden" in response["Location"]
    assert BodyDocumentFile.objects.filter(render_state=RenderState.QUEUED).exists() == (
        role == "coordinator"
    )


def test_the_public_gets_the_waiting_page_only_once_presented(
    client, frozen_draft, renders, django_capture_on_commit_callbacks
):
    assert client.get(_url(frozen_draft)).status_code == 404
    assert not BodyDocumentFile.objects.exists()
    StrategyDraft.objects.filter(pk=frozen_draft.pk).update(state=DraftState.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(_url(frozen_draft)).status_code == 202
    assert client.get(_url(frozen_draft)).status_code == 200


def test_an_older_render_never_overwrites_a_newer_one(
    as_role, frozen_draft, district, users, monkeypatch
):
    """Render A reads the data, then B starts (newer data) and finishes while A still renders:
    A's file is thrown away, B's stays."""
    procedure = _procedure(district)
    keys = []

    def slow_then_newer(proc, html=None):
        key = body_rendering.content_key(html)
        keys.append(key)
        if len(keys) == 1:
            adoption.save_procedure(_procedure(district), users["coordinator"], "SG-NEU", "", STEPS)
            body_rendering.render(procedure.pk)  # B, started after A
        return b"%PDF-fake " + key.encode()

    monkeypatch.setattr(body_rendering, "render_body_document", slow_then_newer)
    assert body_rendering.render(procedure.pk) is None  # A: discarded
    document = BodyDocumentFile.objects.get()
    assert document.render_state == RenderState.READY
    assert document.pdf_html_sha256 == keys[1]
    with document.pdf.open("rb") as handle:
        assert handle.read() == b"%PDF-fake " + keys[1].encode()
    folder = document.pdf.name.rsplit("/", 1)[0]
    assert default_storage.listdir(folder)[1] == [document.pdf.name.rsplit("/", 1)[1]]


def test_a_deleted_procedure_is_tolerated(frozen_draft, district, renders):
    procedure = _procedure(district)
    pk = procedure.pk
    procedure.delete()
    assert body_rendering.render(pk) is None
    assert renders == []


def test_a_lost_render_is_queued_again(
    as_role, frozen_draft, renders, settings, django_capture_on_commit_callbacks
):
    client = as_role("coordinator")
    with django_capture_on_commit_callbacks(execute=False):
        client.get(_url(frozen_draft))
    started = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    BodyDocumentFile.objects.update(render_state=RenderState.RENDERING, render_started_at=started)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.get(_url(frozen_draft)).status_code == 202
    assert len(callbacks) == 1 and len(renders) == 1


def test_a_render_that_could_not_be_queued_is_queued_again_on_the_next_visit(
    client, frozen_draft, renders, django_capture_on_commit_callbacks
):
    from tests.redis_down import redis_unreachable

    StrategyDraft.objects.filter(pk=frozen_draft.pk).update(state=DraftState.PUBLISHED)
    with redis_unreachable(), django_capture_on_commit_callbacks(execute=True):
        assert client.get(_url(frozen_draft)).status_code == 202
    document = BodyDocumentFile.objects.get()
    assert document.render_state == RenderState.FAILED
    assert document.render_error == body_rendering.RENDER_NOT_QUEUED
    # The broker is back: the next visitor's request queues it, no coordinator needed.
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(_url(frozen_draft)).status_code == 202
    assert client.get(_url(frozen_draft)).status_code == 200
    assert len(renders) == 1
