"""A render whose worker died is recognised within a minute and can be retried at once.

Issue 7: a pool process killed during a render left the draft "wird erzeugt" for 11 minutes,
with no error recorded, refusing a new render and the publication.
"""

import datetime
import threading
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from drafts import rendering, tasks
from drafts.models import RenderState, StrategyDraft
from drafts.workflow import DraftError, freeze, request_render
from strategy_portal.celery import app

pytestmark = pytest.mark.django_db


def rendering_since(draft, seconds):
    """Put the draft in 'rendering' with its last heartbeat ``seconds`` ago."""
    beat = timezone.now() - datetime.timedelta(seconds=seconds)
    StrategyDraft.objects.filter(pk=draft.pk).update(
        render_state=RenderState.RENDERING,
        render_started_at=beat - datetime.timedelta(seconds=30),
        render_heartbeat_at=beat,
        updated_at=beat - datetime.timedelta(seconds=30),
    )
    draft.refresh_from_db()
    return draft


@pytest.fixture
def frozen(measures, draft, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        freeze(draft, users["coordinator"])
    draft.refresh_from_db()
    assert draft.render_state == RenderState.READY
    return draft


def test_render_without_heartbeat_for_a_minute_is_lost_and_can_be_retried(
    frozen, users, django_capture_on_commit_callbacks
):
    draft = rendering_since(frozen, 61)
    assert draft.render_lost and not draft.render_is_busy
    with django_capture_on_commit_callbacks(execute=True):
        request_render(draft, users["coordinator"])  # no "wird bereits erzeugt"
    draft.refresh_from_db()
    assert draft.render_state == RenderState.READY  # eager: rendered again at once


def test_render_with_a_recent_heartbeat_is_busy(frozen, users):
    draft = rendering_since(frozen, 20)
    assert draft.render_is_busy and not draft.render_lost
    with pytest.raises(DraftError, match="bereits erzeugt"):
        request_render(draft, users["coordinator"])


def test_lost_render_is_recorded_with_reason_on_the_page_with_a_retry_button(
    frozen, as_role, django_capture_on_commit_callbacks
):
    rendering_since(frozen, 90)
    client = as_role("coordinator")
    response = client.get(reverse("drafts:detail", args=[frozen.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "ausgefallen" in content
    assert "Erneut versuchen" in content
    assert reverse("drafts:render", args=[frozen.pk]) in content
    frozen.refresh_from_db()
    assert frozen.render_state == RenderState.FAILED
    assert frozen.render_error == rendering.LOST_RENDER_ERROR
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("drafts:render", args=[frozen.pk]))
    assert response.status_code == 302
    frozen.refresh_from_db()
    assert frozen.render_state == RenderState.READY


def test_status_poll_reports_a_lost_render_as_failed(frozen, as_role):
    rendering_since(frozen, 75)
    data = as_role("coordinator").get(reverse("drafts:status", args=[frozen.pk])).json()
    assert data["render_state"] == RenderState.FAILED
    assert "ausgefallen" in data["error"]


def test_beat_task_marks_only_lost_renders(frozen, users):
    lost = rendering_since(frozen, 120)
    other = StrategyDraft.objects.create(
        title="Fortschreibung",
        version_label="Entwurf 2",
        resolution_date=datetime.date(2026, 6, 18),
        created_by=users["coordinator"],
    )
    alive = rendering_since(other, 5)
    assert tasks.detect_lost_renders_task() == 1
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.render_state == RenderState.FAILED
    assert alive.render_state == RenderState.RENDERING


def test_beat_schedule_runs_the_sweep_every_half_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["drafts-detect-lost-renders"]
    assert entry["task"] == tasks.detect_lost_renders_task.name
    assert entry["schedule"] <= 30
    assert settings.DRAFTS_RENDER_STALE_SECONDS <= 60


def test_redelivered_message_skips_a_render_done_since_the_request(frozen):
    requested = (frozen.rendered_at - datetime.timedelta(seconds=5)).isoformat()
    sha = frozen.pdf_sha256
    rendered_at = frozen.rendered_at
    assert tasks.render_draft_pdf(frozen.pk, requested) == sha
    frozen.refresh_from_db()
    assert frozen.rendered_at == rendered_at  # not rendered a second time
    # A newer request renders again.
    later = (timezone.now() + datetime.timedelta(seconds=1)).isoformat()
    assert tasks.render_draft_pdf(frozen.pk, later) == sha
    frozen.refresh_from_db()
    assert frozen.rendered_at > rendered_at


def test_render_task_survives_a_dead_worker():
    task = tasks.render_draft_pdf
    assert task.acks_late is True
    assert task.reject_on_worker_lost is True


def test_visibility_timeout_is_set_above_every_time_limit(settings):
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout == settings.CELERY_VISIBILITY_TIMEOUT
    assert timeout < 3600  # Redis's default of one hour lost tasks for that long
    limits = [settings.CELERY_TASK_TIME_LIMIT, settings.EVALUATION_GATHER_TIME_LIMIT]
    assert timeout > max(limits)
    from evaluation.tasks import gather_indicator_task

    assert gather_indicator_task.time_limit == settings.EVALUATION_GATHER_TIME_LIMIT
    assert gather_indicator_task.time_limit < timeout


@pytest.mark.django_db(transaction=True)
def test_heartbeat_thread_writes_while_the_render_runs(draft):
    StrategyDraft.objects.filter(pk=draft.pk).update(render_state=RenderState.RENDERING)
    with rendering.RenderHeartbeat(draft.pk, interval=0.05) as heartbeat:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            draft.refresh_from_db()
            if draft.render_heartbeat_at is not None:
                break
            time.sleep(0.05)
    assert draft.render_heartbeat_at is not None
    heartbeat._thread.join(timeout=5)  # a beat under way when the render ended may finish
    assert not heartbeat._thread.is_alive()
    draft.refresh_from_db()  # a beat may have landed between the read above and the stop
    first = draft.render_heartbeat_at
    time.sleep(0.2)  # stopped: no further beats
    draft.refresh_from_db()
    assert draft.render_heartbeat_at == first


def test_heartbeat_does_not_revive_a_finished_render(draft):
    StrategyDraft.objects.filter(pk=draft.pk).update(render_state=RenderState.READY)
    assert rendering.RenderHeartbeat(draft.pk).beat() == 0


def test_a_render_records_its_start_and_heartbeat(frozen, monkeypatch):
    seen = {}
    original = tasks.render_now

    def spy(draft, started=None):
        row = StrategyDraft.objects.get(pk=draft.pk)
        seen.update(state=row.render_state, started=row.render_started_at)
        seen["passed"] = started
        seen["thread"] = any(
            t.name == f"render-heartbeat-{draft.pk}" for t in threading.enumerate()
        )
        return original(draft, started=started)

    monkeypatch.setattr(tasks, "render_now", spy)
    tasks.render_draft_pdf(frozen.pk)
    assert seen["state"] == RenderState.RENDERING
    assert seen["started"] is not None
    assert seen["passed"] == seen["started"]  # the render stores only while it is the latest
    assert seen["thread"] is True
