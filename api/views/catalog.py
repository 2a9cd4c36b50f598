"""The open-data catalogue (DCAT-AP.de) as Turtle and as JSON-LD, readable by anyone."""

from django.http import HttpResponse

from ..catalog import build_catalogue


def _response(content, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"  # public data, read by harvesters and pages
    return response


def catalog_turtle(request):
    graph = build_catalogue(request)
    return _response(graph.serialize(format="turtle"), "text/turtle; charset=utf-8")


def catalog_jsonld(request):
    graph = build_catalogue(request)
    return _response(
        graph.serialize(format="json-ld", auto_compact=True), "application/ld+json; charset=utf-8"
    )
