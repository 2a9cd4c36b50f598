"""The open-data page: linked from every page's footer, it explains the API documentation
and the DCAT catalogue in plain German and links to them (issue 23 §11)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]


@pytest.mark.parametrize("role", ROLES)
def test_everyone_finds_the_page_in_the_footer_and_its_links_work(as_role, district, role):
    client = as_role(role)
    url = reverse("api:open_data")
    home = client.get("/").content.decode()
    footer = home.split('aria-label="Fußzeile"', 1)[1]
    assert f'href="{url}">Offene Daten und Schnittstelle</a>' in footer
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Offene Daten und Schnittstelle</h1>" in page
    for name in ("api:docs", "api:schema", "api:catalog_ttl", "api:catalog_jsonld"):
        link = reverse(name)
        assert f'href="{link}"' in page, name
        assert client.get(link).status_code == 200, name
    assert "Datenlizenz Deutschland" in page and "DCAT-AP.de" in page


def test_the_example_address_is_the_configured_one(client, district, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.org/"
    settings.ALLOWED_HOSTS = ["*"]
    page = client.get(reverse("api:open_data"), HTTP_HOST="boese.example.com").content.decode()
    assert "https://portal.example.org/api/v1/measures/" in page
    assert "boese.example.com" not in page
