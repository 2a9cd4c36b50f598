"""Consolidation overview, the public aggregate, the service catalogue and the coverage page."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from municipalities import rules

from .. import coverage as coverage_module
from .. import overview as overview_module
from ..catalogue import BadSearch, search_services
from ..models import Service
from ..permissions import can_read_register, can_search_catalogue, can_transfer

JOINT_FIELD_NUMBER = 2  # Handlungsfeld 2: shared procedures and infrastructure


def joint_measure_url(opportunity):
    """The measure form prefilled: field 2 and the bodies of the opportunity as partners."""
    query = urlencode(
        {
            "handlungsfeld": JOINT_FIELD_NUMBER,
            "partner": [body.pk for body in opportunity.bodies],
            "titel": f"Gemeinsames Verfahren {opportunity.category.name}",
        },
        doseq=True,
    )
    return f"{reverse('measures:create')}?{query}"


def overview(request):
    categories, summaries, entries, opportunities, horizon = overview_module.summarise()
    if not can_read_register(request.user):
        return render(
            request,
            "procedures/public_overview.html",
            {"summaries": [s for s in summaries if s.products]},
        )
    for opportunity in opportunities:
        opportunity.measure_url = joint_measure_url(opportunity)
    return render(
        request,
        "procedures/overview.html",
        {
            "categories": categories,
            "summaries": summaries,
            "matrix": overview_module.matrix(categories, entries),
            "opportunities": opportunities,
            "horizon": horizon,
            "months": overview_module.OPPORTUNITY_MONTHS,
            "can_transfer": can_transfer(request.user),
            "can_start_measure": rules.is_coordinator(request.user)
            or rules.is_editor(request.user),
            "own": rules.home_municipality(request.user),
        },
    )


def coverage(request):
    bodies, rows, topics = coverage_module.coverage()
    # Columns only for bodies responsible for at least one service.
    used = {body.pk for row in rows for body in row.responsible}
    return render(
        request,
        "procedures/coverage.html",
        {
            "bodies": [b for b in bodies if b.pk in used],
            "rows": [(row, [c for c in row.cells if c[0].pk in used]) for row in rows],
            "topics": topics,
            "is_internal": rules.is_internal(request.user),
        },
    )


def service_list(request):
    services = Service.objects.all()
    return render(request, "procedures/service_list.html", {"services": services})


def service_detail(request, leika_key):
    service = get_object_or_404(Service, leika_key=leika_key)
    _bodies, rows, _topics = coverage_module.coverage([service])
    return render(
        request,
        "procedures/service_detail.html",
        {
            "service": service,
            "row": rows[0],
            "is_internal": rules.is_internal(request.user),
        },
    )


@login_required
def service_search(request):
    """JSON for the LeiKa combobox: the services matching ``?q=`` (name or start of the key)."""
    if not can_search_catalogue(request.user):
        return JsonResponse(
            {"error": "Nur Redaktionen und die Koordinierungsstelle können Leistungen suchen."},
            status=403,
        )
    try:
        services, more = search_services(request.GET.get("q", ""))
    except BadSearch as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    data = {
        "results": [{"key": s.leika_key, "name": s.name, "topic": s.topic} for s in services],
        "more": more,
    }
    if not services and len(request.GET.get("q", "").strip()) >= 2:
        # Nothing found: say whether the catalogue has been imported at all.
        data["catalogue_empty"] = not Service.objects.exists()
    return JsonResponse(data)
