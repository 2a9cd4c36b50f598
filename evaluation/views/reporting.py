"""Berichtsrunden: the coordinator opens one, the bodies write their Sachstand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from core import dispatch

from .. import permissions
from ..forms import ReportingRoundForm
from ..models import ReportingRound
from ..reporting import completeness, window


def _readable(request):
    if not permissions.can_read_reporting(request.user):
        raise PermissionDenied(
            "Berichtsrunden sehen die Koordinierungsstelle, der Kreistag und die Redaktionen "
            "der Kommunen."
        )


@login_required
def reporting_round_list(request):
    can_manage = permissions.can_manage_rounds(request.user)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied("Nur die Koordinierungsstelle eröffnet Berichtsrunden.")
    _readable(request)
    form = ReportingRoundForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form.is_valid():
            reporting_round = form.save(commit=False)
            reporting_round.opened_by = request.user
            with transaction.atomic():
                reporting_round.save()
                dispatch.on_commit("evaluation.send_reporting_round_opened", reporting_round.pk)
            messages.success(
                request,
                f"Die Berichtsrunde „{reporting_round.title}“ ist eröffnet. Die Kommunen, die "
                "aktive Maßnahmen federführend umsetzen, erhalten eine E-Mail.",
            )
            return redirect(reporting_round)
        messages.error(
            request, "Bitte prüfen Sie die markierten Angaben. Nichts wurde gespeichert."
        )
    return render(
        request,
        "evaluation/reporting_round_list.html",
        {
            "rounds": ReportingRound.objects.all()[:30],
            "form": form,
            "can_manage": can_manage,
            "can_read_reports": permissions.can_read_all_reporting(request.user),
        },
    )


@login_required
def reporting_round_detail(request, pk):
    """Completeness per body: everyone's for the coordinator and the Kreistag, an editor's own
    bodies' for an editor."""
    _readable(request)
    reporting_round = get_object_or_404(ReportingRound, pk=pk)
    everyone = permissions.can_read_all_reporting(request.user)
    measures = None if everyone else permissions.progress_measures(request.user)
    bodies = list(completeness(reporting_round, measures).values())
    due = sum(b.due for b in bodies)
    with_note = sum(b.with_note for b in bodies)
    start, end = window(reporting_round)
    return render(
        request,
        "evaluation/reporting_round_detail.html",
        {
            "round": reporting_round,
            "bodies": bodies,
            "everyone": everyone,
            "due": due,
            "with_note": with_note,
            "complete_bodies": sum(1 for b in bodies if b.complete),
            "window_start": start,
            "window_end": end,
            "can_manage": permissions.can_manage_rounds(request.user),
            "notices": list(reporting_round.notices.order_by("sent_at", "pk")),
        },
    )


@login_required
def reporting_round_close(request, pk):
    """GET: what closing means; POST: close the round (no more reminders)."""
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied("Nur die Koordinierungsstelle schließt Berichtsrunden.")
    reporting_round = get_object_or_404(ReportingRound, pk=pk)
    if request.method == "POST":
        ReportingRound.objects.filter(pk=pk, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        messages.success(request, "Die Berichtsrunde ist abgeschlossen.")
        return redirect(reporting_round)
    if not reporting_round.is_open:
        messages.info(request, "Die Berichtsrunde ist bereits abgeschlossen.")
        return redirect(reporting_round)
    bodies = list(completeness(reporting_round).values())
    return render(
        request,
        "evaluation/reporting_round_confirm_close.html",
        {"round": reporting_round, "incomplete": [b for b in bodies if not b.complete]},
    )
