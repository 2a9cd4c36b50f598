"""Layout at the widths people use: menu, list of bodies, the draft's summary and the charts."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

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
    expect(menu.get_by_role("link", name="Fachverfahren")).to_be_visible()

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


_CHARTS_SCRIPT = """() => {
  const width = document.documentElement.clientWidth;
  const shown = [...document.querySelectorAll('svg.chart, svg.eval-chart')]
    .filter(svg => svg.getBoundingClientRect().width > 0);
  return {
    shown: shown.length,
    wide: shown.filter(svg => {
      const box = svg.getBoundingClientRect();
      return box.width > width || box.right > width + 0.5 || box.left < 0;
    }).map(svg => (svg.id || svg.getAttribute('aria-labelledby')) + ' ' +
      Math.round(svg.getBoundingClientRect().width) + ' px'),
    scrolling: [...document.querySelectorAll('.chart-scroll')]
      .filter(el => el.getBoundingClientRect().width > 0 && el.scrollWidth > el.clientWidth)
      .map(el => el.getAttribute('aria-label')),
  };
}"""


@pytest.mark.parametrize("width", [375, REFLOW_WIDTH, 800, 1024])
def test_charts_fit_the_screen_without_scrolling(page, demo_district, assert_reflows, width):
    """Every chart (draft, dashboards, public evaluation, an indicator) fits the screen, on a
    phone and on a tablet: no chart is wider than the viewport, none scrolls in its region, no
    page scrolls sideways, chart text stays 12 px or more (assert_reflows), and the data tables
    stay."""
    from evaluation.models import Indicator
    from measures.models import Measure
    from measures.review import measure_snapshot

    user = get_user_model().objects.get(username="koordination")
    draft = StrategyDraft.objects.create(
        title="Digitalstrategie",
        version_label="Entwurf 1",
        resolution_date=timezone.localdate(),
        created_by=user,
    )
    freeze(draft, user, render=False)
    indicator = Indicator.objects.filter(measurements__isnull=False).order_by("pk").first()
    published = indicator.measure
    published.public_snapshot = measure_snapshot(
        Measure.objects.with_related().get(pk=published.pk)
    )
    published.public_since = timezone.now()
    published.save()
    page.set_viewport_size({"width": width, "height": 800})

    def check(path, charts, table):
        page.goto(path)
        found = page.evaluate(_CHARTS_SCRIPT)
        assert found["shown"] == charts, f"{path}: {found['shown']} Diagramme statt {charts}"
        assert found["wide"] == [], f"{path} bei {width} px: Diagramm breiter als der Bildschirm"
        assert found["scrolling"] == [], f"{path} bei {width} px: Diagramm scrollt"
        assert_reflows(page)
        # The numbers stay in a table (on the dashboards behind a "als Tabelle" disclosure).
        assert page.get_by_role("table", name=table, include_hidden=True).count() == 1

    # The public evaluation page (one measure published): indicators per field and body.
    check("/evaluierung/", 2, "Indikatoren je Handlungsfeld und Status")
    _log_in(page, "koordination")
    check("/evaluierung/", 3, "Kosten je Haushaltsjahr und Handlungsfeld")
    check("/evaluierung/kommune/sg-elbtalaue/", 3, "Indikatoren je Handlungsfeld und Status")
    check(f"/entwurf/{draft.pk}/", 2, "Geplantes Budget je Handlungsfeld")
    check(f"/evaluierung/indikatoren/{indicator.pk}/", 1, "Messwerte")
    # Status per field, labels wrapped instead of cut: the longest field title is complete.
    page.goto(f"/entwurf/{draft.pk}/")
    label = page.locator("#diagramm-stand-schmal text").all_text_contents()
    assert "4. IT-Sicherheit, Datenschutz und" in label
    assert "Datenmanagement" in label
    assert not [text for text in label if text.endswith("…")]


def test_wide_charts_return_on_a_wide_screen(page, demo_district):
    page.set_viewport_size({"width": 1280, "height": 800})
    _log_in(page, "koordination")
    page.goto("/evaluierung/")
    found = page.evaluate(_CHARTS_SCRIPT)
    assert found["shown"] == 3
    assert page.locator("#chart-felder-schmal").is_hidden()
    expect(page.locator(".chart-wide svg").first).to_be_visible()
