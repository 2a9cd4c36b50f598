"""WeasyPrint loads only the portal's own static files: no network, no file:// elsewhere."""

import logging

import pytest
from django.conf import settings

from core.pdf import assets as pdf_assets
from core.pdf.generator import PDFGenerator

FAVICON = settings.BASE_DIR / "static" / "img" / "favicon.svg"


@pytest.fixture
def served(monkeypatch):
    """Every file the fetcher hands to WeasyPrint."""
    files = []
    original = pdf_assets.resolve_static_file

    def spy(url):
        path = original(url)
        files.append(path)
        return path

    monkeypatch.setattr(pdf_assets, "resolve_static_file", spy)
    return files


def test_a_print_template_gets_its_static_file_but_neither_network_nor_server_files(
    httpserver, served, caplog, tmp_path
):
    httpserver.expect_request("/tracker.png").respond_with_data(b"", content_type="image/png")
    secret = tmp_path / "geheim.css"
    secret.write_text("body { color: red }")
    html = f"""<!doctype html><html lang="de"><head><title>Test</title>
    <link rel="stylesheet" href="{httpserver.url_for("/extern.css")}">
    <link rel="stylesheet" href="file:///etc/passwd">
    <link rel="stylesheet" href="{secret.as_uri()}">
    </head><body>
    <img src="/static/img/favicon.svg" alt="Wappen">
    <img src="img/favicon.svg" alt="Wappen relativ">
    <img src="{httpserver.url_for("/tracker.png")}" alt="">
    <img src="file:///etc/passwd" alt="">
    <img src="/static/../../../../etc/passwd" alt="">
    <img src="../../../../../etc/hostname" alt="">
    <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E" alt="">
    <p>Inhalt</p></body></html>"""
    with caplog.at_level(logging.WARNING, logger="core.pdf.assets"):
        result = PDFGenerator(None).render(html=html)
    assert result.content.startswith(b"%PDF-")
    assert served == [FAVICON, FAVICON]  # only the portal's static file, twice
    assert httpserver.log == []  # no request left the renderer
    refused = " ".join(record.getMessage() for record in caplog.records)
    for url in ("extern.css", "tracker.png", "file:///etc/passwd", "geheim.css", "data:"):
        assert url in refused


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/static/img/favicon.svg",
        "https://example.org/x.woff2",
        "ftp://example.org/x.css",
        "file:///etc/passwd",
        "file:///static/../etc/passwd",
        "file://evil.example/static/img/favicon.svg",
        "file:///static/js/draft_detail.js",  # a static file, but no print asset type
        "file:///static/img/nicht-da.svg",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses(url):
    with pytest.raises(ValueError):
        pdf_assets.StaticFilesOnlyFetcher().fetch(url)


def test_the_fetcher_serves_a_static_file_with_its_type():
    response = pdf_assets.StaticFilesOnlyFetcher().fetch("file:///static/img/favicon.svg")
    assert response.content_type == "image/svg+xml"
    assert response.read() == FAVICON.read_bytes()


def test_a_symlink_out_of_the_static_folder_is_refused(tmp_path, settings):
    static = tmp_path / "static"
    static.mkdir()
    outside = tmp_path / "geheim.css"
    outside.write_text("body {}")
    (static / "link.css").symlink_to(outside)
    settings.STATICFILES_DIRS = [static]
    from django.contrib.staticfiles import finders

    finders.get_finder.cache_clear()
    try:
        with pytest.raises(ValueError):
            pdf_assets.StaticFilesOnlyFetcher().fetch("file:///static/link.css")
    finally:
        finders.get_finder.cache_clear()
