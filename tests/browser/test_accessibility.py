"""Every main page, with the real district and the demo content, has zero axe violations."""

import pytest
from django.utils import timezone

from evaluation.models import Indicator
from measures.models import Measure
from measures.review import measure_snapshot
from tests.conftest import REFLOW_WIDTH

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "username", [None, "hitzacker", "sg-elbtalaue", "koordination", "kreistag"]
)
def test_pages_have_no_axe_violations(page, demo_district, assert_accessible, username):
    # The sweep runs at 320 CSS px (a phone, or 1280 px at 400 % zoom): axe and reflow.
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    if username:
        page.goto("/accounts/login/")
        page.get_by_label("Benutzername").fill(username)
        page.get_by_label("Passwort").fill("demo")
        page.get_by_role("button", name="Anmelden").click()
    joint = Measure.objects.filter(partnerships__isnull=False).order_by("pk").first()
    own = Measure.objects.filter(lead_municipality__slug="hitzacker-elbe").first()
    indicator = Indicator.objects.filter(measure=own).first() or Indicator.objects.first()
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
    # A measure with indicators: its indicator table scrolls in its own region, never the page.
    with_indicators = (
        Measure.objects.filter(indicators__isnull=False, lead_municipality=own.lead_municipality)
        .order_by("pk")
        .first()
        or Measure.objects.filter(indicators__isnull=False).order_by("pk").first()
    )
    if username:
        paths += [
            f"/massnahmen/{joint.pk}/",
            f"/massnahmen/{with_indicators.pk}/",
            f"/massnahmen/{joint.pk}/verlauf/",
            "/massnahmen/neu/",
            "/accounts/password_change/",
            f"/massnahmen/{own.pk}/bearbeiten/",
            "/dashboard/",
            "/evaluierung/",
            "/evaluierung/kommune/sg-elbtalaue/",
            "/evaluierung/runden/",
            f"/evaluierung/indikatoren/{indicator.pk}/",
            "/massnahmen/beteiligung/anfragen/",
        ]
        if username == "koordination":
            paths += [
                "/massnahmen/pruefung/",
                "/massnahmen/pruefung/uebersicht/",
                "/evaluierung/abrufe/",
                "/evaluierung/bewertungen/ueberfaellig/",
                "/evaluierung/messwerte/import/",
                "/entwurf/",
                "/entwurf/neu/",
                "/personen/",
                "/personen/einladen/",
            ]
    else:
        evaluated = Measure.objects.with_related().filter(indicators__isnull=False).first()
        evaluated.public_snapshot = measure_snapshot(evaluated)
        evaluated.public_since = timezone.now()
        evaluated.save()
        paths += [
            "/accounts/login/",
            "/accounts/password_reset/",
            f"/massnahmen/{evaluated.pk}/",  # published: the public version and its evaluation
            "/evaluierung/",
            f"/massnahmen/{joint.pk}/",  # not published: the German 404 page
        ]
    for path in paths:
        page.goto(path)
        assert_accessible(page)
        # axe does not flag white badge text on a missing background: check the styles load.
        for badge in page.locator(".ind-status").all()[:3]:
            background = badge.evaluate("el => getComputedStyle(el).backgroundColor")
            assert background != "rgba(0, 0, 0, 0)", f"Statusfarbe fehlt auf {path}"
