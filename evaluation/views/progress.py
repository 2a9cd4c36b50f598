"""Sachstand: dated progress notes of a measure, written by the bodies that answer for it, or
by the coordinator on the lead body's behalf with the source it relies on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from measures.permissions import visible_measures

from .. import permissions
from ..forms import ProgressNoteForm
from ..models import ProgressNote


@login_required
def progress_create(request, measure_pk):
    measure = get_object_or_404(
        visible_measures(request.user).select_related("lead_municipality__parent"), pk=measure_pk
    )
    on_behalf = permissions.can_write_progress_on_behalf(request.user, measure)
    if not on_behalf and not permissions.can_write_progress(request.user, measure):
        raise PermissionDenied(
            "Einen Sachstand schreiben nur die Kommune, die die Maßnahme federführend "
            "umsetzt, und ihre Samtgemeinde; die Koordinierungsstelle trägt ihn mit Quelle "
            "in ihrem Auftrag ein."
        )
    form = ProgressNoteForm(
        request.POST or None,
        measure=measure,
        on_behalf=on_behalf,
        instance=ProgressNote(measure=measure, written_by=request.user),
    )
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(
                request,
                f"Der Sachstand für {measure.lead_municipality.label_with_kind} wurde mit "
                "seiner Quelle gespeichert."
                if on_behalf
                else "Der Sachstand wurde gespeichert.",
            )
            return redirect(measure.get_absolute_url() + "#verlauf")
        messages.error(
            request, "Bitte prüfen Sie die markierten Angaben. Nichts wurde gespeichert."
        )
    return render(
        request,
        "evaluation/progress_form.html",
        {"form": form, "measure": measure, "on_behalf": on_behalf},
    )
