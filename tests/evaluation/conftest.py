import os

import pytest

from measures.models import Status
from tests.factories import MeasureFactory

from .report_fixtures import two_years  # noqa: F401  (shared by the reports' tests)

DATA = os.path.join(os.path.dirname(__file__), "data")


def data_file(name):
    with open(os.path.join(DATA, name), "rb") as handle:
        return handle.read()


@pytest.fixture
def measure(district, fields_of_action):
    """A measure in progress, led by the town of Hitzacker (Elbe) (AGS 03354009)."""
    return MeasureFactory(
        lead_municipality=district["hitzacker"],
        status=Status.IN_PROGRESS,
        title="Online-Anträge im Bürgerbüro",
    )


@pytest.fixture
def other_measure(district, fields_of_action):
    """A measure of Gorleben (SG Gartow), which the Hitzacker editor may not edit."""
    return MeasureFactory(
        lead_municipality=district["gorleben"],
        status=Status.IN_PROGRESS,
        title="Digitale Bauakte",
    )
