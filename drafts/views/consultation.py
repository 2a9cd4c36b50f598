"""The Abstimmung pages: status for everyone allowed, the position form for editors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from municipalities import rules

from .. import consultation as service
from ..forms import ConsultationOpenForm, PositionForm, RemarkFormSet
from ..models import Consultation, DraftState, StrategyDraft
from ..permissions import can_manage_drafts, visible_drafts
from ..workflow import RENDER_NOT_QUEUED, DraftError, render_not_queued


def _visible_consultation(request, pk):
    """The draft and its consultation, if this user may see it (else 404)."""
    draft = get_object_or_404(visible_drafts(request.user), pk=pk)
    consultation = Consultation.objects.filter(draft=draft).first()
    if consultation is None:
        raise Http404("Zu diesem Entwurf gibt es keine Abstimmung.")
    return draft, consultation


def _measure_choices(draft):
    return [
        (pk, f"{reference} {title}"[:120])
        for pk, (reference, title) in sorted(service.measure_titles(draft).items())
    ]


def _table(rows, titles):
    """(body, position, [(reference, title, remark)]) for the status table."""
    table = []
    for body, position in rows:
        remarks = [
            (*titles.get(r.measure_id, ("", "Maßnahme entfernt")), r.text)
            for r in (position.remarks.all() if position else [])
        ]
        table.append((body, position, remarks))
    return table


def consultation_detail(request, pk):
    draft, consultation = _visible_consultation(request, pk)
    internal = rules.is_internal(request.user)
    if not internal and draft.state not in (DraftState.PUBLISHED, DraftState.DECIDED):
        raise Http404("Die Stellungnahmen werden mit der Vorlage an den Kreistag öffentlich.")
    rows = service.status_rows(consultation)
    own_bodies = list(service.answerable_bodies(request.user, consultation))
    selected = None
    position_form = remark_formset = None
    open_for_answers = consultation.accepts_positions()
    if own_bodies and open_for_answers:
        chosen = request.POST.get("municipality") or request.GET.get("kommune")
        selected = next((b for b in own_bodies if str(b.pk) == str(chosen)), None)
        if selected is None and chosen:
            raise PermissionDenied("Für diese Kommune dürfen Sie keine Stellungnahme abgeben.")
        selected = selected or own_bodies[0]
        current = next((p for body, p in rows if body.pk == selected.pk), None)
        initial = {"stance": current.stance, "text": current.text} if current else None
        remarks = [
            {"measure": r.measure_id, "text": r.text}
            for r in (current.remarks.all() if current else [])
        ]
        data = request.POST if request.method == "POST" else None
        position_form = PositionForm(data, initial=initial)
        remark_formset = RemarkFormSet(
            data,
            initial=remarks,
            prefix="remarks",
            form_kwargs={"measure_choices": _measure_choices(draft)},
        )
        if data is not None and position_form.is_valid() and remark_formset.is_valid():
            try:
                service.submit_position(
                    consultation,
                    request.user,
                    selected,
                    position_form.cleaned_data["stance"],
                    position_form.cleaned_data["text"].strip(),
                    remark_formset.remarks(),
                )
            except DraftError as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request,
                    f"Die Stellungnahme für {selected} ist gespeichert. Sie können sie bis zum "
                    f"Ende der Frist ändern.",
                )
                return redirect(f"{request.path}?kommune={selected.pk}")
        elif data is not None:
            messages.error(request, "Bitte prüfen Sie die markierten Angaben.")
    elif request.method == "POST":
        if not own_bodies:
            raise PermissionDenied("Sie dürfen keine Stellungnahme abgeben.")
        messages.error(
            request,
            "Die Abstimmung ist abgeschlossen oder die Frist ist abgelaufen; Stellungnahmen "
            "können nicht mehr geändert werden.",
        )
        return redirect(request.path)
    return render(
        request,
        "drafts/consultation.html",
        {
            "draft": draft,
            "consultation": consultation,
            "rows": rows,
            "counts": service.counts(rows),
            "answered": sum(1 for _, p in rows if p),
            "internal": internal,
            "can_manage": can_manage_drafts(request.user),
            "own_bodies": own_bodies,
            "selected": selected,
            "position_form": position_form,
            "remark_formset": remark_formset,
            "open_for_answers": open_for_answers,
            "table": _table(rows, service.measure_titles(draft)),
        },
    )


@login_required
def consultation_open(request, pk):
    if not can_manage_drafts(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle eröffnet eine Abstimmung.")
    draft = get_object_or_404(StrategyDraft.objects.defer("snapshot"), pk=pk)
    form = ConsultationOpenForm(
        request.POST or None, initial={"deadline": service.default_deadline()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.open_consultation(draft, request.user, form.cleaned_data["deadline"])
        except DraftError as refusal:
            messages.error(request, str(refusal))
            return redirect(draft)
        messages.success(
            request, "Die Abstimmung ist eröffnet; die Kommunen werden per E-Mail benachrichtigt."
        )
        return redirect("drafts:consultation", pk=draft.pk)
    return render(
        request,
        "drafts/consultation_open.html",
        {"draft": draft, "form": form, "body_count": service.consulted_bodies().count()},
    )


@login_required
def consultation_close(request, pk):
    if not can_manage_drafts(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle schließt eine Abstimmung ab.")
    draft, consultation = _visible_consultation(request, pk)
    if request.method == "POST":
        try:
            closed = service.close(consultation, request.user)
        except DraftError as refusal:
            messages.error(request, str(refusal))
        else:
            if render_not_queued(closed):
                messages.warning(request, f"Die Abstimmung ist abgeschlossen. {RENDER_NOT_QUEUED}")
            else:
                messages.success(
                    request,
                    "Die Abstimmung ist abgeschlossen. Das PDF wird mit dem Ergebnis neu erzeugt.",
                )
        return redirect("drafts:consultation", pk=draft.pk)
    rows = service.status_rows(consultation)
    return render(
        request,
        "drafts/consultation_close.html",
        {
            "draft": draft,
            "consultation": consultation,
            "missing": [body for body, p in rows if p is None],
            "answered": sum(1 for _, p in rows if p),
            "total": len(rows),
        },
    )
