"""A presented Sachstandsbericht as an OParl 1.1 Paper and its PDF as File (JSON, public).

The district's paper list (drafts:oparl_paper_list) lists the same objects.
"""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404

from core.pdf.stored import MissingFile, missing_json
from municipalities.models import Municipality, MunicipalityKind

from .. import oparl


def _json(data):
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    # OParl clients run in browsers, too; everything here is public.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _presented(pk):
    return get_object_or_404(oparl.presented_reports(), pk=pk)


def report_paper(request, pk):
    district = Municipality.objects.filter(kind=MunicipalityKind.DISTRICT).first()
    if district is None:
        raise Http404("Ohne Landkreis gibt es kein OParl-System im Portal.")
    return _json(oparl.paper_object(_presented(pk), request, district))


def report_file(request, pk):
    try:
        return _json(oparl.file_object(_presented(pk), request))
    except MissingFile as missing:
        return missing_json(missing)
