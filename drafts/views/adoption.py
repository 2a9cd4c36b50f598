"""The adoption pages: which councils decide on a version, their Beratungsfolge, their
decisions (issue 20)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from municipalities import rules

from .. import adoption as service
from ..adoption_forms import AddBodyForm, ProcedureForm, StepFormSet, step_initial
from ..adoption_models import DecisionProcedure
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
    return render(
        request,
        "drafts/adoption.html",
        {
            "draft": draft,
            "rows": rows,
            "internal": internal,
            "keeps": keeps,
            "can_manage": manage,
            "add_form": AddBodyForm(bodies=service.addable_bodies(draft)) if manage else None,
            "adopted": sum(1 for row in rows if row.in_force),
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
