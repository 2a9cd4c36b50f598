import datetime
from decimal import Decimal

import factory

from evaluation.models import Assessment, Indicator, Measurement, Origin, Verdict
from tests.factories import MeasureFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    measure = factory.SubFactory(MeasureFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "%"
    kind = "effect"
    direction = "increase"
    baseline_value = Decimal("10")
    baseline_date = datetime.date(2025, 1, 1)
    target_value = Decimal("50")
    target_date = datetime.date(2029, 12, 31)
    frequency = "yearly"
    source_kind = "manual"


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    period = datetime.date(2025, 1, 1)
    value = Decimal("12")
    origin = Origin.MANUAL


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    measure = factory.SubFactory(MeasureFactory)
    verdict = Verdict.PARTLY
    justification = "Die Zahl der Online-Anträge steigt, aber langsamer als geplant."
