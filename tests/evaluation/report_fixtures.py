"""Data for the Sachstandsbericht's tests: two years of measures, and reading a PDF's text."""

import datetime

import pytest
import time_machine
from pypdf import PdfReader

from evaluation.models import ProgressNote
from measures.models import Measure, Status

from ..factories import MeasureFactory, publish_now
from .factories import IndicatorFactory, MeasurementFactory


def at(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False
    )


@pytest.fixture
def two_years(district, users):
    """2025: three measures planned and published. 2026: one started (with a Sachstand and a
    value), one completed, one dropped, one new idea."""
    with at(datetime.date(2025, 3, 1)):
        portal = MeasureFactory(
            lead_municipality=district["hitzacker"], status=Status.PLANNED, title="Bürgerportal"
        )
        files = MeasureFactory(
            lead_municipality=district["gorleben"], status=Status.PLANNED, title="E-Akte"
        )
        wifi = MeasureFactory(
            lead_municipality=district["dannenberg"], status=Status.PLANNED, title="WLAN"
        )
        indicator = IndicatorFactory(measure=portal, name="Anteil online gestellter Anträge")
        # Laid before the Kreistag with the strategy: the report names published measures.
        for measure in (portal, files, wifi):
            publish_now(measure)
    with at(datetime.date(2026, 4, 1)):
        for measure, status in ((portal, Status.IN_PROGRESS), (files, Status.COMPLETED)):
            measure = Measure.objects.get(pk=measure.pk)
            measure.status = status
            measure.save()
        wifi = Measure.objects.get(pk=wifi.pk)
        wifi.status = Status.DROPPED
        wifi.save()
        MeasureFactory(lead_municipality=district["gartow"], status=Status.IDEA, title="Idee")
        MeasurementFactory(indicator=indicator, period=datetime.date(2025, 1, 1), value=30)
    ProgressNote.objects.create(
        measure=portal,
        noted_on=datetime.date(2026, 11, 30),
        status=Status.IN_PROGRESS,
        percent_done=60,
        text="Zwölf Leistungen sind online; die Bezahlfunktion folgt im Frühjahr.",
        written_by=users["editor_own"],
    )
    return {"portal": portal, "files": files}


def pdf_text(path):
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())
