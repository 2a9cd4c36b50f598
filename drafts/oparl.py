"""The portal as a small OParl 1.1 system: System -> Body (the Landkreis) -> Organizations
(Kreistag, Kreisausschuss) and Papers (the published strategy drafts, each with its PDF as
the main File).

OParl is the German standard API of council information systems; a council information
system (or anybody) can pick up the draft from here. Only published drafts are served.
``accessUrl`` shows the file inline, ``downloadUrl`` sends it as an attachment. The portal
publishes no persons (personal data) and no meetings: those lists exist, as the
specification requires, and are empty. The JSON schemas of the specification are shipped in
``drafts/oparl_schema/`` and the tests validate every object against them.
"""

import hashlib

from django.conf import settings
from django.urls import reverse

OPARL_VERSION = "https://schema.oparl.org/1.1/"
SYSTEM_TYPE = "https://schema.oparl.org/1.1/System"
BODY_TYPE = "https://schema.oparl.org/1.1/Body"
ORGANIZATION_TYPE = "https://schema.oparl.org/1.1/Organization"
PAPER_TYPE = "https://schema.oparl.org/1.1/Paper"
FILE_TYPE = "https://schema.oparl.org/1.1/File"
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


def _sha512(draft):
    digest = hashlib.sha512()
    with draft.pdf.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_object(draft, request):
    pdf_url = request.build_absolute_uri(reverse("drafts:pdf", args=[draft.pk]))
    return {
        "id": request.build_absolute_uri(reverse("drafts:oparl_file", args=[draft.pk])),
        "type": FILE_TYPE,
        "name": f"{draft.title} ({draft.version_label})",
        "fileName": draft.pdf_filename,
        "mimeType": "application/pdf",
        "date": draft.rendered_at.date().isoformat(),
        "size": draft.pdf_size,
        "sha512Checksum": _sha512(draft),
        "accessUrl": pdf_url,
        "downloadUrl": f"{pdf_url}?download=1",
        "paper": [request.build_absolute_uri(reverse("drafts:oparl_paper", args=[draft.pk]))],
        "created": draft.rendered_at.isoformat(),
        "modified": draft.rendered_at.isoformat(),
    }


def paper_object(draft, request, district=None):
    paper = {
        "id": request.build_absolute_uri(reverse("drafts:oparl_paper", args=[draft.pk])),
        "type": PAPER_TYPE,
        "name": f"{draft.title} ({draft.version_label})",
        "date": draft.published_at.date().isoformat(),
        "paperType": "Entwurf der interkommunalen Digitalisierungsstrategie",
        "mainFile": file_object(draft, request),
        "keyword": ["Digitalisierungsstrategie", "Lüchow-Dannenberg"],
        "web": request.build_absolute_uri(draft.get_absolute_url()),
        "created": draft.created_at.isoformat(),
        "modified": draft.updated_at.isoformat(),
    }
    if district is not None:
        paper["body"] = _url(request, "drafts:oparl_body", district.slug)
    if draft.drucksache_number:
        paper["reference"] = draft.drucksache_number
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


def body_object(district, request):
    slug = district.slug
    body = {
        "id": _url(request, "drafts:oparl_body", slug),
        "type": BODY_TYPE,
        "system": _url(request, "drafts:oparl_system"),
        "shortName": district.name,
        "name": f"Landkreis {district.name}",
        "website": request.build_absolute_uri("/"),
        "license": LICENSE_URL,
        "rgs": district.ars.ljust(12, "0"),
        "contactEmail": settings.DEFAULT_FROM_EMAIL,
        "contactName": "Koordinierungsstelle Digitalisierung",
        "organization": _url(request, "drafts:oparl_organization_list", slug),
        "person": _url(request, "drafts:oparl_person_list", slug),
        "meeting": _url(request, "drafts:oparl_meeting_list", slug),
        "paper": _url(request, "drafts:oparl_paper_list", slug),
        "legislativeTerm": [],
        "classification": "Landkreis",
        "web": request.build_absolute_uri(reverse("measures:dashboard", kwargs={"slug": slug})),
        **_timestamps(district),
    }
    if district.ags:
        body["ags"] = district.ags
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
