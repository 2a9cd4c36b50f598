from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.locking import owned_fields
from core.pdf.stored import MissingFile, missing_page, open_stored
from measures.impact import financial_impact, impact_view
from measures.models import Measure, ReviewState

from .. import adoption, charts
from ..forms import CouncilDocumentForm, DecisionForm, DraftForm
from ..models import Consultation, DraftState, RenderState, StrategyDraft
from ..permissions import can_download_pdf, can_manage_drafts, visible_drafts
from ..presenting import pdf_size_text, presentation_plan
from ..rendering import refresh_lost_render
from ..snapshot import accepted_measure_count
from ..summary import summarise
from ..workflow import (
    RENDER_NOT_QUEUED,
    DraftError,
    freeze,
    previous_version,
    publish,
    record_decision,
    render_not_queued,
    request_render,
)


def _managed_draft(request, pk):
    if not can_manage_drafts(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle bearbeitet Strategieentwürfe.")
    return get_object_or_404(StrategyDraft, pk=pk)


# The snapshot of a large draft is several megabytes of JSON: only the detail page and the
# renderer read it, every other view defers it.


def draft_list(request):
    drafts = visible_drafts(request.user).defer("snapshot").order_by("-created_at", "-pk")
    return render(
        request,
        "drafts/draft_list.html",
        {"drafts": drafts, "can_manage": can_manage_drafts(request.user)},
    )


def draft_detail(request, pk):
    draft = get_object_or_404(
        visible_drafts(request.user).select_related("previous", "created_by"), pk=pk
    )
    refresh_lost_render(draft)
    return _detail_page(request, draft)


def _detail_page(request, draft, status=200, council_form=None, decision_form=None, conflict=None):
    """The draft's page; a refused form (``conflict``, see core.locking) is shown as typed."""
    manage = can_manage_drafts(request.user)
    snapshot = draft.snapshot or {}
    summary = summarise(snapshot) if draft.snapshot else None
    impact = impact_view(financial_impact(snapshot)) if draft.snapshot else None
    consultation = Consultation.objects.filter(draft=draft).first()
    return render(
        request,
        "drafts/draft_detail.html",
        {
            "draft": draft,
            "summary": summary,
            "impact": impact,
            "chart_status": charts.status_per_field(summary) if summary else "",
            "chart_budget": charts.budget_per_field(summary) if summary else "",
            "chart_status_narrow": charts.status_per_field_narrow(summary) if summary else "",
            "chart_budget_narrow": charts.budget_per_field_narrow(summary) if summary else "",
            "consultation": consultation,
            "adoption_rows": adoption.overview(draft) if draft.is_frozen else None,
            "consultation_answered": consultation.positions.count() if consultation else 0,
            "council_form": (
                (council_form or CouncilDocumentForm(instance=draft))
                if manage and draft.state == DraftState.FROZEN
                else None
            ),
            "conflict": conflict,
            "can_manage": manage,
            "measure_count": len(snapshot.get("measures", [])),
            "changes": snapshot.get("changes"),
            "intros": draft.field_introductions.select_related("field_of_action") if manage else [],
            "decision_form": (decision_form or DecisionForm(instance=draft)) if manage else None,
            "busy": draft.render_is_busy,
            "can_download": can_download_pdf(request.user, draft),
            "would_compare_with": previous_version(draft) if draft.is_editable else None,
        },
        status=status,
    )


@login_required
def draft_create(request):
    if not can_manage_drafts(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle legt Strategieentwürfe an.")
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = request.user
        draft = form.save()
        messages.success(request, f"Der Entwurf „{draft}“ wurde angelegt.")
        return redirect(draft)
    if request.method == "POST":
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(request, "drafts/draft_form.html", {"form": form})


@login_required
def draft_update(request, pk):
    draft = _managed_draft(request, pk)
    if not draft.is_editable:
        messages.error(request, "Ein eingefrorener Entwurf kann nicht mehr geändert werden.")
        return redirect(draft)
    form = DraftForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = _save_if_editable(form)
        if saved is True:
            messages.success(request, "Der Entwurf wurde gespeichert.")
            return redirect(draft)
        if saved is not False:
            # Saved by someone else meanwhile: show what is stored, keep what was typed.
            messages.error(request, "Der Entwurf wurde nicht gespeichert.")
            context = {"form": form, "draft": draft, "conflict": saved}
            return render(request, "drafts/draft_form.html", context, status=409)
        # Frozen between loading and saving: keep what was typed, save nothing.
        messages.error(
            request,
            "Der Entwurf wurde inzwischen eingefroren und kann nicht mehr geändert werden. "
            "Ihre Änderungen wurden nicht gespeichert; Ihre Eingaben stehen noch im Formular.",
        )
        return render(request, "drafts/draft_form.html", {"form": form, "draft": draft}, status=409)
    if request.method == "POST":
        messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    return render(request, "drafts/draft_form.html", {"form": form, "draft": draft})


def _save_if_editable(form):
    """Write the form's fields under the row lock: True when saved, False when the draft was
    frozen meanwhile, the conflict (``StaleCheckMixin.conflict``) when someone saved it."""
    current = StrategyDraft.objects.select_for_update().defer("snapshot").get(pk=form.instance.pk)
    if not current.is_editable:
        return False
    if form.is_stale(current):
        return form.conflict(current)
    draft = form.save(commit=False)
    draft.save(update_fields=owned_fields(form))
    form.save_introductions(draft)
    return True


def _step(request, pk, action, success, not_queued=""):
    """Run a workflow step and tell how it went. ``not_queued``: what to say when the step
    is done but the PDF render it requested could not be queued (the broker is away)."""
    draft = _managed_draft(request, pk)
    try:
        done = action(draft, request.user)
    except DraftError as refusal:
        messages.error(request, str(refusal))
    else:
        if render_not_queued(done):
            messages.error(request, not_queued + _previous_pdf_note(draft))
        else:
            messages.success(request, success)
    return redirect(draft)


def _previous_pdf_note(draft):
    ready = StrategyDraft.objects.filter(pk=draft.pk, render_state=RenderState.READY)
    return " Das bisherige PDF bleibt abrufbar." if ready.exclude(pdf="").exists() else ""


@login_required
def draft_freeze(request, pk):
    """GET: what freezing will do (a confirmation step); POST: freeze and queue the PDF."""
    if request.method == "POST":
        return _step(
            request,
            pk,
            freeze,
            "Der Entwurf ist eingefroren. Das PDF wird jetzt im Hintergrund erzeugt; den Stand "
            "sehen Sie unten auf dieser Seite.",
            not_queued=f"Der Entwurf ist eingefroren. {RENDER_NOT_QUEUED}",
        )
    draft = _managed_draft(request, pk)
    if draft.state != DraftState.EDITING:
        messages.error(request, "Dieser Entwurf ist bereits eingefroren.")
        return redirect(draft)
    return render(
        request,
        "drafts/draft_confirm_freeze.html",
        {
            "draft": draft,
            "measure_count": accepted_measure_count(),
            "pending_count": Measure.objects.filter(review_state=ReviewState.SUBMITTED).count(),
            "would_compare_with": previous_version(draft),
        },
    )


@login_required
@require_POST
def draft_render(request, pk):
    return _step(
        request,
        pk,
        request_render,
        "Das PDF wird im Hintergrund neu erzeugt.",
        not_queued=RENDER_NOT_QUEUED,
    )


@login_required
def draft_publish(request, pk):
    """GET: what presenting will do, whom it e-mails (a confirmation step); POST: present.

    A version without an Abstimmung needs the explicit checkbox ``ohne_abstimmung``.
    """
    draft = _managed_draft(request, pk)
    if draft.state != DraftState.FROZEN:
        messages.error(request, "Nur ein eingefrorener, noch nicht vorgelegter Entwurf.")
        return redirect(draft)
    consultation = Consultation.objects.filter(draft=draft).first()
    error = None
    if request.method == "POST":
        without = request.POST.get("ohne_abstimmung") == "1"
        try:
            publish(draft, request.user, without_consultation=without)
        except DraftError as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                "Der Entwurf wurde dem Kreistag vorgelegt und ist öffentlich abrufbar. "
                + presentation_plan().text(),
            )
            return redirect(draft)
    plan = presentation_plan()
    return render(
        request,
        "drafts/draft_confirm_publish.html",
        {
            "draft": draft,
            "measure_count": len((draft.snapshot or {}).get("measures", [])),
            "consultation": consultation,
            "plan": plan,
            "pdf_size": pdf_size_text(draft),
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def draft_council_document(request, pk):
    """Vorlage Nr. and meeting dates for the cover; the PDF is rendered again with them."""
    draft = _managed_draft(request, pk)
    if draft.state != DraftState.FROZEN:
        messages.error(request, "Die Angaben zur Vorlage lassen sich nur vor der Vorlage ändern.")
        return redirect(draft)
    form = CouncilDocumentForm(request.POST, instance=draft)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"Bitte prüfen Sie die Angaben zur Vorlage: {errors}")
        return redirect(draft)
    fields = ["council_document_number", "committee_meeting_date", "council_meeting_date"]
    with transaction.atomic():
        current = StrategyDraft.objects.select_for_update().defer("snapshot").get(pk=draft.pk)
        if current.state != DraftState.FROZEN:
            messages.error(
                request, "Die Angaben zur Vorlage lassen sich nur vor der Vorlage ändern."
            )
            return redirect(draft)
        if form.is_stale(current):
            conflict = form.conflict(current)
        else:
            conflict = None
            StrategyDraft.objects.filter(pk=draft.pk).update(
                **{name: form.cleaned_data[name] for name in fields}, updated_at=timezone.now()
            )
    if conflict is not None:
        messages.error(request, "Die Angaben zur Vorlage wurden nicht gespeichert.")
        return _detail_page(request, current, status=409, council_form=form, conflict=conflict)
    try:
        # Supersede: a render still running shows the old details; its file is thrown away.
        queued = request_render(draft, request.user, supersede=True)
    except DraftError as refusal:
        messages.warning(request, f"Die Angaben zur Vorlage sind gespeichert. {refusal}")
    else:
        if render_not_queued(queued):
            messages.warning(
                request,
                f"Die Angaben zur Vorlage sind gespeichert. {RENDER_NOT_QUEUED}"
                + _previous_pdf_note(draft),
            )
            return redirect(draft)
        messages.success(
            request, "Die Angaben zur Vorlage sind gespeichert; das PDF wird neu erzeugt."
        )
    return redirect(draft)


@login_required
@require_POST
def draft_decision(request, pk):
    draft = _managed_draft(request, pk)
    form = DecisionForm(request.POST, instance=draft)
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"Bitte prüfen Sie die Angaben zum Beschluss: {errors}")
        return redirect(draft)
    try:
        with transaction.atomic():
            current = StrategyDraft.objects.select_for_update().defer("snapshot").get(pk=draft.pk)
            conflict = form.conflict(current) if form.is_stale(current) else None
            if conflict is None:
                record_decision(
                    draft,
                    request.user,
                    form.cleaned_data["decision_date"],
                    form.cleaned_data["drucksache_number"],
                )
    except DraftError as refusal:
        messages.error(request, str(refusal))
    else:
        if conflict is not None:
            messages.error(request, "Der Beschluss wurde nicht gespeichert.")
            return _detail_page(request, current, status=409, decision_form=form, conflict=conflict)
        messages.success(request, "Der Beschluss des Kreistags wurde eingetragen.")
    return redirect(draft)


def draft_status(request, pk):
    """Render state as JSON, for the page that waits for the PDF (polled every 3 s)."""
    draft = refresh_lost_render(
        get_object_or_404(visible_drafts(request.user).defer("snapshot"), pk=pk)
    )
    return JsonResponse(
        {
            "render_state": draft.render_state,
            "label": draft.get_render_state_display(),
            "error": draft.render_error if can_manage_drafts(request.user) else "",
        }
    )


def draft_pdf(request, pk):
    """The stored PDF file; ``?download=1`` sends it as an attachment."""
    draft = get_object_or_404(visible_drafts(request.user).defer("snapshot"), pk=pk)
    if not can_download_pdf(request.user, draft):
        raise Http404("Für diesen Entwurf gibt es noch kein PDF.")
    try:
        handle = open_stored(draft.pdf)
    except MissingFile as missing:
        return missing_page(request, missing)
    response = FileResponse(
        handle,
        content_type="application/pdf",
        as_attachment=bool(request.GET.get("download")),
        filename=draft.pdf_filename,
    )
    response["ETag"] = f'"{draft.pdf_sha256}"'
    response["X-Content-SHA256"] = draft.pdf_sha256
    return response
