"""The indicator form shows only the source settings of the chosen source kind."""

import pytest

from ..factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_source_fields_follow_the_source_kind(page, login, district, users, assert_accessible):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    login("hitzacker")
    page.goto(f"/evaluierung/massnahme/{measure.pk}/indikator/neu/")
    url = page.get_by_label("Adresse der Datenquelle")
    json_path = page.get_by_label("Pfad zur Liste (nur JSON)")
    assert not url.is_visible() and not json_path.is_visible()
    page.locator("#id_source_kind").select_option("json_url")
    assert url.is_visible() and json_path.is_visible()
    assert not page.get_by_label("Tabelle (nur GENESIS)").is_visible()
    assert_accessible(page)
    page.locator("#id_source_kind").select_option("portal")
    assert page.get_by_label("Kennzahl (nur Portal)").is_visible()
    assert not url.is_visible()
