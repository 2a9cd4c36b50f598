"""Who acts for whom, seen by the coordinator in Chromium: axe-core at 1280 and 320 px."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page):
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url}: {width} px breit bei {viewport} px"


@pytest.mark.parametrize("width", [1280, 320])
def test_coordinator_finds_the_bodies_nobody_answers_for_and_invites(
    page, users, district, login, assert_accessible, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login("koordination")
    page.goto(reverse("measures:dashboard", args=[district["district"].slug]))
    expect(page.get_by_text("2 Kommunen ohne jemanden, der für sie antworten kann")).to_be_visible()
    assert_accessible(page)
    _fits(page)
    page.get_by_role("link", name="Diese Kommunen anzeigen und jemanden einladen").click()
    page.wait_for_url("**/personen/?niemand=1")
    expect(page.get_by_role("heading", name="Samtgemeinde Gartow")).to_be_visible()
    assert page.get_by_role("heading", name="Hitzacker (Elbe)").count() == 0
    assert_accessible(page)
    _fits(page)
    page.get_by_role("link", name="Redaktion für Samtgemeinde Gartow einladen").click()
    assert page.get_by_label("Kommune").input_value() == str(district["gartow"].pk)
    assert page.get_by_label("Rolle").input_value() == "editor"
    page.goto(reverse("people:list"))
    expect(page.get_by_text("Verwaltung der Samtgemeinde Elbtalaue").first).to_be_visible()
    assert_accessible(page)
    _fits(page)
