"""WeasyPrint's URL fetcher for the print templates: the portal's own static files, nothing else.

The portal's PDFs are rendered from texts that editors typed. Should markup ever get through (or a
template link a resource by mistake), WeasyPrint must neither reach the network nor read files
of the server: the fetcher serves only files that the staticfiles finders know (``static/``
and the apps' static folders) with a type a print stylesheet uses (fonts, CSS, images), and
refuses every other URL: http(s), data:, and file:// outside those folders. A refused resource
is left out of the PDF (WeasyPrint logs a warning); the render goes on.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# File types a print stylesheet may load.
PRINT_ASSET_TYPES = {
    ".css": "text/css",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class RefusedResource(ValueError):
    """A URL the print templates may not load."""


def static_base_url():
    """Base for relative URLs in print templates: ``/static/…`` and ``css/print.css`` work."""
    return Path(settings.BASE_DIR, "static").as_uri() + "/"


def _static_name(url):
    """The static file name (``img/logo.svg``) a ``file:`` URL points at, or None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = unquote(parts.path)
    static_url = "/" + settings.STATIC_URL.strip("/") + "/"
    base = urlsplit(static_base_url()).path
    for prefix in (base, static_url):  # relative URLs, then "/static/…" from {% static %}
        if path.startswith(prefix):
            return path[len(prefix) :]
    return None


def resolve_static_file(url):
    """The real path of an allowed static file for ``url``; RefusedResource otherwise."""
    name = _static_name(url)
    suffix = Path(name or "").suffix.lower()
    if not name or suffix not in PRINT_ASSET_TYPES or ".." in Path(name).parts:
        raise RefusedResource(url)
    found = finders.find(name)
    if not found:
        raise RefusedResource(url)
    path = Path(found).resolve()
    # Why resolve again: a symlink inside a static folder must not lead out of it.
    roots = [Path(location).resolve() for location in _static_roots()]
    if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
        raise RefusedResource(url)
    return path


def _static_roots():
    for finder in finders.get_finders():
        for _prefix, storage in getattr(finder, "locations", []):
            yield storage
        for storage in getattr(finder, "storages", {}).values():
            if getattr(storage, "location", None):
                yield storage.location


class StaticFilesOnlyFetcher(URLFetcher):
    """URL fetcher that serves the portal's static print assets and refuses the rest."""

    def __init__(self):
        super().__init__(allowed_protocols=("file",), allow_redirects=False)

    def fetch(self, url, headers=None):
        try:
            path = resolve_static_file(url)
        except RefusedResource:
            logger.warning("PDF: resource refused (only the portal's static files): %.200s", url)
            raise
        content_type = PRINT_ASSET_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path)[0]
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )
