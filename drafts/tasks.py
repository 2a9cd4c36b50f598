"""Celery task that renders a frozen strategy draft to its PDF."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone, translation

from .models import RenderState, StrategyDraft
from .pdf import DraftPDFGenerator
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


@shared_task(name="drafts.render_draft_pdf", acks_late=True)
def render_draft_pdf(draft_pk):
    """Render the PDF of a frozen draft. Tolerates a deleted draft; records failures."""
    translation.activate("de")
    draft = StrategyDraft.objects.filter(pk=draft_pk).first()
    if draft is None:
        logger.info("Strategy draft %s no longer exists; nothing to render.", draft_pk)
        return None
    if draft.snapshot is None:
        _fail(draft_pk, "Der Entwurf ist nicht eingefroren.")
        return None
    StrategyDraft.objects.filter(pk=draft_pk).update(
        render_state=RenderState.RENDERING, render_error="", updated_at=timezone.now()
    )
    try:
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
