import pytest
from tests.browser.test_accessibility import *  # noqa
from tests.conftest import check_reflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

@pytest.mark.parametrize("username", [None, "hitzacker", "koordination"])
def test_sweep(page, demo_district, username):
    page.set_viewport_size({"width": 320, "height": 800})
    if username:
        page.goto("/accounts/login/")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill("demo")
        page.get_by_role("button", name="Anmelden").click()
    joint = Measure.objects.filter(partnerships__isnull=False).order_by("pk").first()
    own = Measure.objects.filter(lead_municipality__slug="hitzacker-elbe").first()
    indicator = Indicator.objects.filter(measure=own).first() or Indicator.objects.first()
    paths = ["/", "/massnahmen/", "/massnahmen/kommune/landkreis-luechow-dannenberg/", "/massnahmen/kommune/sg-elbtalaue/", "/massnahmen/kommune/hitzacker-elbe/", "/handlungsfelder/", "/handlungsfelder/digitale-teilhabe-und-barrierefreiheit/", "/kommunen/", "/quellen/", "/barrierefreiheit/", "/evaluierung/", "/impressum/", "/datenschutz/", "/leichte-sprache/"]
    if username:
        paths += [f"/massnahmen/{joint.pk}/", f"/massnahmen/{joint.pk}/verlauf/", "/massnahmen/neu/", f"/massnahmen/{own.pk}/bearbeiten/", "/dashboard/", "/evaluierung/kommune/sg-elbtalaue/", "/evaluierung/runden/", f"/evaluierung/indikatoren/{indicator.pk}/", "/massnahmen/pruefung/", "/massnahmen/pruefung/uebersicht/", "/evaluierung/abrufe/", "/evaluierung/bewertungen/ueberfaellig/", "/evaluierung/messwerte/import/", "/entwurf/", "/entwurf/neu/", "/personen/", "/personen/einladen/", "/massnahmen/import/"]
    fails = []
    for path in paths:
        page.goto(path)
        name = (username or "anon") + path.replace("/", "_")
        page.screenshot(path=f"/tmp/polish/{name}.png", full_page=True)
        try:
            check_reflow(page)
        except BaseException as e:
            fails.append(str(e)[:600])
    print("\n".join(fails))
    assert not fails
