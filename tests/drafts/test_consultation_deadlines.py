"""Deadlines that fit the council's calendar (issue 19 §4): the default ends before the first
meeting of the Beratungsfolge and never after the draft's Kreistag deadline; a later date
needs a confirmation; closed early, texts and PDF name the real end."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from drafts.consultation import close, default_deadline, latest_deadline, open_consultation
from drafts.models import Consultation, StrategyDraft
from drafts.tasks import render_now
from drafts.workflow import freeze

pytestmark = pytest.mark.django_db

# The draft of the issue: resolution 18 June 2026, so due at the Kreistag on 18 December 2026.
KREISTAG_DEADLINE = datetime.date(2026, 12, 18)


# District, users and measures are built once for this module (tests/drafts/conftest.py);
# each test reads them afresh and its changes are rolled back.
SHARED_WORLD = True
WORLD_TIME = datetime.datetime(
    2026, 12, 6, 9, 0, tzinfo=datetime.UTC
)  # the moment _today travels to


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def frozen_draft(measures, draft, users):
    assert draft.deadline == KREISTAG_DEADLINE
    return freeze(draft, users["coordinator"], render=False)


def _url(name, draft):
    return reverse(f"drafts:{name}", args=[draft.pk])


def _text(response):
    return " ".join(response.content.decode().split())


def test_the_default_deadline_ends_by_the_kreistag_deadline(as_role, frozen_draft):
    # Without a limit it would be four weeks: 3 January 2027, after the Kreistag's deadline.
    assert default_deadline(frozen_draft) == KREISTAG_DEADLINE
    page = _text(as_role("coordinator").get(_url("consultation_open", frozen_draft)))
    assert 'value="2026-12-18"' in page
    assert "bis zur Vorlage beim Kreistag (Frist: 18. Dezember 2026) vorliegen" in page


def test_the_default_deadline_ends_before_the_first_meeting_of_the_beratungsfolge(frozen_draft):
    frozen_draft.committee_meeting_date = datetime.date(2026, 12, 14)
    frozen_draft.council_meeting_date = datetime.date(2026, 12, 17)
    assert default_deadline(frozen_draft) == datetime.date(2026, 12, 13)
    assert latest_deadline(frozen_draft)[1] == (
        "vor der Sitzung des Kreisausschusses am 14. Dezember 2026"
    )
    frozen_draft.committee_meeting_date = None
    assert default_deadline(frozen_draft) == datetime.date(2026, 12, 16)


def test_without_dates_close_by_the_default_is_four_weeks(frozen_draft):
    frozen_draft.deadline = datetime.date(2027, 6, 30)
    assert default_deadline(frozen_draft) == datetime.date(2027, 1, 3)
    # A deadline already past cannot be kept: the usual four weeks, to be confirmed.
    frozen_draft.deadline = datetime.date(2026, 12, 1)
    assert default_deadline(frozen_draft) == datetime.date(2027, 1, 3)


def test_a_later_deadline_needs_a_confirmation_that_states_the_consequence(as_role, frozen_draft):
    client = as_role("coordinator")
    url = _url("consultation_open", frozen_draft)
    refused = _text(client.post(url, {"deadline": "2027-01-03"}))
    assert "Die Frist endet nach dem 18. Dezember 2026" in refused
    assert (
        "Ja, die Frist soll trotzdem erst am 3. Januar 2027 enden. Die Stellungnahmen sollten "
        "bis zur Vorlage beim Kreistag (Frist: 18. Dezember 2026) vorliegen; was danach "
        "eingeht, kann der Kreistag nicht mehr berücksichtigen."
    ) in refused
    assert not Consultation.objects.exists()
    response = client.post(url, {"deadline": "2027-01-03", "confirm_late": "on"})
    assert response.status_code == 302
    assert Consultation.objects.get().deadline == datetime.date(2027, 1, 3)


def test_a_deadline_within_the_limit_needs_no_confirmation(as_role, frozen_draft):
    response = as_role("coordinator").post(
        _url("consultation_open", frozen_draft), {"deadline": "2026-12-18"}
    )
    assert response.status_code == 302
    assert Consultation.objects.get().deadline == KREISTAG_DEADLINE


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ("9999-01-01", "Bitte wählen Sie eine Frist in den nächsten Jahren."),
        ("2026-12-05", "Die Frist kann nicht in der Vergangenheit liegen."),
        ("2026-12-1\x00", "Bitte geben Sie ein Datum an"),
        ("x" * 100_000, "Bitte geben Sie ein Datum an"),
    ],
)
def test_bad_deadlines_give_a_german_error(as_role, frozen_draft, deadline, message):
    response = as_role("coordinator").post(
        _url("consultation_open", frozen_draft), {"deadline": deadline, "confirm_late": "on"}
    )
    assert response.status_code == 200
    assert message in _text(response)
    assert not Consultation.objects.exists()


def test_closed_early_the_pdf_and_the_pages_name_the_real_end(as_role, frozen_draft, users):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)):
        consultation = open_consultation(
            frozen_draft, users["coordinator"], datetime.date(2027, 1, 3)
        )
    close(consultation, users["coordinator"])
    consultation.refresh_from_db()
    assert consultation.ended_on == datetime.date(2026, 12, 6) and consultation.closed_early
    drafted = render_now(StrategyDraft.objects.get(pk=frozen_draft.pk))
    with drafted.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "haben bis zum Abschluss am 6. Dezember 2026 Stellung genommen" in text
    assert "bis zum 3. Januar 2027" not in text
    assert "vorzeitig abgeschlossen am 6. Dezember 2026" in text
    page = _text(as_role("council").get(_url("consultation", frozen_draft)))
    assert "abgeschlossen, vor der geplanten Frist (03.01.2027)" in page
    detail = _text(as_role("council").get(_url("detail", frozen_draft)))
    assert "Abgeschlossen am 06.12.2026 (vor der Frist 03.01.2027)" in detail


def test_closed_after_the_deadline_the_pdf_names_the_deadline(frozen_draft, users):
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)):
        consultation = open_consultation(
            frozen_draft, users["coordinator"], datetime.date(2026, 12, 4)
        )
    close(consultation, users["coordinator"])
    drafted = render_now(StrategyDraft.objects.get(pk=frozen_draft.pk))
    with drafted.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "haben bis zum 4. Dezember 2026 Stellung genommen" in text
    assert "vorzeitig" not in text
