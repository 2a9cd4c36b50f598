"""SSRF: IPv6 embeddings of internal IPv4 addresses, and no second DNS look-up (issue 7, 8.)."""

import socket

import pytest

from evaluation.sources import http as source_http
from evaluation.sources.base import SourceError, TransientSourceError
from evaluation.sources.http import check_public_address, http_request

PUBLIC_IP = "93.184.215.14"


@pytest.fixture(autouse=True)
def no_allowed_private_hosts(settings):
    settings.EVALUATION_ALLOWED_PRIVATE_HOSTS = []


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (cloud metadata)
        "64:ff9b::10.1.2.3",
        "64:ff9b:1::a00:1",  # local-use NAT64 prefix
        "64:ff9b:1::808:808",
        "::ffff:127.0.0.1",  # IPv4-mapped
        "::ffff:192.168.0.1",
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "2002:a00:1::",  # 6to4 of 10.0.0.1
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
        "::127.0.0.1",  # IPv4-compatible
        "::a00:1",
    ],
)
def test_ipv6_embeddings_of_internal_ipv4_addresses_are_refused(address):
    with pytest.raises(SourceError, match="internen Netz"):
        check_public_address(f"http://[{address}]/werte.csv", resolve=False)
    with pytest.raises(SourceError, match="internen Netz"):
        http_request(f"http://[{address}]/werte.csv")


@pytest.mark.parametrize(
    "address", ["64:ff9b::808:808", "::ffff:8.8.8.8", "2002:808:808::1", "2a00:1450:4001::1"]
)
def test_ipv6_addresses_of_public_hosts_pass_the_check(address):
    assert source_http._is_internal(address) is False


def test_a_hostname_resolving_to_nat64_of_an_internal_address_is_refused(monkeypatch):
    def fake_getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("64:ff9b::a00:5", port, 0, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(SourceError, match="statistik.example.org liegt in einem internen Netz"):
        http_request("http://statistik.example.org/werte.csv")


class Recorder:
    """getaddrinfo that answers public first and internal afterwards (DNS rebinding)."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.lookups = []
        self.connections = []

    def getaddrinfo(self, host, port, *args, **kwargs):
        self.lookups.append(host)
        ip = self.answers[min(len(self.lookups), len(self.answers)) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port))]

    def create_connection(self, address, *args, **kwargs):
        self.connections.append(address)
        raise ConnectionRefusedError("test: no network")


def test_the_connection_goes_to_the_checked_address_without_a_second_lookup(monkeypatch):
    recorder = Recorder([PUBLIC_IP, "127.0.0.1"])
    monkeypatch.setattr(socket, "getaddrinfo", recorder.getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", recorder.create_connection)
    with pytest.raises(TransientSourceError):
        http_request("http://daten.example.org:8080/werte.csv")
    assert recorder.lookups == ["daten.example.org"]
    assert recorder.connections == [(PUBLIC_IP, 8080)]


def test_https_connects_to_the_checked_address_and_keeps_the_name_for_tls(monkeypatch):
    recorder = Recorder([PUBLIC_IP, "10.0.0.1"])
    monkeypatch.setattr(socket, "getaddrinfo", recorder.getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", recorder.create_connection)
    with pytest.raises(TransientSourceError):
        http_request("https://daten.example.org/werte.csv")
    assert recorder.lookups == ["daten.example.org"]
    assert recorder.connections == [(PUBLIC_IP, 443)]
    connection = source_http._PinnedHTTPSConnection("daten.example.org", addresses=[PUBLIC_IP])
    assert connection.host == "daten.example.org"  # Host header, SNI, certificate check


def test_the_request_carries_the_hostname_while_connecting_to_the_pinned_address(
    httpserver, monkeypatch, settings
):
    settings.EVALUATION_ALLOWED_PRIVATE_HOSTS = ["statistik.intern.example"]
    httpserver.expect_request("/werte.csv").respond_with_data("period,value\n2024,1\n")
    recorder = Recorder(["127.0.0.1"])
    real_create_connection = socket.create_connection

    def connect(address, *args, **kwargs):
        recorder.connections.append(address)
        return real_create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", recorder.getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", connect)
    body = http_request(f"http://statistik.intern.example:{httpserver.port}/werte.csv")
    assert body == b"period,value\n2024,1\n"
    assert recorder.connections == [("127.0.0.1", httpserver.port)]
    request, _response = httpserver.log[0]
    assert request.headers["Host"] == f"statistik.intern.example:{httpserver.port}"


def test_a_redirect_is_resolved_and_checked_again(httpserver, monkeypatch, settings):
    settings.EVALUATION_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    httpserver.expect_request("/weiter").respond_with_data(
        "", status=302, headers={"Location": "http://intern.example.org/geheim"}
    )
    real_getaddrinfo = socket.getaddrinfo
    lookups = []

    def fake_getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        if host == "intern.example.org":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.9.8.7", port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    url = f"http://127.0.0.1:{httpserver.port}/weiter"
    with pytest.raises(SourceError, match="intern.example.org liegt in einem internen Netz"):
        http_request(url)
    assert lookups.count("intern.example.org") == 1


def test_a_redirect_to_another_scheme_is_refused(httpserver, settings):
    settings.EVALUATION_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    httpserver.expect_request("/weiter").respond_with_data(
        "", status=302, headers={"Location": "file:///etc/passwd"}
    )
    with pytest.raises(SourceError, match="HTTP-Fehler 302"):  # urllib follows only http(s)
        http_request(f"http://127.0.0.1:{httpserver.port}/weiter")
