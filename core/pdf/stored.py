"""Stored PDFs as the portal serves them: a file missing from storage is a 404 with a German
message, never a 500 (a lost volume or a restore without media files must not break a page)."""

import hashlib

from django.http import Http404, JsonResponse
from django.shortcuts import render

MISSING = (
    "Die PDF-Datei fehlt im Speicher des Portals. Bitte wenden Sie sich an die "
    "Koordinierungsstelle; sie kann das PDF neu erzeugen lassen."
)


class MissingFile(Http404):
    """The database names a stored file that storage does not have."""


def open_stored(field):
    """The stored file of ``field`` (a FieldFile) opened for reading; MissingFile if absent."""
    try:
        return field.open("rb")
    except FileNotFoundError as exc:
        raise MissingFile(MISSING) from exc


def sha512_and_size(field):
    """(SHA-512 hex digest, size in bytes) of the stored file; MissingFile if absent."""
    digest, size = hashlib.sha512(), 0
    with open_stored(field) as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def missing_page(request, missing):
    """The 404 page naming the missing file (HTML, for the download links)."""
    context = {"heading": "PDF-Datei nicht verfügbar", "message": str(missing)}
    return render(request, "404.html", context, status=404)


def missing_json(missing):
    """The 404 answer of a JSON endpoint (OParl) whose file is missing."""
    response = JsonResponse(
        {"error": str(missing)}, status=404, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
