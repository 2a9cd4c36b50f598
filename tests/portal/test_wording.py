"""Words a first-time user stumbled over (issue 23 §6): a count has no unit word, and the
Leichte-Sprache summary states how many bodies really take part."""

import datetime
from decimal import Decimal

import pytest

from drafts.texts import easy_read_summary
from evaluation.templatetags.evaluation_tags import with_unit
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("80"), "Anzahl", "80"),
        (Decimal("1250"), " anzahl ", "1.250"),
        (Decimal("45.50"), "%", "45,5 %"),
        (Decimal("12"), "Tage", "12 Tage"),
        (Decimal("3"), "", "3"),
        (None, "%", "–"),
    ],
)
def test_a_value_reads_with_its_unit_and_a_count_as_a_number(value, unit, shown):
    assert with_unit(value, unit) == shown


def test_the_measure_page_shows_a_count_without_the_word_anzahl(client, district, users):
    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    indicator = IndicatorFactory(
        measure=measure, unit="Anzahl", baseline_value=Decimal("10"), target_value=Decimal("80")
    )
    MeasurementFactory(indicator=indicator, period=datetime.date(2026, 1, 1), value=45)
    client.force_login(users["coordinator"])
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "Anzahl" not in page.split('id="evaluierung"', 1)[1].split("</section>", 1)[0]
    assert ">80 bis " in page and ">45<" in page
    detail = client.get(f"/evaluierung/indikatoren/{indicator.pk}/").content.decode()
    assert "80 Anzahl" not in detail and "10 Anzahl" not in detail


@pytest.mark.parametrize(
    ("taking_part", "total", "sentence"),
    [
        (27, 30, "Im Landkreis gibt es 30 Städte und Gemeinden.\n27 davon machen mit."),
        (1, 30, "Im Landkreis gibt es 30 Städte und Gemeinden.\n1 davon macht mit."),
        (30, 30, "Alle 30 Städte und Gemeinden im Landkreis machen mit."),
    ],
)
def test_the_easy_read_summary_states_the_real_number(taking_part, total, sentence):
    text = easy_read_summary(12, taking_part, total)
    assert sentence in text and "In dem Plan stehen 12 Maßnahmen." in text
    assert ("Alle" in text) == (taking_part == total)


def test_a_frozen_draft_states_how_many_bodies_take_part(district, users):
    from drafts.models import StrategyDraft
    from drafts.workflow import freeze
    from measures.review import ReviewState, transition_to

    measure = MeasureFactory(lead_municipality=district["hitzacker"])
    transition_to(measure, ReviewState.SUBMITTED, users["coordinator"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])
    draft = StrategyDraft.objects.create(
        title="Strategie", version_label="Entwurf 1", resolution_date=datetime.date(2026, 6, 18)
    )
    freeze(draft, users["coordinator"], render=False)
    text = StrategyDraft.objects.get(pk=draft.pk).snapshot["easy_read_summary"]
    assert "Im Landkreis gibt es 5 Städte und Gemeinden.\n1 davon macht mit." in text
    assert "Alle Städte" not in text
