"""Presented Sachstandsberichte as OParl 1.1 Papers, each with its PDF as File.

The portal's OParl system (System, Bodies, their paper lists) lives in the drafts app; each
body's paper list there includes its reports' Papers (``presented_reports`` and
``paper_object``): the district's report is a Paper of the district, a body's report a Paper of
that body. The report is a Mitteilungsvorlage: laid before the council (the Kreistag, or the
body's own) for its information ("zur Kenntnisnahme"), not for a decision. Only presented
reports are served, and a report names no person. The objects are valid against the
specification's schemas shipped in ``drafts/oparl_schema/``.

The type URIs repeat those of ``drafts.oparl``: they are the specification's names, and the
evaluation app sits below drafts, so it does not import them from there. The body's id is
reversed by its URL name (``drafts:oparl_body``), the one link into the OParl system.
"""

import contextlib

from django.urls import reverse

from core.pdf.stored import MissingFile, sha512_and_size

from .models import ProgressReport

PAPER_TYPE = "https://schema.oparl.org/1.1/Paper"
FILE_TYPE = "https://schema.oparl.org/1.1/File"
PAPER_KIND = "Mitteilungsvorlage"
# The portal's own properties (OParl 1.1, "Herstellerspezifische Erweiterungen"), prefixed as
# in drafts.oparl.
VENDOR = "digitalstrategie"


def presented_reports():
    """The presented reports, oldest first, with what their Papers need (one query)."""
    return (
        ProgressReport.objects.filter(presented_at__isnull=False)
        .exclude(pdf="")
        .select_related("body")
        .defer("snapshot")
        .order_by("presented_at", "pk")
    )


def presented_reports_of(body):
    """The Papers in ``body``'s paper list: the district's own report for the district (not
    its bodies'), each body's for that body."""
    return presented_reports().filter(body=None if body.is_district else body)


def _url(request, name, *args):
    return request.build_absolute_uri(reverse(name, args=args))


def _name(report):
    if report.body_id is None:
        return f"Sachstandsbericht: {report.title}"
    return f"Sachstandsbericht {report.body.label_with_kind}: {report.title}"


def file_object(report, request):
    """The report's PDF as a File; MissingFile (a 404) when storage lost it."""
    sha512, size = sha512_and_size(report.pdf)
    pdf_url = _url(request, "evaluation:report_pdf", report.pk)
    stamp = report.frozen_at.isoformat()
    return {
        "id": _url(request, "evaluation:oparl_report_file", report.pk),
        "type": FILE_TYPE,
        "name": _name(report),
        "fileName": f"sachstandsbericht-{report.pk}.pdf",
        "mimeType": "application/pdf",
        "date": report.frozen_at.date().isoformat(),
        "size": size,
        "sha512Checksum": sha512,
        "accessUrl": pdf_url,
        "downloadUrl": f"{pdf_url}?download=1",
        "paper": [_url(request, "evaluation:oparl_report_paper", report.pk)],
        "created": stamp,
        "modified": stamp,
    }


def paper_object(report, request, district):
    """A presented report as a Paper of the body it covers, the district's report of the
    district (``district``: its Municipality)."""
    owner = district if report.body_id is None else report.body
    paper = {
        "id": _url(request, "evaluation:oparl_report_paper", report.pk),
        "type": PAPER_TYPE,
        "body": _url(request, "drafts:oparl_body", owner.slug),
        "name": _name(report),
        "date": report.presented_at.date().isoformat(),
        "paperType": PAPER_KIND,
        "keyword": ["Digitalisierungsstrategie", "Sachstandsbericht", "Evaluation"],
        "web": request.build_absolute_uri(reverse("evaluation:reports")),
        "created": report.created_at.isoformat(),
        "modified": report.updated_at.isoformat(),
        f"{VENDOR}:periodStart": report.period_start.isoformat(),
        f"{VENDOR}:periodEnd": report.period_end.isoformat(),
    }
    # A file lost from storage: the Paper stays listed, the File's own URL answers 404.
    with contextlib.suppress(MissingFile):
        paper["mainFile"] = file_object(report, request)
    return paper
