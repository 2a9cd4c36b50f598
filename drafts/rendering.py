"""A PDF render's heartbeat, and recognising a render whose worker died.

Killing a worker (or its pool process) during a render leaves no error behind: the task just
stops. So the render writes ``render_heartbeat_at`` every ``DRAFTS_RENDER_HEARTBEAT_SECONDS``
from a small thread; a draft ``rendering`` without a heartbeat for
``DRAFTS_RENDER_STALE_SECONDS`` has lost its worker. It is then marked failed with a reason
(by the page that shows it and by a beat task every 30 seconds), and the coordinator can start
the render again at once.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Q
from django.utils import timezone

from .models import RenderState, StrategyDraft

logger = logging.getLogger(__name__)

LOST_RENDER_ERROR = (
    "Die Erzeugung des PDF wurde abgebrochen, weil der Hintergrunddienst währenddessen "
    "ausgefallen ist. Bitte erzeugen Sie das PDF erneut."
)


class RenderHeartbeat:
    """Context manager: a daemon thread writes the heartbeat of one draft while a render runs.

    The thread uses its own database connection and closes it when it stops. Writing is one
    UPDATE on the draft's row; a failed write is logged and tried again at the next beat.
    """

    def __init__(self, draft_pk, interval=None):
        self.draft_pk = draft_pk
        self.interval = interval or settings.DRAFTS_RENDER_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"render-heartbeat-{draft_pk}", daemon=True
        )

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        # Why a bounded join: the render's result must not wait for a beat stuck on a lock.
        self._thread.join(timeout=self.interval)
        return False

    def beat(self):
        return StrategyDraft.objects.filter(
            pk=self.draft_pk, render_state=RenderState.RENDERING
        ).update(render_heartbeat_at=timezone.now())

    def _run(self):
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.beat()
                except DatabaseError:
                    logger.warning(
                        "Heartbeat of draft %s not written", self.draft_pk, exc_info=True
                    )
        finally:
            connection.close()


def lost_renders():
    """Drafts still ``rendering`` whose heartbeat (or start) is older than the stale limit."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.DRAFTS_RENDER_STALE_SECONDS)
    return StrategyDraft.objects.filter(render_state=RenderState.RENDERING).filter(
        Q(render_heartbeat_at__lt=cutoff)
        | Q(render_heartbeat_at__isnull=True, render_started_at__lt=cutoff)
        | Q(render_heartbeat_at__isnull=True, render_started_at__isnull=True, updated_at__lt=cutoff)
    )


def mark_lost_renders(pk=None):
    """Record lost renders as failed with the reason; return how many there were.

    One conditional UPDATE: a render that wrote its heartbeat or finished meanwhile is left
    alone, and a message redelivered to a new worker simply starts the render again.
    """
    drafts = lost_renders()
    if pk is not None:
        drafts = drafts.filter(pk=pk)
    count = drafts.update(render_state=RenderState.FAILED, render_error=LOST_RENDER_ERROR)
    if count:
        logger.warning("%d PDF render(s) lost their worker; marked as failed.", count)
    return count


def refresh_lost_render(draft):
    """For a loaded draft: mark it failed if its render was lost (no query otherwise)."""
    if draft.render_lost and mark_lost_renders(draft.pk):
        draft.render_state = RenderState.FAILED
        draft.render_error = LOST_RENDER_ERROR
    return draft
