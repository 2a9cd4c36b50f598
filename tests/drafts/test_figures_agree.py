"""One definition per figure: the dashboards, the draft page, its PDF and the Sachstandsbericht
count the same sets.

Found as a new user would: the draft said "58 Maßnahmen (82 %) werden fortlaufend evaluiert …
81 Indikatoren" and the public evaluation page "17 von 24 Maßnahmen … Alle Indikatoren (63)"
for the same published data (evaluation/figures.py).
"""

import datetime
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from drafts.models import StrategyDraft
from drafts.tasks import render_now
from drafts.workflow import freeze, publish
from evaluation import report
from evaluation.figures import (
    KeyFigures,
    MeasureRow,
    figures_for,
    figures_from_snapshot,
    key_figures,
)
from measures.models import Measure, Status
from measures.review import ReviewState, after_part_edit, transition_to
from tests.evaluation.factories import IndicatorFactory, MeasurementFactory
from tests.factories import MeasureFactory

from .conftest import accept

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def travel():
    with time_machine.travel(NOW, tick=False):
        yield


def _with_indicators(measure, users, current, without_value=0):
    """Give an accepted measure indicators (``current`` with a value, others without) and
    accept it again, so their texts are part of its reviewed version."""
    for n in range(current):
        indicator = IndicatorFactory(measure=measure, name=f"Wert {measure.pk}.{n}")
        MeasurementFactory(indicator=indicator, period=datetime.date(2026, 1, 1), value=45)
    for n in range(without_value):
        IndicatorFactory(measure=measure, name=f"Leer {measure.pk}.{n}")
    after_part_edit(measure, users["editor_own"])
    transition_to(measure, ReviewState.ACCEPTED, users["coordinator"])


@pytest.fixture
def published(travel, district, measures, draft, users):
    """The drafts fixture (6 planned, 6 in progress) plus an idea, a completed and a paused
    measure; indicators on some of them; frozen, rendered and laid before the Kreistag."""
    accepted = measures["accepted"]
    in_progress = [m for m in accepted if m.status == Status.IN_PROGRESS]
    planned = [m for m in accepted if m.status == Status.PLANNED]
    _with_indicators(in_progress[0], users, current=2)
    _with_indicators(in_progress[1], users, current=0, without_value=1)
    _with_indicators(in_progress[2], users, current=1, without_value=1)
    _with_indicators(planned[0], users, current=1)
    extra = {}
    for status in (Status.IDEA, Status.COMPLETED, Status.PAUSED):
        extra[status] = accept(
            MeasureFactory(lead_municipality=district["hitzacker"], status=status), users
        )
    _with_indicators(extra[Status.IDEA], users, current=1)
    _with_indicators(extra[Status.COMPLETED], users, current=1, without_value=1)
    _with_indicators(extra[Status.PAUSED], users, current=0, without_value=2)
    freeze(draft, users["coordinator"], render=False)
    frozen = render_now(StrategyDraft.objects.get(pk=draft.pk))
    return publish(frozen, users["coordinator"], without_consultation=True)


def test_the_same_figures_everywhere(published, users):
    expected = figures_from_snapshot(published.snapshot)
    # 6 planned, 6 in progress, one idea, one completed, one paused.
    assert (expected.total, expected.active, expected.in_progress) == (15, 13, 6)
    # In progress with a current value: the first (2 values) and the third (1 of 2).
    assert expected.evaluated == 2
    assert expected.evaluated_label == (
        "2 von 6 Maßnahmen in Umsetzung werden fortlaufend evaluiert "
        "(mindestens ein Indikator mit aktuellem Wert)"
    )
    # Indicators of active measures only: not the idea's nor the paused one's.
    assert expected.indicator_total == 2 + 1 + 2 + 1 + 2
    assert expected.indicator_label == "8 Indikatoren der 13 aktiven Maßnahmen"

    everyone = Measure.objects.exclude(review_state=ReviewState.WITHDRAWN)
    assert figures_for(everyone, public=True) == expected
    # Internally the live data of the same measures; the unaccepted ones add to it.
    in_draft = [m["id"] for m in published.snapshot["measures"]]
    assert figures_for(everyone.filter(pk__in=in_draft)) == expected
    internal = figures_for(everyone)
    assert internal.total == expected.total + 2

    coordinator = Client()
    coordinator.force_login(users["coordinator"])
    draft_page = coordinator.get(reverse("drafts:detail", args=[published.pk]))
    assert draft_page.context["summary"]["figures"] == expected
    assert expected.evaluated_label in draft_page.content.decode()

    for client, figures in ((Client(), expected), (coordinator, internal)):
        dashboard = client.get(reverse("evaluation:overview") + "?alle=1")
        assert dashboard.status_code == 200
        html = dashboard.content.decode()
        assert figures.evaluated_label in html
        assert figures.indicator_label in html

    with published.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert expected.evaluated_label in text

    # The Sachstandsbericht reads the same internal data as the coordinator's dashboard.
    built = report.render(report.build("Bericht", datetime.date(2027, 1, 1), NOW.date()))
    assert built.snapshot["figures"]["evaluated_label"] == internal.evaluated_label
    assert built.snapshot["figures"]["indicator_label"] == internal.indicator_label
    with built.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    report_text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert internal.evaluated_label in report_text
    assert internal.indicator_label in report_text
    assert f"{expected.indicator_label}: 5 auf Kurs, 0 gefährdet, 0 nicht auf Kurs" in text


def test_the_public_counts_the_published_version(published, users):
    before = figures_for(Measure.objects.all(), public=True)
    measure = Measure.objects.filter(status=Status.PLANNED).first()
    measure.status = Status.DROPPED
    measure.save()
    IndicatorFactory(measure=Measure.objects.filter(status=Status.IN_PROGRESS).last())
    # Unreviewed edits change the internal figures, never the public ones.
    assert figures_for(Measure.objects.all(), public=True) == before
    internal = figures_for(Measure.objects.all())
    # Two unaccepted measures count internally; the dropped one no longer does.
    assert internal.total == before.total + 2 - 1
    assert internal.indicator_total == before.indicator_total + 1


def test_key_figures_name_their_sets():
    figures = key_figures(
        [
            MeasureRow(Status.IN_PROGRESS, 24, with_indicator=20, with_current_value=17),
            MeasureRow(Status.PLANNED, 10, with_indicator=3),
            MeasureRow(Status.DROPPED, 5, with_indicator=5, with_current_value=5),
            MeasureRow(Status.IDEA, 1),
        ],
        {
            (Status.IN_PROGRESS, "on_track"): 30,
            (Status.PLANNED, None): 2,
            (Status.DROPPED, "on_track"): 9,
            (Status.IDEA, "no_data"): 4,
        },
    )
    assert figures.evaluated_label.startswith("17 von 24 Maßnahmen in Umsetzung")
    assert figures.evaluated_percent == 71
    assert figures.total_label == "35 Maßnahmen (ohne verworfene)"
    assert figures.active_label.startswith("34 von 35 Maßnahmen aktiv")
    assert figures.active_without_indicator == 4 + 7
    assert figures.indicator_total == 32
    assert {code: n for code, _label, n in figures.indicator_rows()}["no_data"] == 2
    assert KeyFigures().evaluated_percent is None
