"""OParl 1.1 endpoints: System, Body, Organization, Paper, File and Consultation, and the
lists."""

from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.pdf.stored import MissingFile, missing_json
from evaluation import oparl as report_oparl
from municipalities.models import Municipality, MunicipalityKind

from .. import oparl
from ..adoption_models import CouncilDecision, DecisionProcedure, DeliberationStep
from ..models import DraftState, StrategyDraft

# Only versions presented to the Kreistag and published appear, with their Vorlagen.
PUBLIC_STATES = [DraftState.PUBLISHED, DraftState.DECIDED]


def _json(data):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    # OParl clients run in browsers, too; everything here is public.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def district_or_none():
    return Municipality.objects.filter(kind=MunicipalityKind.DISTRICT).first()


def _district():
    district = district_or_none()
    if district is None:
        raise Http404("Diese Körperschaft gibt es im OParl-System des Portals nicht.")
    return district


def _body(slug):
    """Any body of the district; 404 without a district (no OParl system then)."""
    district = _district()
    if slug == district.slug:
        return district
    return get_object_or_404(Municipality, slug=slug)


def system(request):
    return _json(oparl.system_object(_district(), request))


def body_list(request):
    _district()
    bodies = Municipality.objects.order_by("tree_path")
    return _json(oparl.external_list(request, [oparl.body_object(b, request) for b in bodies]))


def body(request, slug):
    return _json(oparl.body_object(_body(slug), request))


def organization_list(request, slug):
    """The district's two organs; the other bodies' committees are named in the
    Consultations only (the portal keeps no list of them)."""
    body = _body(slug)
    organizations = []
    if body.is_district:
        organizations = [
            oparl.organization_object(key, body, request) for key in oparl.ORGANIZATIONS
        ]
    return _json(oparl.external_list(request, organizations))


def organization(request, key):
    if key not in oparl.ORGANIZATIONS:
        raise Http404("Diese Organisation gibt es nicht.")
    return _json(oparl.organization_object(key, _district(), request))


def empty_list(request, slug):
    """Persons and meetings: the portal publishes none (no personal data, no sessions)."""
    _body(slug)
    return _json(oparl.external_list(request, []))


def _procedures():
    """Procedures of presented versions, with what their Paper needs: four queries for any
    number (steps and decisions prefetched in their order)."""
    return (
        DecisionProcedure.objects.filter(draft__state__in=PUBLIC_STATES)
        .select_related("draft", "municipality")
        .defer("draft__snapshot")
        .prefetch_related(
            Prefetch("steps", queryset=DeliberationStep.objects.order_by("position")),
            Prefetch("decisions", queryset=CouncilDecision.objects.order_by("decided_on", "pk")),
        )
    )


def _district_procedures(district, drafts):
    """{draft pk: the district's procedure} for the Kreistag's Papers."""
    procedures = _procedures().filter(municipality=district, draft__in=drafts)
    return {p.draft_id: p for p in procedures}


def paper_list(request, slug):
    """The body's Vorlagen: for the district the published versions themselves (the
    Kreistag's Vorlage), for every other body its own Vorlage on each presented version; then
    the Sachstandsberichte presented to the body's council."""
    body = _body(slug)
    if body.is_district:
        drafts = [
            d
            # With the snapshot: each Paper carries the version's "Finanzielle Auswirkungen".
            for d in StrategyDraft.objects.filter(state__in=PUBLIC_STATES).order_by("pk")
            if d.has_pdf
        ]
        procedures = _district_procedures(body, [d.pk for d in drafts])
        papers = [oparl.paper_object(d, request, body, procedures.get(d.pk)) for d in drafts]
    else:
        procedures = list(_procedures().filter(municipality=body).order_by("draft_id"))
        # The frozen snapshots for "Finanzielle Auswirkungen": one query for all papers.
        snapshots = dict(
            StrategyDraft.objects.filter(pk__in=[p.draft_id for p in procedures]).values_list(
                "pk", "snapshot"
            )
        )
        papers = [oparl.body_paper_object(p, request, snapshots[p.draft_id]) for p in procedures]
    # The Sachstandsberichte presented to the body's council: Mitteilungsvorlagen.
    reports = report_oparl.presented_reports_of(body)
    papers += [report_oparl.paper_object(r, request, body) for r in reports]
    return _json(oparl.external_list(request, papers))


def _body_procedure(slug, pk):
    body = _body(slug)
    if body.is_district:
        # The Kreistag's Vorlage is the version's own Paper (drafts:oparl_paper).
        raise Http404("Die Vorlage des Kreistags ist der Entwurf selbst.")
    return get_object_or_404(_procedures(), municipality=body, draft_id=pk)


def body_paper(request, slug, pk):
    """A deciding body's Vorlage on a presented version as an OParl 1.1 Paper."""
    return _json(oparl.body_paper_object(_body_procedure(slug, pk), request))


def body_file(request, slug, pk):
    """The PDF of a deciding body's Vorlage as an OParl 1.1 File."""
    return _json(oparl.body_file_object(_body_procedure(slug, pk), request))


def consultation(request, slug, pk, position):
    """One public step of a Vorlage's Beratungsfolge as an OParl 1.1 Consultation."""
    body = _body(slug)
    if body.is_district:
        get_object_or_404(StrategyDraft.objects.defer("snapshot"), pk=pk, state__in=PUBLIC_STATES)
        procedure = get_object_or_404(_procedures(), municipality=body, draft_id=pk)
        paper_url = request.build_absolute_uri(reverse("drafts:oparl_paper", args=[pk]))
    else:
        procedure = _body_procedure(slug, pk)
        paper_url = request.build_absolute_uri(reverse("drafts:oparl_body_paper", args=[slug, pk]))
    step = next((s for s in oparl.public_steps(procedure) if s.position == position), None)
    if step is None:
        raise Http404("Diese Beratung gibt es nicht.")
    return _json(oparl.consultation_object(procedure, step, paper_url, request))


def _published_with_pdf(pk, with_snapshot=False):
    drafts = (
        StrategyDraft.objects.all() if with_snapshot else StrategyDraft.objects.defer("snapshot")
    )
    draft = get_object_or_404(drafts, pk=pk, state__in=PUBLIC_STATES)
    if not draft.has_pdf:
        raise Http404("Für diesen Entwurf gibt es kein PDF.")
    return draft


def oparl_paper(request, pk):
    """The published draft as an OParl 1.1 Paper (JSON)."""
    draft = _published_with_pdf(pk, with_snapshot=True)
    district = district_or_none()
    procedure = _district_procedures(district, [draft.pk]).get(draft.pk) if district else None
    return JsonResponse(
        oparl.paper_object(draft, request, district, procedure),
        json_dumps_params={"ensure_ascii": False},
    )


def oparl_file(request, pk):
    """The PDF of the published draft as an OParl 1.1 File (JSON)."""
    draft = _published_with_pdf(pk)
    try:
        return JsonResponse(
            oparl.file_object(draft, request), json_dumps_params={"ensure_ascii": False}
        )
    except MissingFile as missing:
        return missing_json(missing)
