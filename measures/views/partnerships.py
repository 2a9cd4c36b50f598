"""The partner body answers a request to take part in a measure."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from .. import partnerships
from ..models import Partnership, PartnershipState
from ..permissions import can_answer_partnership, visible_measures
from ..review import ReviewError


@login_required
def partnership_answer(request, pk):
    partnership = get_object_or_404(
        Partnership.objects.select_related(
            "municipality", "measure__lead_municipality", "merges_measure"
        ).filter(measure__in=visible_measures(request.user)),
        pk=pk,
    )
    if not can_answer_partnership(request.user, partnership):
        raise PermissionDenied("Nur die Redaktion der angefragten Kommune kann antworten.")
    measure = partnership.measure
    if partnership.state != PartnershipState.REQUESTED:
        # Ended by a withdrawal: say why rather than "answered".
        ended = partnerships.join_refusal(measure, partnership.merges_measure)
        messages.info(
            request,
            ended or f"Diese Anfrage ist bereits beantwortet ({partnership.get_state_display()}).",
        )
        return redirect(measure)
    reason, error = "", None
    if request.method == "POST":
        action = request.POST.get("action")
        reason = request.POST.get("reason", "")
        try:
            if action == "confirm":
                partnerships.confirm(partnership, request.user)
                text = f"{partnership.municipality.label} ist jetzt an der Maßnahme beteiligt."
                if partnership.merges_measure_id:
                    text += (
                        f" Ihre Maßnahme „{partnership.merges_measure.title}“ wurde "
                        "zurückgezogen und verweist auf die gemeinsame."
                    )
                messages.success(request, text)
                return redirect(measure)
            if action == "decline":
                partnerships.decline(partnership, request.user, reason)
                messages.success(request, "Sie haben die Beteiligung abgelehnt.")
                return redirect(measure)
            error = "Bitte wählen Sie „Beteiligung bestätigen“ oder „Ablehnen“."
        except ReviewError as refusal:
            error = str(refusal)
    return render(
        request,
        "measures/partnership_answer.html",
        {"partnership": partnership, "measure": measure, "reason": reason, "error": error},
        status=400 if error else 200,
    )


@login_required
def partner_requests(request):
    """All open requests to take part that the user may answer, oldest first, paged."""
    requests = partnerships.open_requests(request.user)
    page = Paginator(requests, settings.PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "measures/partner_requests.html", {"page": page})
