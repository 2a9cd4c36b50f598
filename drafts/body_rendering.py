"""Each body's Beschlussvorlage rendered in the background and served from storage.

The download (drafts:body_document) computes the Vorlage's HTML, which is quick, and compares
its hash with the stored file's: the same content is served at once; otherwise a render is
queued (once per content: a second request while it runs only waits) and the page says that
the file is being made. A failed render is not repeated by every visitor: it is shown with its
reason, and the coordinator starts it again; changed content is rendered anew on its own.

A render never overwrites a newer one: each render records its start on the row, and only the
render that started last (it read the newest data) stores its file.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import dispatch

from .adoption_models import DecisionProcedure
from .body_document import body_document_html, render_body_document
from .models import BodyDocumentFile, RenderState

logger = logging.getLogger(__name__)

RENDER_FAILED = (
    "Die PDF-Datei dieser Vorlage konnte nicht erzeugt werden ({reason}). Bitte erzeugen Sie "
    "sie erneut."
)
RENDER_NOT_QUEUED = (
    "Die PDF-Datei kann gerade nicht erzeugt werden, weil der Hintergrunddienst nicht "
    "erreichbar ist. Bitte versuchen Sie es in einigen Minuten noch einmal."
)


def content_key(html):
    return hashlib.sha256(html.encode()).hexdigest()


def current_key(procedure):
    """The hash of the Vorlage's HTML as the data stand now."""
    return content_key(body_document_html(procedure))


def document_of(procedure):
    return BodyDocumentFile.objects.get_or_create(procedure=procedure)[0]


@transaction.atomic
def request_render(procedure, key, again=False):
    """Queue the render of the content ``key`` unless it is stored, already queued or
    rendering, or failed for this content (``again``: the coordinator's new attempt).
    Returns the row."""
    document = document_of(procedure)
    document = BodyDocumentFile.objects.select_for_update().get(pk=document.pk)
    if document.ready_for(key) or document.render_is_busy:
        return document
    failed_here = document.render_state == RenderState.FAILED and document.html_sha256 == key
    if failed_here and document.render_error != RENDER_NOT_QUEUED and not again:
        return document  # shown with its reason; the coordinator starts it again
    document.html_sha256 = key
    document.render_state = RenderState.QUEUED
    document.render_error = ""
    document.requested_at = timezone.now()
    document.save(update_fields=["html_sha256", "render_state", "render_error", "requested_at"])
    pk = document.pk

    def not_queued(_error):
        BodyDocumentFile.objects.filter(pk=pk, render_state=RenderState.QUEUED).update(
            render_state=RenderState.FAILED, render_error=RENDER_NOT_QUEUED
        )

    dispatch.on_commit("drafts.render_body_document", procedure.pk, on_failure=not_queued)
    return document


def _procedure(procedure_pk):
    return (
        DecisionProcedure.objects.select_related("municipality__parent", "draft")
        .prefetch_related("steps")
        .filter(pk=procedure_pk)
        .first()
    )


def render(procedure_pk):
    """The task's work: render the Vorlage as the data stand now and store it, unless a newer
    render has started meanwhile. Tolerates a deleted procedure; records a failure."""
    procedure = _procedure(procedure_pk)
    if procedure is None or not procedure.draft.is_frozen:
        logger.info("Decision procedure %s is gone or not frozen; nothing to render.", procedure_pk)
        return None
    document = document_of(procedure)
    started = timezone.now()
    html = body_document_html(procedure)
    key = content_key(html)
    BodyDocumentFile.objects.filter(pk=document.pk).update(
        render_state=RenderState.RENDERING,
        render_error="",
        render_started_at=started,
        html_sha256=key,
    )
    try:
        content = render_body_document(procedure, html)
    except Exception as exc:
        logger.exception("Rendering the Vorlage of decision procedure %s failed", procedure_pk)
        reason = f"{exc.__class__.__name__}: {exc}"
        BodyDocumentFile.objects.filter(pk=document.pk, render_started_at=started).update(
            render_state=RenderState.FAILED, render_error=RENDER_FAILED.format(reason=reason)
        )
        return None
    return store(document, started, content, key)


def store(document, started, content, key):
    """Save the file under a name of its own, point the row at it only if this render is still
    the latest, then delete whichever file lost."""
    storage = document.pdf.storage
    slug = document.procedure.municipality.slug
    name = document.pdf.field.generate_filename(document, f"beschlussvorlage-{slug}-{key[:16]}.pdf")
    name = storage.save(name, ContentFile(content))
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        row = (
            BodyDocumentFile.objects.select_for_update()
            .filter(pk=document.pk, render_started_at=started)
            .first()
        )
        if row is not None:
            previous = row.pdf.name
            row.pdf.name = name
            row.pdf_sha256, row.pdf_size, row.pdf_html_sha256 = digest, len(content), key
            row.rendered_at = timezone.now()
            row.render_state, row.render_error = RenderState.READY, ""
            row.save(
                update_fields=[
                    "pdf",
                    "pdf_sha256",
                    "pdf_size",
                    "pdf_html_sha256",
                    "rendered_at",
                    "render_state",
                    "render_error",
                ]
            )
    if row is None:  # a newer render started (or the row is gone): its file wins
        storage.delete(name)
        return None
    if previous and previous != name:
        storage.delete(previous)
    return digest
