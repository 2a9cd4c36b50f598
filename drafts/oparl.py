"""The portal as a small OParl 1.1 system: System -> Bodies (the Landkreis and its
Samtgemeinden, towns and Gemeinden) -> Organizations (the Kreistag and Kreisausschuss) and
Papers: the published strategy drafts, each with its PDF as the main File (the Kreistag's
Vorlage), and each deciding body's Vorlage on them with its Beratungsfolge as Consultations.

OParl is the German standard API of council information systems; a council information
system (or anybody) can pick up the draft from here. Only published drafts are served.
``accessUrl`` shows the file inline, ``downloadUrl`` sends it as an attachment. The portal
publishes no persons (personal data) and no meetings: those lists exist, as the
specification requires, and are empty. The JSON schemas of the specification are shipped in
``drafts/oparl_schema/`` and the tests validate every object against them.
"""

import contextlib

from django.conf import settings
from django.urls import reverse

from core.pdf.stored import MissingFile, sha512_and_size
from measures.impact import financial_impact

from .adoption import own_body_ids

OPARL_VERSION = "https://schema.oparl.org/1.1/"
SYSTEM_TYPE = "https://schema.oparl.org/1.1/System"
BODY_TYPE = "https://schema.oparl.org/1.1/Body"
ORGANIZATION_TYPE = "https://schema.oparl.org/1.1/Organization"
PAPER_TYPE = "https://schema.oparl.org/1.1/Paper"
FILE_TYPE = "https://schema.oparl.org/1.1/File"
CONSULTATION_TYPE = "https://schema.oparl.org/1.1/Consultation"
# Prefix of the portal's own properties (OParl 1.1, "Herstellerspezifische Erweiterungen"):
# OParl's Consultation has no meeting date, committee name or result of its own; those
# belong to Meeting and AgendaItem objects, and the portal publishes no meetings. OParl's
# Paper has no place for the figures of "Finanzielle Auswirkungen" (financialImpact).
VENDOR = "digitalstrategie"
# Datenlizenz Deutschland – Namensnennung 2.0, as for the open-data catalogue.
LICENSE_URL = "https://www.govdata.de/dl-de/by-2-0"

# The district's two organs that deal with the strategy. Not stored: they do not change.
ORGANIZATIONS = {
    "kreistag": {
        "name": "Kreistag",
        "classification": "Kreistag",
    },
    "kreisausschuss": {
        "name": "Kreisausschuss",
        "classification": "Kreisausschuss",
    },
}


def file_object(draft, request):
    """The draft's PDF as a File; MissingFile (a 404) when storage lost it."""
    pdf_url = request.build_absolute_uri(reverse("drafts:pdf", args=[draft.pk]))
    return {
        "id": request.build_absolute_uri(reverse("drafts:oparl_file", args=[draft.pk])),
        "type": FILE_TYPE,
        "name": f"{draft.title} ({draft.version_label})",
        "fileName": draft.pdf_filename,
        "mimeType": "application/pdf",
        "date": draft.rendered_at.date().isoformat(),
        "size": draft.pdf_size,
        "sha512Checksum": sha512_and_size(draft.pdf)[0],
        "accessUrl": pdf_url,
        "downloadUrl": f"{pdf_url}?download=1",
        "paper": [request.build_absolute_uri(reverse("drafts:oparl_paper", args=[draft.pk]))],
        "created": draft.rendered_at.isoformat(),
        "modified": draft.rendered_at.isoformat(),
    }


def paper_object(draft, request, district=None, procedure=None):
    """The version's own PDF: the Kreistag's Vorlage, with its "Finanzielle Auswirkungen" for
    the whole district (``draft`` with its snapshot). ``procedure`` is the district's
    DecisionProcedure (steps and decisions prefetched) for its Beratungsfolge, if set up."""
    paper = {
        "id": request.build_absolute_uri(reverse("drafts:oparl_paper", args=[draft.pk])),
        "type": PAPER_TYPE,
        "name": f"{draft.title} ({draft.version_label})",
        "date": draft.published_at.date().isoformat(),
        "paperType": "Entwurf der interkommunalen Digitalisierungsstrategie",
        "keyword": ["Digitalisierungsstrategie", "Lüchow-Dannenberg"],
        "web": request.build_absolute_uri(draft.get_absolute_url()),
        "created": draft.created_at.isoformat(),
        "modified": draft.updated_at.isoformat(),
        f"{VENDOR}:financialImpact": financial_impact_property(draft.snapshot),
    }
    # A file lost from storage: the Paper stays listed, the File's own URL answers 404.
    with contextlib.suppress(MissingFile):
        paper["mainFile"] = file_object(draft, request)
    if district is not None:
        paper["body"] = _url(request, "drafts:oparl_body", district.slug)
    if draft.drucksache_number:
        paper["reference"] = draft.drucksache_number
    if procedure is not None:
        paper["consultation"] = consultation_objects(procedure, paper["id"], request)
    return paper


