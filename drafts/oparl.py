"""A published strategy draft as OParl 1.1 objects: a Paper with its PDF as the main File.

OParl is the German standard API of council information systems; a council information
system (or anybody) can pick up the draft from here. Only published drafts are served.
``accessUrl`` shows the file inline, ``downloadUrl`` sends it as an attachment.
"""

import hashlib

from django.urls import reverse

PAPER_TYPE = "https://schema.oparl.org/1.1/Paper"
FILE_TYPE = "https://schema.oparl.org/1.1/File"


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


def paper_object(draft, request):
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
    if draft.drucksache_number:
        paper["reference"] = draft.drucksache_number
    return paper
