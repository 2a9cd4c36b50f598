"""Celery tasks that render a frozen strategy draft to its PDF and find lost renders."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from .models import RenderState, StrategyDraft
from .pdf import DraftPDFGenerator
from .rendering import RenderHeartbeat, mark_lost_renders
from .workflow import store_pdf

logger = logging.getLogger(__name__)


def _fail(draft_pk, reason):
    StrategyDraft.objects.filter(pk=draft_pk).update(
        render_state=RenderState.FAILED, render_error=reason
    )


def render_now(draft):
    """Render synchronously and store the file; used by the task and by build_draft."""
    result = DraftPDFGenerator(draft).render()
    return store_pdf(draft, result.content, result.pages)


def _already_rendered(draft, requested_at):
    """A redelivered message whose render another delivery has finished since."""
    requested = parse_datetime(requested_at) if requested_at else None
    return bool(
        requested
        and draft.render_state == RenderState.READY
        and draft.rendered_at
        and draft.rendered_at >= requested
    )


@shared_task(
    name="drafts.render_draft_pdf",
    acks_late=True,
    # Why: a pool process killed mid-render puts the message back at once (not acked as failed).
    reject_on_worker_lost=True,
)
def render_draft_pdf(draft_pk, requested_at=None):
    """Render the PDF of a frozen draft. Tolerates a deleted draft; records failures.

    ``requested_at`` (ISO time of the request) lets a redelivered message skip a render that
    has been done since. While rendering, a heartbeat shows that the worker is alive.
    """
    translation.activate("de")
    draft = StrategyDraft.objects.filter(pk=draft_pk).first()
    if draft is None:
        logger.info("Strategy draft %s no longer exists; nothing to render.", draft_pk)
        return None
    if draft.snapshot is None:
        _fail(draft_pk, "Der Entwurf ist nicht eingefroren.")
        return None
    if _already_rendered(draft, requested_at):
        logger.info("Strategy draft %s was rendered since this request.", draft_pk)
        return draft.pdf_sha256
    now = timezone.now()
    StrategyDraft.objects.filter(pk=draft_pk).update(
        render_state=RenderState.RENDERING,
        render_error="",
        updated_at=now,
        render_started_at=now,
        render_heartbeat_at=now,
    )
    try:
        with RenderHeartbeat(draft_pk):
            draft = render_now(draft)
    except SoftTimeLimitExceeded:
        _fail(draft_pk, "Zeitlimit überschritten: Die Erzeugung des PDF dauerte zu lange.")
        return None
    except Exception as exc:
        logger.exception("Rendering strategy draft %s failed", draft_pk)
        _fail(
            draft_pk, f"Die Erzeugung des PDF ist fehlgeschlagen ({exc.__class__.__name__}: {exc})."
        )
        return None
    return draft.pdf_sha256


@shared_task(name="drafts.detect_lost_renders", acks_late=True, time_limit=60)
def detect_lost_renders_task():
    """Beat entry point: record renders whose worker died as failed, so they can be retried."""
    return mark_lost_renders()
