"""HTTP for sources: only http(s), a timeout and a maximum response size (both settings)."""

import http.client
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

from .base import SourceError, TransientSourceError

USER_AGENT = "Digitalstrategie-Portal Luechow-Dannenberg (Evaluierung)"


def _opener():
    # Only the HTTP handlers: no file://, ftp:// or data: URLs, also not through a redirect,
    # and no proxy from the environment.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def http_request(url, *, data=None, headers=None, max_bytes=None, timeout=None):
    """Return the body of a GET (or, with ``data``, a POST) as bytes.

    Raises TransientSourceError for timeouts, refused connections and HTTP 5xx/429, and
    SourceError for other HTTP errors, other URL schemes and oversized responses.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise SourceError("Nur http- und https-Adressen sind erlaubt.")
    max_bytes = max_bytes or settings.EVALUATION_MAX_RESPONSE_BYTES
    timeout = timeout or settings.EVALUATION_HTTP_TIMEOUT
    request = urllib.request.Request(  # noqa: S310 - scheme checked above, handlers limited
        url, data=data, headers={"User-Agent": USER_AGENT, **(headers or {})}
    )
    try:
        with _opener().open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise SourceError(
                    f"Die Antwort ist zu groß ({int(length)} Bytes, erlaubt sind {max_bytes})."
                )
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        message = f"HTTP-Fehler {exc.code} von {urlsplit(url).netloc}."
        if exc.code >= 500 or exc.code == 429:
            raise TransientSourceError(message) from exc
        raise SourceError(message) from exc
    except TimeoutError as exc:
        raise TransientSourceError(f"Zeitüberschreitung nach {timeout:g} Sekunden.") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise TransientSourceError(f"Zeitüberschreitung nach {timeout:g} Sekunden.") from exc
        raise TransientSourceError(f"Keine Verbindung zu {urlsplit(url).netloc}: {reason}") from exc
    except (ConnectionError, OSError, http.client.HTTPException) as exc:
        raise TransientSourceError(f"Verbindungsfehler: {exc}") from exc
    if len(body) > max_bytes:
        raise SourceError(f"Die Antwort ist zu groß (mehr als {max_bytes} Bytes).")
    return body


def decode(raw):
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError("Die Datei ist nicht UTF-8-kodiert.") from exc
