"""The render task: eager mode, failures with reason and retry, deletion, a real worker."""

import time

import pytest
from django.core.management import call_command

from drafts import pdf, tasks
from drafts.models import RenderState, StrategyDraft
from drafts.workflow import DraftError, freeze, request_render

pytestmark = pytest.mark.django_db


def test_freeze_queues_render_after_commit_and_eager_task_renders(
    measures, draft, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        freeze(draft, users["coordinator"])
    draft.refresh_from_db()
    assert draft.render_state == RenderState.QUEUED  # nothing rendered before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    draft.refresh_from_db()
    assert draft.render_state == RenderState.READY
    assert len(draft.pdf_sha256) == 64 and draft.pdf_pages > 6


def test_failure_is_recorded_with_reason_and_retry_works(
    measures, draft, users, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(self, html=None):
        raise OSError("Schriftart nicht gefunden")

    monkeypatch.setattr(pdf.DraftPDFGenerator, "render", broken)
    with django_capture_on_commit_callbacks(execute=True):
        freeze(draft, users["coordinator"])
    draft.refresh_from_db()
    assert draft.render_state == RenderState.FAILED
    assert "Schriftart nicht gefunden" in draft.render_error
    assert not draft.pdf
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        request_render(draft, users["coordinator"])
    draft.refresh_from_db()
    assert draft.render_state == RenderState.READY and draft.render_error == ""


def test_render_cannot_be_queued_twice_or_by_others(measures, draft, users):
    freeze(draft, users["coordinator"])
    with pytest.raises(DraftError, match="bereits erzeugt"):
        request_render(draft, users["coordinator"])
    StrategyDraft.objects.filter(pk=draft.pk).update(render_state=RenderState.FAILED)
    with pytest.raises(DraftError, match="Koordinierungsstelle"):
        request_render(draft, users["council"])


def test_task_tolerates_deleted_and_unfrozen_drafts(draft):
    assert tasks.render_draft_pdf(987654) is None
    assert tasks.render_draft_pdf(draft.pk) is None
    draft.refresh_from_db()
    assert draft.render_state == RenderState.FAILED


def test_task_has_explicit_name_and_acks_late():
    assert tasks.render_draft_pdf.name == "drafts.render_draft_pdf"
    assert tasks.render_draft_pdf.acks_late is True


def test_build_draft_command_prints_pdf_path(measures, users, capsys):
    call_command("build_draft", "Interkommunale Digitalisierungsstrategie")
    path = capsys.readouterr().out.strip()
    draft = StrategyDraft.objects.get()
    assert path == draft.pdf.path and path.endswith(".pdf")
    assert draft.render_state == RenderState.READY and draft.is_frozen
    assert draft.version_label == "Entwurf 1"
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


@pytest.mark.celery_worker
def test_render_through_a_real_worker(live_worker, measures, draft, users):
    """.ci/run starts a worker on Redis against the test database; the task runs there."""
    freeze(draft, users["coordinator"])  # transactional_db: on_commit fires at once
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        draft.refresh_from_db()
        if draft.render_state in (RenderState.READY, RenderState.FAILED):
            break
        time.sleep(0.5)
    assert draft.render_state == RenderState.READY, draft.render_error
    assert len(draft.pdf_sha256) == 64


def test_a_queued_render_waiting_longer_than_the_visibility_timeout_can_be_retried(
    measures, draft, users
):
    import datetime

    from django.utils import timezone

    freeze(draft, users["coordinator"])
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    StrategyDraft.objects.filter(pk=draft.pk).update(
        render_state=RenderState.QUEUED, updated_at=long_ago
    )
    draft.refresh_from_db()
    assert not draft.render_is_busy
    request_render(draft, users["coordinator"])
    draft.refresh_from_db()
    assert draft.render_state == RenderState.QUEUED
