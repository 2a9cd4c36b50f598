"""The legal and information pages in Chromium: axe-core, reflow at 320 px, keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "pages:impressum",
    "pages:privacy",
    "pages:accessibility",
    "pages:feedback",
    "pages:easy_read",
    "pages:sign_language",
]


def _no_horizontal_scroll(page):
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url}: {widths[0]} px breit bei {widths[1]} px"


@pytest.mark.parametrize("width", [1280, 320])
def test_information_pages_are_accessible_and_reflow(page, assert_accessible, width):
    page.set_viewport_size({"width": width, "height": 900})
    for name in PAGES:
        page.goto(reverse(name))
        assert_accessible(page)
        _no_horizontal_scroll(page)


def test_a_barrier_can_be_reported_with_the_keyboard_only(page, users, settings):
    from django.core.cache import cache

    # Earlier tests posted reports from the same address: start with a fresh hourly limit.
    cache.clear()
    settings.PAGES_FEEDBACK_PER_HOUR = 1000
    users["coordinator"].email = "koordination@example.org"
    users["coordinator"].save()
    page.goto(reverse("pages:accessibility"))
    link = page.get_by_role("link", name="Barriere melden")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/barrierefreiheit/rueckmeldung/")
    page.get_by_label("Beschreibung der Barriere").focus()
    page.keyboard.type("Die Tabelle ist mit dem Bildschirmleser nicht lesbar.")
    page.get_by_role("button", name="Rückmeldung senden").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/barrierefreiheit/")
    expect(page.get_by_text("Ihre Rückmeldung ist bei der Koordinierungsstelle")).to_be_visible()


def test_coordinator_pages_are_accessible(page, users, login, assert_accessible):
    users["coordinator"].set_password("geheim-123")
    users["coordinator"].save()
    login("koordination")
    for url in [
        reverse("pages:edit", args=["impressum"]),
        reverse("pages:accessibility_edit"),
        reverse("pages:feedback_list"),
    ]:
        page.goto(url)
        assert_accessible(page)