# --- Each deciding body's Vorlage (issue 20): a Paper of its body with File and Consultations --


def _procedure_args(procedure):
    return procedure.municipality.slug, procedure.draft_id


def result_text(decision):
    """„beschlossen am 10.03.2027 (Beschluss Nr. SR/12/2027); Änderungen: …“"""
    text = f"{decision.get_outcome_display()} am {decision.decided_on:%d.%m.%Y}"
    if decision.decision_number:
        text += f" (Nr. {decision.decision_number})"
    if decision.changes:
        text += f"; Änderungen: {decision.changes}"
    return text


def _organization_url(procedure, step, request):
    """The district's organs are OParl Organizations; other committees are named only."""
    if not procedure.municipality.is_district:
        return None
    for key, organ in ORGANIZATIONS.items():
        if step.committee.strip().casefold() == organ["name"].casefold():
            return _url(request, "drafts:oparl_organization", key)
    return None


def consultation_object(procedure, step, paper_url, request):
    """One public step of the Beratungsfolge. The deciding step carries the council's
    decisions (in order: a Vorlage can be postponed and decided later) as its result."""
    slug, draft_pk = _procedure_args(procedure)
    consultation = {
        "id": _url(request, "drafts:oparl_consultation", slug, draft_pk, step.position),
        "type": CONSULTATION_TYPE,
        "paper": paper_url,
        "authoritative": step.decides,
        "role": "Entscheidung" if step.decides else "Vorberatung",
        f"{VENDOR}:committee": step.committee,
        f"{VENDOR}:public": step.public,
        "web": request.build_absolute_uri(reverse("drafts:adoption", args=[draft_pk])),
    }
    organization = _organization_url(procedure, step, request)
    if organization:
        consultation["organization"] = [organization]
    if step.meeting_date:
        consultation[f"{VENDOR}:meetingDate"] = step.meeting_date.isoformat()
    if step.decides:
        decisions = list(procedure.decisions.all())
        if decisions:
            consultation[f"{VENDOR}:result"] = "; ".join(result_text(d) for d in decisions)
    return consultation


def public_steps(procedure):
    """The steps the public adoption page shows: non-public sessions stay out."""
    return [s for s in procedure.steps.all() if s.public]


def consultation_objects(procedure, paper_url, request):
    return [consultation_object(procedure, s, paper_url, request) for s in public_steps(procedure)]


def body_file_object(procedure, request):
    """The body's Vorlage PDF (drafts:body_document). It is rendered in the background on the
    first request (which answers 202 until the file is made), so size and checksum are not
    known beforehand and left out (both optional in OParl)."""
    draft, body = procedure.draft, procedure.municipality
    slug = body.slug
    pdf_url = request.build_absolute_uri(reverse("drafts:body_document", args=[draft.pk, slug]))
    label = "".join(c if c.isalnum() else "-" for c in draft.version_label).strip("-").lower()
    stamp = draft.published_at.isoformat()
    return {
        "id": _url(request, "drafts:oparl_body_file", slug, draft.pk),
        "type": FILE_TYPE,
        "name": f"Beschlussvorlage {body}: {draft.title} ({draft.version_label})",
        "fileName": f"beschlussvorlage-{slug}-{label or draft.pk}.pdf",
        "mimeType": "application/pdf",
        "date": draft.published_at.date().isoformat(),
        "accessUrl": pdf_url,
        "downloadUrl": f"{pdf_url}?download=1",
        "paper": [_url(request, "drafts:oparl_body_paper", slug, draft.pk)],
        "created": stamp,
        "modified": stamp,
    }


def _money(value):
    return f"{value:.2f}"


def _impact_figures(row):
    return {
        "investment": _money(row.investment),
        "running": _money(row.running),
        "followUp": _money(row.follow_up),
        "fundingApproved": _money(row.funding),
        "fundingOpen": _money(row.funding_open),
        "ownShare": _money(row.own),
    }


def financial_impact_property(snapshot, bodies=None):
    """ "Finanzielle Auswirkungen" of the frozen version as its Vorlage states them
    (measures.impact): ``bodies`` None for the whole district (the Kreistag's Vorlage), else
    the deciding body's ids (a Samtgemeinde with its members: the measures they lead or share,
    split by the confirmed cost shares). Planned investment, running and follow-up costs,
    approved and still open funding and the own share, as exact decimal strings in euros, in
    total and per budget year."""
    impact = financial_impact(snapshot or {}, bodies=bodies)
    return {
        "currency": "EUR",
        **_impact_figures(impact.total),
        "years": [{"year": row.year, **_impact_figures(row)} for row in impact.years],
    }


