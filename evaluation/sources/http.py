"""HTTP for sources: only http(s), a timeout and a maximum response size (both settings)."""

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

from .base import SourceError, TransientSourceError

USER_AGENT = "Digitalstrategie-Portal Luechow-Dannenberg (Evaluierung)"


def _is_internal(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return not ip.is_global or ip.is_multicast


def check_public_address(url, *, resolve=True):
    """Refuse addresses in internal networks (SSRF): loopback, private, link-local, reserved.

    Editors enter source addresses and Celery fetches them from inside the data centre, so an
    address must not reach the portal's own network. Hosts listed in the setting
    ``EVALUATION_ALLOWED_PRIVATE_HOSTS`` (e.g. an intranet statistics server) are allowed.
    With ``resolve=False`` only literal IP addresses are checked (no DNS look-up).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SourceError("Nur http- und https-Adressen sind erlaubt.")
    host = (parts.hostname or "").lower()
    if not host:
        raise SourceError("Die Adresse enthält keinen Rechnernamen.")
    if host in {h.lower() for h in settings.EVALUATION_ALLOWED_PRIVATE_HOSTS}:
        return
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        if not resolve:
            return
        try:
            infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError) as exc:
            raise TransientSourceError(f"Der Rechnername {host} ist nicht auflösbar.") from exc
        addresses = [info[4][0] for info in infos]
    if any(_is_internal(address) for address in addresses):
        raise SourceError(
            f"Die Adresse {host} liegt in einem internen Netz; aus Sicherheitsgründen ruft das "
            "Portal dort nichts ab."
        )


class _CheckedRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to public http(s) addresses."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_public_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener():
    # Only the HTTP handlers: no file://, ftp:// or data: URLs, also not through a redirect,
    # and no proxy from the environment.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _CheckedRedirectHandler(),
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
    check_public_address(url)
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
