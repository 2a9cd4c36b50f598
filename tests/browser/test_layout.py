"""Layout at the widths people use: menu, list of bodies and the draft's summary."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from drafts.models import StrategyDraft
from drafts.workflow import freeze
from municipalities.models import Municipality
from tests.conftest import REFLOW_WIDTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill("demo")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def test_coordinator_menu_fits_on_one_line_and_works_by_keyboard(
    page, demo_district, assert_accessible
):
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, "koordination")
    page.goto("/kommunen/")
    menu = page.get_by_role("navigation", name="Hauptnavigation")
    tops = menu.locator(".navbar-nav > .nav-item").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    assert len(tops) >= 10 and len(set(tops)) == 1, f"Menü bricht um: {tops}"
    assert menu.get_by_role("link", name="Fachverfahren").is_visible()

    # The grouped entries open and are reached by keyboard alone.
    toggle = menu.get_by_role("button", name="Verwaltung")
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "Personen"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "Anmeldesperren"
    page.keyboard.press("Enter")
    page.wait_for_url("**/anmeldesperren/")
    assert menu.get_by_role("button", name="Verwaltung").get_attribute("class").count("active")
    assert_accessible(page)


def test_municipality_names_lead_to_their_page_on_a_phone(page, demo_district, assert_reflows):
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    page.goto("/kommunen/")
    assert_reflows(page)
    table = page.get_by_role("region", name="Tabelle: Kommunen", exact=False)
    width = page.evaluate("document.documentElement.clientWidth")
    links = table.locator("tbody th a")
    assert links.count() == Municipality.objects.count()
    # Every body's link lies on screen without scrolling sideways (page or table).
    rights = links.evaluate_all("links => links.map(a => a.getBoundingClientRect().right)")
    assert max(rights) <= width
    table.get_by_role("link", name="Gartow (Flecken)", exact=True).click()
    page.wait_for_url("**/massnahmen/kommune/*/")
    assert "Gartow (Flecken)" in page.get_by_role("heading", level=1).inner_text()


def test_draft_summary_is_not_cut_at_1280_px(page, demo_district, assert_accessible):
    user = get_user_model().objects.get(username="koordination")
    draft = StrategyDraft.objects.create(
        title="Digitalstrategie",
        version_label="Entwurf 1",
        resolution_date=timezone.localdate(),
        created_by=user,
    )
    freeze(draft, user, render=False)
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, "koordination")
    page.goto(f"/entwurf/{draft.pk}/")
    summary = page.locator("section[aria-labelledby=zusammenfassung-titel]")
    regions = summary.locator(".table-responsive, .chart-scroll")
    assert regions.count() == 4
    # Neither a table nor a chart needs scrolling: every column and bar label is visible.
    cut = regions.evaluate_all(
        "els => els.filter(el => el.scrollWidth > el.clientWidth)"
        ".map(el => el.getAttribute('aria-label'))"
    )
    assert cut == []
    labels = summary.locator("svg.chart text").all_text_contents()
    assert "2. Gemeinsame Fachverfahren und Infrastruktur" in labels
    assert not [label for label in labels if label.endswith("…")]
    assert_accessible(page)