def body_paper_object(procedure, request, snapshot=None):
    """A deciding body's Vorlage on a presented version (``procedure`` with ``draft``,
    ``municipality``, ``steps`` and ``decisions`` at hand; ``snapshot``: the version's frozen
    snapshot if already loaded). The Kreistag's Vorlage is the version's own Paper
    (:func:`paper_object`)."""
    draft, body = procedure.draft, procedure.municipality
    snapshot = draft.snapshot if snapshot is None else snapshot
    slug = body.slug
    paper_url = _url(request, "drafts:oparl_body_paper", slug, draft.pk)
    paper = {
        "id": paper_url,
        "type": PAPER_TYPE,
        "body": _url(request, "drafts:oparl_body", slug),
        "name": f"Beschlussvorlage {body}: {draft.title} ({draft.version_label})",
        "date": draft.published_at.date().isoformat(),
        "paperType": "Beschlussvorlage",
        "mainFile": body_file_object(procedure, request),
        "relatedPaper": [_url(request, "drafts:oparl_paper", draft.pk)],
        "consultation": consultation_objects(procedure, paper_url, request),
        "keyword": ["Digitalisierungsstrategie", "Lüchow-Dannenberg"],
        "web": request.build_absolute_uri(reverse("drafts:adoption", args=[draft.pk])),
        "created": procedure.created_at.isoformat(),
        "modified": procedure.updated_at.isoformat(),
        f"{VENDOR}:financialImpact": financial_impact_property(
            snapshot, own_body_ids(procedure, snapshot)
        ),
    }
    if procedure.document_number:
        paper["reference"] = procedure.document_number
    return paper


def _url(request, name, *args):
    return request.build_absolute_uri(reverse(name, args=args))


def _timestamps(district):
    return {"created": district.created_at.isoformat(), "modified": district.updated_at.isoformat()}


def external_list(request, objects):
    """An OParl external list on one page (the portal's lists are short)."""
    count = len(objects)
    return {
        "data": objects,
        "pagination": {
            "totalElements": count,
            "elementsPerPage": max(count, 1),
            "currentPage": 1,
            "totalPages": 1,
        },
        "links": {"first": request.build_absolute_uri(request.path)},
    }


def system_object(district, request):
    return {
        "id": _url(request, "drafts:oparl_system"),
        "type": SYSTEM_TYPE,
        "oparlVersion": OPARL_VERSION,
        "license": LICENSE_URL,
        "body": _url(request, "drafts:oparl_body_list"),
        "name": f"Digitalstrategie-Portal {district.name}",
        "contactEmail": settings.DEFAULT_FROM_EMAIL,
        "contactName": "Koordinierungsstelle Digitalisierung",
        "website": request.build_absolute_uri("/"),
        "web": request.build_absolute_uri("/"),
        **_timestamps(district),
    }


def body_object(municipality, request):
    """The district or any of its Samtgemeinden, towns and Gemeinden: each deciding body's
    Vorlagen are Papers of that body."""
    slug = municipality.slug
    body = {
        "id": _url(request, "drafts:oparl_body", slug),
        "type": BODY_TYPE,
        "system": _url(request, "drafts:oparl_system"),
        "shortName": municipality.name,
        "name": str(municipality),
        "website": request.build_absolute_uri("/"),
        "license": LICENSE_URL,
        "rgs": municipality.ars.ljust(12, "0"),
        "contactEmail": settings.DEFAULT_FROM_EMAIL,
        "contactName": "Koordinierungsstelle Digitalisierung",
        "organization": _url(request, "drafts:oparl_organization_list", slug),
        "person": _url(request, "drafts:oparl_person_list", slug),
        "meeting": _url(request, "drafts:oparl_meeting_list", slug),
        "paper": _url(request, "drafts:oparl_paper_list", slug),
        "legislativeTerm": [],
        "classification": municipality.get_kind_display(),
        "web": request.build_absolute_uri(reverse("measures:dashboard", kwargs={"slug": slug})),
        **_timestamps(municipality),
    }
    if municipality.ags:
        body["ags"] = municipality.ags
    return body


def organization_object(key, district, request):
    organ = ORGANIZATIONS[key]
    return {
        "id": _url(request, "drafts:oparl_organization", key),
        "type": ORGANIZATION_TYPE,
        "body": _url(request, "drafts:oparl_body", district.slug),
        "name": f"{organ['name']} des Landkreises {district.name}",
        "shortName": organ["name"],
        "organizationType": "Gremium",
        "classification": organ["classification"],
        **_timestamps(district),
    }
