"""The adoption pages: which councils decide on a version, their Beratungsfolge, their
decisions (issue 20)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.http.multipartparser import MultiPartParser
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from municipalities import rules

from .. import adoption as service
from ..adoption_forms import (
    AddBodyForm,
    DecisionForm,
    ProcedureForm,
    StepFormSet,
    step_initial,
)
from ..adoption_models import CouncilDecision, DecisionProcedure
from ..body_changes import body_changes
from ..models import BodyDocumentFile, RenderState
from ..permissions import can_manage_drafts, visible_drafts
from ..workflow import DraftError


def _frozen_draft(request, pk):
    draft = get_object_or_404(visible_drafts(request.user).defer("snapshot"), pk=pk)
    if not draft.is_frozen:
        raise Http404("Ein Beschlussverfahren gibt es erst für eine eingefrorene Version.")
    return draft


def _procedure(request, pk, slug):
    draft = _frozen_draft(request, pk)
    procedure = get_object_or_404(
        DecisionProcedure.objects.select_related("municipality__parent", "draft"),
        draft=draft,
        municipality__slug=slug,
    )
    return draft, procedure


def adoption(request, pk):
    """The adoption overview of a version: who decides when, and what was decided."""
    draft = _frozen_draft(request, pk)
    manage = can_manage_drafts(request.user)
    rows = service.overview(draft)
    internal = rules.is_internal(request.user)
    keeps = {row.body.pk for row in rows if service.can_keep(request.user, row.body)}
    records = set()
    if draft.is_public:
        records = {row.body.pk for row in rows if service.may_record(request.user, row.body)}
    changes = body_changes(draft, [row.procedure for row in rows])
    return render(
        request,
        "drafts/adoption.html",
        {
            "draft": draft,
            "rows": rows,
            "internal": internal,
            "keeps": keeps,
            "records": records,
            "can_manage": manage,
            "add_form": AddBodyForm(bodies=service.addable_bodies(draft)) if manage else None,
            "adopted": sum(1 for row in rows if row.in_force),
            "change_rows": [(row.body, changes[row.body.pk]) for row in rows],
        },
    )


@login_required
@require_POST
def adoption_set_up(request, pk):
    draft = _frozen_draft(request, pk)
    try:
        created = service.set_up(draft, request.user)
    except DraftError as refusal:
        if not can_manage_drafts(request.user):
            raise PermissionDenied(str(refusal)) from refusal
        messages.error(request, str(refusal))
    else:
        if created:
            names = ", ".join(str(p.municipality) for p in created)
            messages.success(request, f"Beschlussverfahren angelegt für: {names}.")
        else:
            messages.info(request, "Alle Räte, die üblicherweise beschließen, sind schon dabei.")
    return redirect("drafts:adoption", pk=draft.pk)


@login_required
@require_POST
def adoption_add(request, pk):
    draft = _frozen_draft(request, pk)
    if not can_manage_drafts(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle legt fest, welche Räte beschließen.")
    form = AddBodyForm(request.POST, bodies=service.addable_bodies(draft))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["municipality"]))
        return redirect("drafts:adoption", pk=draft.pk)
    body = form.cleaned_data["municipality"]
    try:
        procedure = service.add_body(draft, request.user, body)
    except DraftError as refusal:
        messages.error(request, str(refusal))
        return redirect("drafts:adoption", pk=draft.pk)
    messages.success(
        request, f"{body} beschließt über diese Version. Bitte ergänzen Sie die Beratungsfolge."
    )
    return redirect(procedure)


@login_required
def procedure_remove(request, pk, slug):
    """GET: what removing means (a confirmation step); POST: remove."""
    draft, procedure = _procedure(request, pk, slug)
    if not can_manage_drafts(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle legt fest, welche Räte beschließen.")
    if request.method == "POST":
        try:
            service.remove_body(procedure, request.user)
        except DraftError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, f"{procedure.municipality} beschließt nicht mehr über diese Version."
            )
        return redirect("drafts:adoption", pk=draft.pk)
    return render(request, "drafts/adoption_remove.html", {"draft": draft, "procedure": procedure})


@login_required
def procedure_edit(request, pk, slug):
    """A body's Vorlage number, Beschlussvorschlag and Beratungsfolge."""
    draft, procedure = _procedure(request, pk, slug)
    body = procedure.municipality
    if not service.can_keep(request.user, body):
        raise PermissionDenied(f"Das Beschlussverfahren von {body} führen Sie nicht.")
    data = request.POST if request.method == "POST" else None
    form = ProcedureForm(data, instance=procedure)
    # Posted rows are compared with empty ones, never with the stored steps: an unchanged row
    # is still a step, not an empty extra row.
    initial = None if data is not None else step_initial(procedure.steps.all())
    steps = StepFormSet(data, initial=initial, prefix="schritte")
    conflict = None
    status = 200
    if data is not None:
        if form.is_valid() and steps.is_valid():
            try:
                with transaction.atomic():
                    current = DecisionProcedure.objects.select_for_update().get(pk=procedure.pk)
                    if form.is_stale(current):
                        conflict = form.conflict(current)
                    else:
                        service.save_procedure(
                            procedure,
                            request.user,
                            form.cleaned_data["document_number"],
                            form.cleaned_data["proposed_resolution"],
                            steps.steps(),
                        )
            except DraftError as refusal:
                messages.error(request, str(refusal))
                status = 400
            else:
                if conflict is None:
                    messages.success(request, f"Das Beschlussverfahren von {body} ist gespeichert.")
                    return redirect("drafts:adoption", pk=draft.pk)
                messages.error(
                    request,
                    "Jemand hat das Beschlussverfahren inzwischen geändert; Ihre Eingaben wurden "
                    "nicht gespeichert. Prüfen Sie sie und speichern Sie erneut.",
                )
                status = 409
        else:
            messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
            status = 400
    return render(
        request,
        "drafts/adoption_procedure_form.html",
        {
            "draft": draft,
            "procedure": procedure,
            "form": form,
            "steps": steps,
            "conflict": conflict,
            "can_manage": can_manage_drafts(request.user),
        },
        status=status,
    )


