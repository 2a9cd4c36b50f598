"""OParl 1.1 endpoints: System, Body, Organization, Paper and File, and the lists."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from municipalities.models import Municipality, MunicipalityKind

from .. import oparl
from ..models import DraftState, StrategyDraft


def _json(data):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    # OParl clients run in browsers, too; everything here is public.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def district_or_none():
    return Municipality.objects.filter(kind=MunicipalityKind.DISTRICT).first()


def _district(slug=None):
    district = district_or_none()
    if district is None or (slug is not None and district.slug != slug):
        raise Http404("Diese Körperschaft gibt es im OParl-System des Portals nicht.")
    return district


def system(request):
    return _json(oparl.system_object(_district(), request))


def body_list(request):
    return _json(oparl.external_list(request, [oparl.body_object(_district(), request)]))


def body(request, slug):
    return _json(oparl.body_object(_district(slug), request))


def organization_list(request, slug):
    district = _district(slug)
    organizations = [
        oparl.organization_object(key, district, request) for key in oparl.ORGANIZATIONS
    ]
    return _json(oparl.external_list(request, organizations))


def organization(request, key):
    if key not in oparl.ORGANIZATIONS:
        raise Http404("Diese Organisation gibt es nicht.")
    return _json(oparl.organization_object(key, _district(), request))


def empty_list(request, slug):
    """Persons and meetings: the portal publishes none (no personal data, no sessions)."""
    _district(slug)
    return _json(oparl.external_list(request, []))


def paper_list(request, slug):
    district = _district(slug)
    drafts = (
        StrategyDraft.objects.defer("snapshot")
        .filter(state__in=[DraftState.PUBLISHED, DraftState.DECIDED])
        .order_by("pk")
    )
    papers = [oparl.paper_object(d, request, district) for d in drafts if d.has_pdf]
    return _json(oparl.external_list(request, papers))


def _published_with_pdf(pk):
    draft = get_object_or_404(
        StrategyDraft.objects.defer("snapshot"),
        pk=pk,
        state__in=[DraftState.PUBLISHED, DraftState.DECIDED],
    )
    if not draft.has_pdf:
        raise Http404("Für diesen Entwurf gibt es kein PDF.")
    return draft


def oparl_paper(request, pk):
    """The published draft as an OParl 1.1 Paper (JSON)."""
    draft = _published_with_pdf(pk)
    return JsonResponse(
        oparl.paper_object(draft, request, district_or_none()),
        json_dumps_params={"ensure_ascii": False},
    )


def oparl_file(request, pk):
    """The PDF of the published draft as an OParl 1.1 File (JSON)."""
    draft = _published_with_pdf(pk)
    return JsonResponse(
        oparl.file_object(draft, request), json_dumps_params={"ensure_ascii": False}
    )
