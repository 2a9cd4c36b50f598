"""Evaluation of the money: planned against actual per year and field; overruns over 20 %."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core import data_version
from evaluation.money import evaluate
from measures.models import CostPlanYear, Measure
from measures.review import review_snapshot
from tests.factories import MeasureFactory


def row(pk, year, planned, actual, number=1):
    return (pk, f"Maßnahme {pk}", "Hitzacker (Elbe)", number, year, [planned, None], [actual, None])


def test_overruns_count_only_years_with_an_actual_figure():
    result = evaluate(
        [
            row(1, 2026, "1000", "1300"),  # +30 %: listed
            row(2, 2026, "1000", "1150"),  # +15 %: not
            row(3, 2026, "1000", "1100"),  # +10 % so far ...
            row(3, 2027, "5000", None),  # ... the plan of a year to come hides nothing
            row(4, 2026, None, "10"),  # no plan at all: listed
            row(5, 2026, "1000", "1200"),  # exactly +20 %: not more than 20 %
        ]
    )
    assert [e["pk"] for e in result.overruns] == [1, 4]
    assert result.overruns[0]["deviation"] == Decimal("30.0")
    years = dict(result.years)
    assert years[2026].planned == Decimal("4000") and years[2026].actual == Decimal("4760")
    assert years[2027].has_actual is False and years[2027].deviation is None


def test_per_year_and_field():
    result = evaluate([row(1, 2026, "100", "90", number=1), row(2, 2026, "50", "80", number=2)])
    cells = {(year, number): cell for year, number, cell in result.rows}
    assert cells[(2026, 1)].deviation == Decimal("-10.0")
    assert cells[(2026, 2)].deviation == Decimal("60.0")


@pytest.fixture
def overrun(district):
    measure = MeasureFactory(lead_municipality=district["hitzacker"], title="Teure Bauakte")
    CostPlanYear.objects.create(
        measure=measure,
        year=2026,
        investment_planned=Decimal("1000"),
        investment_actual=Decimal("1500"),
    )
    CostPlanYear.objects.create(measure=measure, year=2027, running_planned=Decimal("300"))
    return measure


def test_the_dashboard_shows_chart_table_and_handlungsbedarf(as_role, overrun):
    page = as_role("council").get(reverse("evaluation:overview") + "?alle=1").content.decode()
    section = page[page.index('id="kosten-titel"') :]
    section = section[: section.index("</section>")]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="diagramm-kosten"' in section
    assert '<title id="diagramm-kosten-title">' in section
    assert "1.000,00 €" in section and "1.500,00 €" in section and "+50,0 %" in section
    assert "Handlungsbedarf: Kosten über Plan" in section
    assert "Teure Bauakte" in section


def test_the_public_sees_only_published_figures(client, overrun):
    url = reverse("evaluation:overview")
    assert 'id="kosten-titel"' not in client.get(url).content.decode()
    Measure.objects.filter(pk=overrun.pk).update(
        public_since=timezone.now(),
        public_snapshot=review_snapshot(overrun),
        public_lead=overrun.lead_municipality,
    )
    data_version.changed()
    page = client.get(url).content.decode()
    section = page[page.index('id="kosten-titel"') :]
    section = section[: section.index("</section>")]
    assert "Teure Bauakte" in section and "wie veröffentlicht" in section
    assert "Erika" not in section and "@" not in section
