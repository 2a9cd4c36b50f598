"""A Celery worker inside the development server's process, for ``make run`` without Redis.

Without ``REDIS_URL`` Celery runs eagerly: a task queued after a commit runs right there, in
the request, so freezing a draft or closing an Abstimmung waited seconds for the PDF. The
development server (settings ``local``: ``WSGI_APPLICATION`` is
``strategy_portal.local_wsgi.application``, which calls :func:`start`) therefore switches its
own process to the in-memory broker and starts one worker thread that takes the tasks from it:
the page answers at once and shows the render state, as with a separate worker in production.
Management commands and the tests keep the eager mode (they load no WSGI application): a
command's tasks finish before it exits.

Queued tasks live in the process's memory: a restart of the development server (the
autoreloader after a code change) loses them; a render then shows as lost and can be started
again (drafts.rendering).
"""

import logging
import threading

logger = logging.getLogger(__name__)

_started = None
_lock = threading.Lock()


def start():
    """Start the worker thread once per process, if Celery is eager on the memory broker.

    Returns the thread, or None when a real broker is configured (``REDIS_URL``: run
    ``make worker``).
    """
    global _started
    from celery import current_app

    with _lock:
        if _started is not None:
            return _started
        conf = current_app.conf
        if not conf.task_always_eager or not str(conf.broker_url).startswith("memory://"):
            return None
        conf.task_always_eager = False
        worker = current_app.WorkController(
            app=current_app,
            concurrency=1,
            pool="solo",
            hostname="in-process@localhost",
            without_heartbeat=True,
            without_mingle=True,
            without_gossip=True,
        )
        _started = threading.Thread(target=worker.start, name="celery-in-process", daemon=True)
        _started.start()
        logger.info("Celery runs its tasks in a thread of this process (no REDIS_URL).")
        return _started
