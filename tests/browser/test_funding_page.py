"""The funding page and the measure's money sections: accessible, at 320 px too."""

import datetime
from decimal import Decimal

import pytest

from measures.models import CostPlanYear, FundingEntry, FundingProgramme, Measure
from tests.factories import MeasureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_enters_funding(page, login, users, district, assert_accessible):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Digitale Bauakte")
    CostPlanYear.objects.create(measure=measure, year=2027, investment_planned=Decimal("8000"))
    login("hitzacker")
    page.goto(f"/massnahmen/{measure.pk}/foerderung/")
    assert_accessible(page)
    # Every input has its label (axe above); the ids keep the steps short.
    page.locator("#id_funding-0-programme").select_option(label="LEADER (ELER) (Beispiel)")
    page.locator("#id_funding-0-year").fill("2027")
    page.locator("#id_funding-0-rate_percent").fill("150")
    page.locator("#id_funding-0-amount").fill("4.000")
    page.get_by_role("button", name="Förderungen speichern").click()
    assert page.get_by_text("zwischen 0 und 100 %").first.is_visible()
    assert not FundingEntry.objects.exists()
    assert_accessible(page)
    page.locator("#id_funding-0-rate_percent").fill("50")
    page.locator("#id_funding-0-state").select_option(label="bewilligt")
    page.locator("#id_funding-0-decided_on").fill("2027-02-01")
    page.get_by_role("button", name="Förderungen speichern").click()
    assert page.get_by_text("wurden gespeichert").is_visible()
    entry = FundingEntry.objects.get()
    assert entry.amount == Decimal("4000.00") and entry.programme == FundingProgramme.objects.get(
        name="LEADER (ELER)"
    )
    page.goto(Measure.objects.get().get_absolute_url())
    assert page.get_by_role("heading", name="Anteile der Kommunen").is_visible()
    assert_accessible(page)
    assert entry.decided_on == datetime.date(2027, 2, 1)
