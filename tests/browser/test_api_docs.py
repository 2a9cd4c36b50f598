"""The API documentation (Swagger UI from the portal's own static files) under the CSP."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_docs_load_without_csp_errors_and_pass_axe(page, district, assert_accessible, live_server):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/api/v1/docs/")
    page.get_by_role("heading", name="API des Digitalstrategie-Portals").wait_for()
    # Swagger UI has read the schema and shows the operations.
    page.locator(".opblock-summary-path", has_text="/api/v1/measures/").first.wait_for()
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert_accessible(page)
    # Opened operation (the measurement push) with its parameters and request body.
    page.locator(".opblock-post .opblock-summary-control").first.click()
    page.locator(".opblock-post .opblock-body").first.wait_for()
    assert_accessible(page)


def test_token_pages_pass_axe(page, district, users, login, assert_accessible):
    login("hitzacker")
    page.goto("/api-schluessel/hitzacker-elbe/")
    assert_accessible(page)
    page.get_by_label("Bezeichnung").fill("Fachverfahren Bürgerbüro")
    page.get_by_role("button", name="Schlüssel anlegen").click()
    page.get_by_role("heading", name="API-Schlüssel „Fachverfahren Bürgerbüro“ angelegt").wait_for()
    secret = page.get_by_label("Schlüssel").input_value()
    assert "." in secret
    assert_accessible(page)
    page.goto("/api-schluessel/hitzacker-elbe/")
    page.get_by_role("link", name="widerrufen („Fachverfahren Bürgerbüro“)").click()
    assert_accessible(page)
    page.get_by_role("button", name="Schlüssel endgültig widerrufen").click()
    page.get_by_text("wurde widerrufen").first.wait_for()