class _NameKeepingParser(MultiPartParser):
    """Django drops control characters from uploaded file names; a name that had any keeps a
    NUL in front, so the form refuses it (drafts.adoption.check_extract) instead of storing a
    file whose name was silently changed ("beschluss.php\\x00.pdf")."""

    def sanitize_file_name(self, file_name):
        cleaned = super().sanitize_file_name(file_name)
        if cleaned and any(not char.isprintable() for char in file_name):
            return "\x00" + cleaned
        return cleaned


def _parse_uploads_keeping_names(request):
    def parse(meta, post_data):
        parser = _NameKeepingParser(meta, post_data, request.upload_handlers, request.encoding)
        return parser.parse()

    request.parse_file_upload = parse


@csrf_exempt
def decision_record(request, pk, slug):
    """Record what the body's council decided, with the Beschlussauszug as PDF.

    The CSRF check runs here, after the upload parser is set (the middleware would parse the
    upload first, with Django's parser): exempt from the middleware, protected inside."""
    _parse_uploads_keeping_names(request)
    return _decision_record(request, pk, slug)


@csrf_protect
@login_required
def _decision_record(request, pk, slug):
    draft, procedure = _procedure(request, pk, slug)
    body = procedure.municipality
    if not service.may_record(request.user, body):
        raise PermissionDenied(f"Beschlüsse von {body} tragen Sie nicht ein.")
    form = DecisionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = service.record(
                    procedure,
                    request.user,
                    decided_on=data["decided_on"],
                    outcome=data["outcome"],
                    number=data["decision_number"],
                    changes=data["changes"],
                    extract=data["extract"],
                )
            except DraftError as refusal:
                messages.error(request, str(refusal))
                status = 400
            else:
                messages.success(
                    request,
                    f"Der Beschluss von {body} ist eingetragen: "
                    f"{decision.get_outcome_display()} am {decision.decided_on:%d.%m.%Y}.",
                )
                return redirect("drafts:adoption", pk=draft.pk)
        else:
            messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
            status = 400
    return render(
        request,
        "drafts/adoption_decision_form.html",
        {
            "draft": draft,
            "procedure": procedure,
            "form": form,
            "decisions": procedure.decisions.order_by("decided_on", "pk"),
        },
        status=status,
    )


