"""Every main page, with the real district and the demo content, has zero axe violations."""

import pytest
from django.core.management import call_command

from measures.models import Measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GV_CSV = "municipalities/data/destatis_gv_auszug_q4_luechow-dannenberg_raw.csv"
SEATS = "municipalities/data/samtgemeinde_sitze.csv"


@pytest.fixture
def demo_district(fields_of_action, settings):
    call_command("import_municipalities", GV_CSV, seats=SEATS)
    settings.DEBUG = True  # seed_demo creates demo logins only in development
    call_command("seed_demo")
    settings.DEBUG = False


@pytest.mark.parametrize("username", [None, "hitzacker", "sg-elbtalaue", "koordination"])
def test_pages_have_no_axe_violations(page, demo_district, assert_accessible, username):
    if username:
        page.goto("/accounts/login/")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill("demo")
        page.get_by_role("button", name="Anmelden").click()
    joint = Measure.objects.filter(partnerships__isnull=False).order_by("pk").first()
    own = Measure.objects.filter(lead_municipality__slug="hitzacker-elbe").first()
    paths = [
        "/",
        "/massnahmen/",
        "/massnahmen/?page=2&sort=title",
        "/massnahmen/?q=gibt-es-nicht",
        "/massnahmen/kommune/landkreis-luechow-dannenberg/",
        "/massnahmen/kommune/sg-elbtalaue/",
        "/massnahmen/kommune/hitzacker-elbe/",
        "/handlungsfelder/",
        "/handlungsfelder/digitale-teilhabe-und-barrierefreiheit/",
        "/kommunen/",
        "/quellen/",
        "/barrierefreiheit/",
    ]
    if username:
        paths += [
            f"/massnahmen/{joint.pk}/",
            f"/massnahmen/{joint.pk}/verlauf/",
            "/massnahmen/neu/",
            "/accounts/password_change/",
            f"/massnahmen/{own.pk}/bearbeiten/",
        ]
    else:
        paths += [
            "/accounts/login/",
            "/accounts/password_reset/",
            f"/massnahmen/{joint.pk}/",
        ]  # the latter: German 404
    for path in paths:
        page.goto(path)
        assert_accessible(page)
