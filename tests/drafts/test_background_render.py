"""Closing an Abstimmung, saving the Vorlage's details and freezing answer at once (issue 23
§10): the PDF render is queued after the commit, never run in the request; the page shows
the state; a render queued because the data changed replaces one still running, and an older
render never overwrites a newer one.

The renderer is replaced by a quick fake (its bytes name the draft's details at render time);
the real PDF is tested in test_snapshot_and_pdf and test_council_document.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.locking import version_token
from core.pdf.generator import RenderedPDF
from drafts import pdf, tasks
from drafts.consultation import open_consultation
from drafts.models import RenderState, StrategyDraft
from drafts.workflow import freeze, store_pdf

pytestmark = pytest.mark.django_db


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True


@pytest.fixture
def renders(monkeypatch):
    """Fake renderer: each render's bytes carry the Vorlage number it read."""
    calls = []

    def fake(generator):
        calls.append(generator.object.council_document_number)
        content = b"%PDF-fake " + generator.object.council_document_number.encode()
        return RenderedPDF(content=content, pages=1)

    monkeypatch.setattr(pdf.DraftPDFGenerator, "render", fake)
    return calls


@pytest.fixture
def rendered(measures, draft, users, renders):
    freeze(draft, users["coordinator"], render=False)
    return store_pdf(StrategyDraft.objects.get(pk=draft.pk), b"%PDF-fake first", 1)


def _details(draft, number="KT-2027/7"):
    return {
        "council_document_number": number,
        "committee_meeting_date": "2027-03-04",
        "council_meeting_date": "2027-03-18",
        "loaded_version": version_token(StrategyDraft.objects.get(pk=draft.pk)),
    }


def _consult(draft, users):
    return open_consultation(
        draft, users["coordinator"], timezone.localdate() + datetime.timedelta(days=14)
    )


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


def _post_step(step, client, draft, users):
    if step == "freeze":
        return client.post(reverse("drafts:freeze", args=[draft.pk]))
    if step == "details":
        return client.post(reverse("drafts:council_document", args=[draft.pk]), _details(draft))
    _consult(draft, users)
    return client.post(reverse("drafts:consultation_close", args=[draft.pk]))


@pytest.mark.parametrize("step", ["freeze", "details", "close"])
def test_each_step_queues_the_render_and_does_not_run_it(
    step, as_role, measures, draft, users, renders, django_capture_on_commit_callbacks
):
    if step != "freeze":
        freeze(draft, users["coordinator"], render=False)
        store_pdf(StrategyDraft.objects.get(pk=draft.pk), b"%PDF-fake first", 1)
    client = as_role("coordinator")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post_step(step, client, draft, users)
    assert response.status_code == 302
    assert renders == []  # nothing rendered in the request
    row = StrategyDraft.objects.get(pk=draft.pk)
    assert row.render_state == RenderState.QUEUED
    assert len(callbacks) >= 1
    page = client.get(reverse("drafts:detail", args=[draft.pk])).content.decode()
    assert "Die PDF-Datei wird erzeugt …" in page
    assert 'role="status" aria-live="polite"' in page
    assert (
        f'href="{reverse("drafts:detail", args=[draft.pk])}#pdf-titel">Stand aktualisieren' in page
    )
    # The queued task (a worker, later) renders and stores the file.
    for callback in callbacks:
        callback()
    row = StrategyDraft.objects.get(pk=draft.pk)
    assert row.render_state == RenderState.READY and len(renders) == 1
    page = client.get(reverse("drafts:detail", args=[draft.pk])).content.decode()
    assert "PDF herunterladen" in page and "Die PDF-Datei wird erzeugt" not in page


