"""The indicator form shows only the source settings of the chosen source kind."""

import pytest
from playwright.sync_api import expect

from ..factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_source_fields_follow_the_source_kind(page, login, district, users, assert_accessible):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    login("hitzacker")
    page.goto(f"/evaluierung/massnahme/{measure.pk}/indikator/neu/")
    url = page.get_by_label("Adresse der Datenquelle")
    json_path = page.get_by_label("Pfad zur Liste (nur JSON)")
    expect(url).to_be_hidden()
    expect(json_path).to_be_hidden()
    page.locator("#id_source_kind").select_option("json_url")
    expect(url).to_be_visible()
    expect(json_path).to_be_visible()
    expect(page.get_by_label("Tabelle (nur GENESIS)")).to_be_hidden()
    assert_accessible(page)
    page.locator("#id_source_kind").select_option("portal")
    expect(page.get_by_label("Kennzahl (nur Portal)")).to_be_visible()
    expect(url).to_be_hidden()
