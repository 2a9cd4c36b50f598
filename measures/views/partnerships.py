"""The partner body answers a request to take part in a measure."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from municipalities import rules
from municipalities.notices import notice_report

from .. import partnerships
from ..forms import OnBehalfAnswerForm
from ..models import Partnership, PartnershipState
from ..permissions import can_answer_partnership, can_record_on_behalf, visible_measures
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


@login_required
def partnership_record(request, pk):
    """The coordinator records a body's answer on its behalf, with its source (letter,
    council decision, e-mail and date). Without a source the portal still refuses."""
    partnership = get_object_or_404(
        Partnership.objects.select_related(
            "municipality", "measure__lead_municipality", "merges_measure"
        ),
        pk=pk,
    )
    if not can_record_on_behalf(request.user, partnership):
        raise PermissionDenied(
            "Nur die Koordinierungsstelle kann eine Antwort im Auftrag einer Kommune eintragen."
        )
    measure = partnership.measure
    if partnership.state != PartnershipState.REQUESTED:
        ended = partnerships.join_refusal(measure, partnership.merges_measure)
        messages.info(
            request,
            ended or f"Diese Anfrage ist bereits beantwortet ({partnership.get_state_display()}).",
        )
        return redirect(measure)
    form = OnBehalfAnswerForm(request.POST or None, partnership=partnership)
    error = None
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source_obj"]
        body = partnership.municipality.label
        try:
            if form.cleaned_data["action"] == "confirm":
                partnerships.confirm(partnership, request.user, source=source)
                text = f"Für {body} eingetragen: Die Beteiligung ist bestätigt ({source.text})."
            else:
                partnerships.decline(
                    partnership, request.user, form.cleaned_data["reason"], source=source
                )
                text = f"Für {body} eingetragen: Die Beteiligung ist abgelehnt ({source.text})."
        except ReviewError as refusal:
            error = str(refusal)
        else:
            messages.success(request, text)
            return redirect(measure)
    return render(
        request,
        "measures/partnership_record.html",
        {"partnership": partnership, "measure": measure, "form": form, "error": error},
        status=400 if (error or form.errors) else 200,
    )


@login_required
def open_requests_overview(request):
    """The coordinator's list of all open requests of the district, oldest first, marking
    those to a body nobody can answer for (with a link to invite someone)."""
    if not rules.is_coordinator(request.user):
        raise PermissionDenied("Die Liste aller offenen Anfragen ist für die Koordinierungsstelle.")
    nobody_only = request.GET.get("niemand") == "1"
    requests = partnerships.all_open_requests(nobody_only=nobody_only)
    page = Paginator(requests, settings.PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))
    total, nobody = partnerships.open_requests_summary()
    return render(
        request,
        "measures/open_requests_overview.html",
        {"page": page, "nobody_only": nobody_only, "total": total, "nobody": nobody},
    )


def asked_message(request, asked):
    """Tell the requesting editor who was e-mailed about the requests ``asked`` (by body), and
    for which bodies nobody could be told (the coordinators are told instead)."""
    if not asked:
        return
    report = notice_report([p.municipality for p in asked])
    deliveries = sum(len(n.recipients) for n in report.told)
    text = "Anfrage zur Beteiligung: " + report.text(coordinator_informed=True, count=deliveries)
    (messages.warning if report.untold else messages.info)(request, text)