def test_the_consultation_page_shows_that_the_pdf_is_being_made(
    as_role, rendered, users, renders, django_capture_on_commit_callbacks
):
    client = as_role("coordinator")
    with django_capture_on_commit_callbacks(execute=False):
        response = _post_step("close", client, rendered, users)
    assert _messages(response) == [
        "Die Abstimmung ist abgeschlossen. Das PDF wird mit dem Ergebnis neu erzeugt."
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Die PDF-Datei des Entwurfs wird erzeugt" in page


def _rendering(draft):
    now = timezone.now()
    StrategyDraft.objects.filter(pk=draft.pk).update(
        render_state=RenderState.RENDERING, render_started_at=now, render_heartbeat_at=now
    )


@pytest.mark.parametrize("step", ["details", "close"])
def test_changed_data_queues_a_new_render_while_one_is_running(
    step, as_role, rendered, users, renders, django_capture_on_commit_callbacks
):
    _rendering(rendered)
    client = as_role("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_step(step, client, rendered, users)
    assert response.status_code == 302
    assert not any("bereits erzeugt" in m for m in _messages(response))
    row = StrategyDraft.objects.get(pk=rendered.pk)
    assert row.render_state == RenderState.READY and len(renders) == 1


def test_the_pdf_button_still_refuses_a_second_render_while_one_runs(as_role, rendered):
    _rendering(rendered)
    response = as_role("coordinator").post(reverse("drafts:render", args=[rendered.pk]))
    assert _messages(response) == ["Das PDF wird bereits erzeugt. Bitte warten Sie einen Moment."]


def test_an_older_render_never_overwrites_a_newer_one(rendered, monkeypatch):
    """Render A reads the old Vorlage number; meanwhile the number changes and render B starts
    and finishes. A, finishing last, throws its file away: B's stays."""
    calls = []

    def fake(generator):
        number = generator.object.council_document_number
        calls.append(number)
        if len(calls) == 1:
            StrategyDraft.objects.filter(pk=rendered.pk).update(council_document_number="NEU")
            assert tasks.render_draft_pdf(rendered.pk) is not None  # B
        return RenderedPDF(content=b"%PDF-fake " + number.encode(), pages=1)

    monkeypatch.setattr(pdf.DraftPDFGenerator, "render", fake)
    assert tasks.render_draft_pdf(rendered.pk) is None  # A: superseded
    assert calls == ["", "NEU"]
    row = StrategyDraft.objects.get(pk=rendered.pk)
    assert row.render_state == RenderState.READY
    with row.pdf.open("rb") as handle:
        assert handle.read() == b"%PDF-fake NEU"
    assert len(row.pdf.storage.listdir(row.pdf.name.rsplit("/", 1)[0])[1]) == 1


def test_a_render_queued_again_meanwhile_makes_the_running_ones_file_outdated(
    rendered, users, monkeypatch, django_capture_on_commit_callbacks
):
    from drafts.workflow import request_render

    def fake(generator):
        request_render(StrategyDraft.objects.get(pk=rendered.pk), users["coordinator"], True)
        return RenderedPDF(content=b"%PDF-fake outdated", pages=1)

    monkeypatch.setattr(pdf.DraftPDFGenerator, "render", fake)
    with django_capture_on_commit_callbacks(execute=False):
        assert tasks.render_draft_pdf(rendered.pk) is None
    row = StrategyDraft.objects.get(pk=rendered.pk)
    assert row.render_state == RenderState.QUEUED  # the new render comes
    with row.pdf.open("rb") as handle:
        assert handle.read() == b"%PDF-fake first"  # the outdated file was not stored


def test_a_failing_older_render_does_not_mark_a_newer_one_failed(rendered, monkeypatch):
    def fake(generator):  # a newer render starts, then this one fails
        StrategyDraft.objects.filter(pk=rendered.pk).update(render_started_at=timezone.now())
        raise OSError("Schriftart fehlt")

    monkeypatch.setattr(pdf.DraftPDFGenerator, "render", fake)
    assert tasks.render_draft_pdf(rendered.pk) is None
    row = StrategyDraft.objects.get(pk=rendered.pk)
    assert row.render_state == RenderState.RENDERING and row.render_error == ""