def decision_extract(request, pk, slug, decision_pk):
    """The stored Beschlussauszug, for the internal users who see the version."""
    draft, procedure = _procedure(request, pk, slug)
    if not rules.is_internal(request.user):
        raise Http404("Beschlussauszüge sind nur angemeldet abrufbar.")
    decision = get_object_or_404(CouncilDecision, pk=decision_pk, procedure=procedure)
    if not decision.extract:
        raise Http404("Zu diesem Beschluss ist kein Auszug hinterlegt.")
    try:
        handle = decision.extract.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Die Datei des Beschlussauszugs fehlt.") from exc
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=bool(request.GET.get("download")),
        filename=f"beschlussauszug-{procedure.municipality.slug}-{decision.decided_on}.pdf",
    )
    response["X-Content-SHA256"] = decision.extract_sha256
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _vorlage(request, pk, slug):
    """(draft, procedure) of a body's Vorlage, for everyone allowed to see the version (the
    public only once it was presented); ``procedure.draft`` is the draft with its snapshot."""
    draft = get_object_or_404(visible_drafts(request.user), pk=pk)
    if not draft.is_frozen:
        raise Http404("Eine Vorlage gibt es erst für eine eingefrorene Version.")
    procedure = get_object_or_404(
        DecisionProcedure.objects.select_related("municipality__parent").prefetch_related("steps"),
        draft=draft,
        municipality__slug=slug,
    )
    procedure.draft = draft
    return draft, procedure


def _vorlage_filename(draft, slug, extension):
    label = "".join(c if c.isalnum() else "-" for c in draft.version_label).strip("-").lower()
    return f"beschlussvorlage-{slug}-{label or draft.pk}.{extension}"


def body_document(request, pk, slug):
    """The body's Beschlussvorlage as PDF, for everyone allowed to see the version (the public
    only once it was presented). Rendered in the background (drafts.body_rendering): while it
    is being made, a page says so (202) and offers to look again."""
    from ..body_rendering import current_key, request_render

    draft, procedure = _vorlage(request, pk, slug)
    if procedure.municipality.is_district:
        # The Kreistag's Vorlage is the version's own PDF, with every measure.
        return redirect("drafts:pdf", pk=draft.pk)
    key = current_key(procedure)
    document = BodyDocumentFile.objects.filter(procedure=procedure).first()
    if document is None or not document.ready_for(key):
        document = request_render(procedure, key)
    if document.ready_for(key):
        return _body_document_file(request, draft, slug, document)
    busy = document.render_state in (RenderState.QUEUED, RenderState.RENDERING)
    response = render(
        request,
        "drafts/body_document_status.html",
        {
            "draft": draft,
            "procedure": procedure,
            "body": procedure.municipality,
            "document": document,
            "busy": busy,
            "can_manage": can_manage_drafts(request.user),
        },
        status=202 if busy else 200,
    )
    response["X-Render-State"] = str(document.render_state)  # the value, not the enum member
    response["Cache-Control"] = "no-store"
    return response


def _body_document_file(request, draft, slug, document):
    try:
        handle = document.pdf.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Die PDF-Datei fehlt.") from exc
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=bool(request.GET.get("download")),
        filename=_vorlage_filename(draft, slug, "pdf"),
    )
    response["ETag"] = f'"{document.pdf_sha256}"'
    response["X-Content-SHA256"] = document.pdf_sha256
    response["X-Render-State"] = str(RenderState.READY)
    return response


@login_required
@require_POST
def body_document_render(request, pk, slug):
    """The coordinator starts a failed render of a body's Vorlage again."""
    from ..body_rendering import current_key, request_render

    if not can_manage_drafts(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle erzeugt Vorlagen erneut.")
    _draft, procedure = _vorlage(request, pk, slug)
    if procedure.municipality.is_district:
        return redirect("drafts:pdf", pk=pk)
    request_render(procedure, current_key(procedure), again=True)
    messages.success(request, "Die PDF-Datei der Vorlage wird erneut erzeugt.")
    return redirect("drafts:body_document", pk=pk, slug=slug)


def body_docx(request, pk, slug):
    """The text parts of the body's Vorlage (the Kreistag's too) as a Word file for the
    council information system; same audience as the PDF, which stays the document of record."""
    from ..body_docx import CONTENT_TYPE, vorlage_docx

    draft, procedure = _vorlage(request, pk, slug)
    response = HttpResponse(vorlage_docx(procedure), content_type=CONTENT_TYPE)
    filename = _vorlage_filename(draft, slug, "docx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
