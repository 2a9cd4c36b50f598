"""Large imports run in a Celery task: the check (preview) and the apply, with progress.

A file of more than SYNC_ROWS rows would hold a web worker for much longer than 5 s: every
row goes through the edit form (about 7 ms to check, 15 ms to save on the development
machine). The view stores the upload and queues ``measures.run_import``; the task checks or
applies it, stores the rendered outcome on the upload and reports progress through the
cache; the status page (measures:import_status) shows the progress, then the outcome.
Without Redis the task runs at once, as every task does.
"""

import logging

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import dispatch

from ..models import ImportState, MeasureImport
from .importer import apply_import, plan_import, read_upload
from .sheets import ExchangeFileError

logger = logging.getLogger(__name__)

# Up to this many rows (measures and partners) a file is checked and applied in the request.
SYNC_ROWS = 200
PROGRESS_LIFETIME = 6 * 3600
FAILED = (
    "Die Datei konnte wegen eines Fehlers im Portal nicht verarbeitet werden; es wurde nichts "
    "gespeichert. Bitte versuchen Sie es später erneut oder wenden Sie sich an die "
    "Koordinierungsstelle."
)


def file_measure_ids(plan):
    """The measures of an applied file's rows in the file's order (created ones with IDs)."""
    ids = {}
    for row in plan.rows:
        if row.measure is not None and row.measure.pk:
            ids.setdefault(row.measure.pk, None)
    return list(ids)


def queue(upload, state):
    """Mark ``upload`` (locked by the caller) as checked or applied in the background."""
    upload.state = state
    upload.result_html = ""
    upload.save(update_fields=["state", "result_html"])
    report_progress(upload.pk, "queued", 0, upload.rows)
    dispatch.on_commit("measures.run_import", upload.pk)


def progress_key(pk):
    return f"measures:import-progress:{pk}"


def report_progress(pk, step, done, total):
    try:
        cache.set(progress_key(pk), {"step": step, "done": done, "total": total}, PROGRESS_LIFETIME)
    except Exception:  # noqa: BLE001 - progress is shown for information only
        logger.warning("import %s: progress not stored (cache unavailable)", pk)


def read_progress(pk):
    try:
        return cache.get(progress_key(pk))
    except Exception:  # noqa: BLE001 - progress is shown for information only
        return None


def run(pk):
    """The task's work: check or apply the upload ``pk``, whichever its state asks for."""
    translation.activate("de")
    with transaction.atomic():
        upload = MeasureImport.objects.select_for_update().filter(pk=pk).first()
        if upload is None or upload.state not in (ImportState.CHECKING, ImportState.APPLYING):
            return None  # deleted, or done by an earlier delivery of this task
        applying = upload.state == ImportState.APPLYING
        try:
            with transaction.atomic():  # a savepoint: a failure rolls back the plan, not the row
                plan, error = _plan(upload, applying)
        except Exception:  # the page must not wait for ever; nothing was saved (rolled back)
            logger.exception("import %s: %s failed", pk, "apply" if applying else "check")
            plan, error = None, FAILED
        failed = bool(error or plan.errors)
        if applying:
            upload.state = ImportState.REFUSED if failed else ImportState.APPLIED
            upload.applied_at = None if failed else timezone.now()
            upload.data, upload.partners_data = b"", None
            upload.measure_ids = [] if failed else file_measure_ids(plan)
        else:
            confirmable = not failed and (plan.has_changes or plan.existing)
            upload.state = ImportState.READY if confirmable else ImportState.REFUSED
            upload.duplicates = 0 if failed else plan.existing
        upload.result_html = render_to_string(
            "measures/includes/exchange_outcome.html",
            {
                "plan": plan,
                "file_error": error,
                "filename": upload.filename,
                "applied": applying and not failed,
                "refused_on_apply": applying and failed,
                "upload": upload,
            },
        )
        upload.save()
    report_progress(pk, "done", upload.rows, upload.rows)
    return upload.state


def _plan(upload, applying):
    def progress(step, done, total):
        report_progress(upload.pk, step, done, total)

    try:
        tables = read_upload(
            upload.filename,
            bytes(upload.data),
            upload.partners_filename,
            bytes(upload.partners_data) if upload.partners_data is not None else None,
        )
    except ExchangeFileError as exc:
        return None, str(exc)
    if applying:
        plan = apply_import(
            user=upload.user,
            progress=progress,
            create_duplicates=upload.create_duplicates,
            **tables.plan_tables(),
        )
    else:
        plan = plan_import(user=upload.user, progress=progress, **tables.plan_tables())
    plan.notices = tables.notices + plan.notices
    return plan, None
