"""HTTP for sources: only http(s), a timeout and a maximum response size (both settings)."""

import functools
import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

from .base import SourceError, TransientSourceError

USER_AGENT = "Digitalstrategie-Portal Luechow-Dannenberg (Evaluierung)"


# NAT64 prefixes (RFC 6052, RFC 8215): the last 32 bits are an IPv4 address. The local-use
# prefix 64:ff9b:1::/48 only ever leads into one's own network and is refused outright.
_NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL_USE = ipaddress.ip_network("64:ff9b:1::/48")
# IPv4-compatible addresses (::a.b.c.d, deprecated by RFC 4291); :: and ::1 are not global.
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(ip):
    """IPv4 addresses an IPv6 address carries: mapped, 6to4, Teredo, NAT64, IPv4-compatible."""
    embedded = []
    if ip.ipv4_mapped:
        embedded.append(ip.ipv4_mapped)
    if ip.sixtofour:
        embedded.append(ip.sixtofour)
    if ip.teredo:
        embedded.extend(ip.teredo)  # (server, client)
    if ip in _NAT64_WELL_KNOWN or ip in _IPV4_COMPATIBLE:
        embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return embedded


def _is_internal(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if not ip.is_global or ip.is_multicast:
        return True
    if ip.version == 6:
        if ip in _NAT64_LOCAL_USE:
            return True
        return any(not v4.is_global or v4.is_multicast for v4 in _embedded_ipv4(ip))
    return False


def _allowed_private(host):
    return host in {h.lower() for h in settings.EVALUATION_ALLOWED_PRIVATE_HOSTS}


def _refuse_internal(host):
    raise SourceError(
        f"Die Adresse {host} liegt in einem internen Netz; aus Sicherheitsgründen ruft das "
        "Portal dort nichts ab."
    )


def resolve_public_address(host, port):
    """Resolve ``host`` once and return its addresses, all of them checked (SSRF).

    The connection is then made to exactly these addresses (see _PinnedHTTPConnection), so a
    second DNS answer (DNS rebinding) cannot lead it into the internal network.
    """
    host = host.lower()
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise TransientSourceError(f"Der Rechnername {host} ist nicht auflösbar.") from exc
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
    else:
        addresses = [str(literal)]
    if not _allowed_private(host) and any(_is_internal(a) for a in addresses):
        _refuse_internal(host)
    return addresses


def check_public_address(url, *, resolve=True):
    """Refuse addresses in internal networks (SSRF): loopback, private, link-local, reserved.

    Editors enter source addresses and Celery fetches them from inside the data centre, so an
    address must not reach the portal's own network, also not through an IPv6 address that
    embeds an internal IPv4 address (NAT64, 6to4, Teredo, IPv4-mapped or -compatible). Hosts
    listed in the setting ``EVALUATION_ALLOWED_PRIVATE_HOSTS`` (e.g. an intranet statistics
    server) are allowed. With ``resolve=False`` only literal IP addresses are checked (no DNS
    look-up). Fetching checks again when it connects (http_request).
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise SourceError("Nur http- und https-Adressen sind erlaubt.")
    host = (parts.hostname or "").lower()
    if not host:
        raise SourceError("Die Adresse enthält keinen Rechnernamen.")
    if _allowed_private(host):
        return
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if not resolve:
            return
    resolve_public_address(host, parts.port or (443 if parts.scheme == "https" else 80))


def _pinned(connection_class):
    """A connection class that connects only to addresses checked beforehand.

    ``host`` stays the name from the URL: the Host header, TLS's SNI and the certificate check
    use it, while the socket goes to one of ``addresses`` (no second look-up).
    """

    class Pinned(connection_class):
        def __init__(self, host, *, addresses, **kwargs):
            super().__init__(host, **kwargs)
            self._checked_addresses = addresses
            self._create_connection = self._connect_checked

        def _connect_checked(self, address, timeout=None, source_address=None):
            last_error = None
            for ip in self._checked_addresses:
                try:
                    return socket.create_connection((ip, address[1]), timeout, source_address)
                except OSError as exc:
                    last_error = exc
            raise last_error or OSError(f"Keine Adresse für {address[0]}.")

    Pinned.__name__ = f"Pinned{connection_class.__name__}"
    return Pinned


_PinnedHTTPConnection = _pinned(http.client.HTTPConnection)
_PinnedHTTPSConnection = _pinned(http.client.HTTPSConnection)


def _checked_addresses(req, default_port):
    parts = urlsplit(req.full_url)
    if not parts.hostname:
        raise SourceError("Die Adresse enthält keinen Rechnernamen.")
    return resolve_public_address(parts.hostname, parts.port or default_port)


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        addresses = _checked_addresses(req, 80)
        return self.do_open(functools.partial(_PinnedHTTPConnection, addresses=addresses), req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        addresses = _checked_addresses(req, 443)
        return self.do_open(
            functools.partial(_PinnedHTTPSConnection, addresses=addresses),
            req,
            context=self._context,
        )


class _CheckedRedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follows redirects only to http(s); the pinned handlers check the new address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_public_address(newurl, resolve=False)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener():
    # Only the HTTP handlers: no file://, ftp:// or data: URLs, also not through a redirect,
    # and no proxy from the environment. Each connection (redirects too) resolves its host
    # once, checks every address and connects to a checked one.
    opener = urllib.request.OpenerDirector()
    for handler in (
        _PinnedHTTPHandler(),
        _PinnedHTTPSHandler(),
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
    check_public_address(url, resolve=False)  # scheme and literal addresses; DNS on connect
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
