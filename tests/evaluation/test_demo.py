from django.core.management import call_command

from evaluation.demo import seed_evaluation_demo
from evaluation.models import Assessment, Indicator, Measurement
from measures.models import Measure, Status
from tests.factories import MeasureFactory


def test_demo_seeding_is_idempotent(district, fields_of_action):
    for _ in range(6):
        MeasureFactory(lead_municipality=district["hitzacker"], status=Status.IN_PROGRESS)
    Measure.objects.update(is_demo=True)
    MeasureFactory(lead_municipality=district["gorleben"])  # not demo: untouched
    created = seed_evaluation_demo()
    counts = (Indicator.objects.count(), Measurement.objects.count(), Assessment.objects.count())
    assert created == counts[0] > 0 and counts[1] > 0
    call_command("seed_evaluation_demo")
    again = (Indicator.objects.count(), Measurement.objects.count(), Assessment.objects.count())
    assert again == counts
    assert not Indicator.objects.filter(measure__is_demo=False).exists()
    assert Indicator.objects.filter(name="Bearbeitungszeit in Tagen").exists()
