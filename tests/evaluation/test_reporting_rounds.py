"""Berichtsrunden: period, deadline, who is asked, completeness per body, reminders, tasks."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from evaluation.models import (
    ProgressNote,
    ReportingRound,
    ReportingRoundNotice,
    RoundNotice,
    SourceKind,
)
from evaluation.reporting import completeness, send_opening, send_reminders
from measures.models import Status
from tests.factories import MeasureFactory

from .factories import IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "coordinator", "council"]
NOW = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def asked(measure, other_measure, district):
    """Hitzacker's measure in progress with a manual indicator without value, Gorleben's, and
    an idea of Dannenberg (not active: not asked)."""
    IndicatorFactory(measure=measure, name="Anteil online", source_kind=SourceKind.MANUAL)
    MeasureFactory(lead_municipality=district["dannenberg"], status=Status.IDEA)
    return {"hitzacker": measure, "gorleben": other_measure}


def make_round(users, deadline=datetime.date(2027, 1, 25), **kwargs):
    return ReportingRound.objects.create(
        title="Sachstandsbericht 2026",
        deadline=deadline,
        opened_by=users["coordinator"],
        **kwargs,
    )


def _form(**changes):
    data = {
        "title": "Sachstandsbericht 2026",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "deadline": "2027-01-25",
        "message": "Bitte je Maßnahme ein paar Sätze.",
    }
    data.update(changes)
    return data


def test_the_period_defaults_to_the_calendar_year(as_role, users):
    form = as_role("coordinator").get(reverse("evaluation:reporting_rounds")).context["form"]
    assert form["period_start"].value() == datetime.date(2026, 1, 1)
    assert form["period_end"].value() == datetime.date(2026, 12, 31)
    assert form["title"].value() == "Sachstandsbericht 2026"
    reporting_round = make_round(users)
    assert (reporting_round.period_start, reporting_round.period_end) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 12, 31),
    )


def test_opening_asks_every_body_leading_active_measures(
    as_role, asked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("coordinator").post(reverse("evaluation:reporting_rounds"), _form())
    assert response.status_code == 302
    # Hitzacker and Gorleben; Dannenberg's only measure is an idea.
    assert sorted(to for m in mail.outbox for to in m.to) == [
        "gorleben@example.org",
        "hitzacker@example.org",
    ]
    hitzacker = next(m for m in mail.outbox if "hitzacker@example.org" in m.to)
    assert "Berichtsrunde „Sachstandsbericht 2026“" in hitzacker.subject
    assert "25.01.2027" in hitzacker.subject
    assert "01.01.2026 bis 31.12.2026" in hitzacker.body
    assert "Online-Anträge im Bürgerbüro (Sachstand; Werte: Anteil online)" in hitzacker.body
    assert "Bitte je Maßnahme ein paar Sätze." in hitzacker.body
    reporting_round = ReportingRound.objects.get()
    assert hitzacker.body.rstrip().count(reporting_round.get_absolute_url()) == 1
    notice = ReportingRoundNotice.objects.get()
    assert (notice.notice, notice.recipients) == (RoundNotice.OPENED, 2)
    assert send_opening(reporting_round.pk) == 0  # once


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_end": "2025-12-31"}, "endet vor seinem Beginn"),
        ({"deadline": "9999-01-01"}, "außerhalb der Jahre 1900 bis 2100"),
        ({"period_start": "0001-01-01"}, "außerhalb der Jahre 1900 bis 2100"),
        ({"deadline": "2026-11-30"}, "nicht in der Vergangenheit"),
        ({"title": "x" * 100_000}, "Höchstens 200 Zeichen"),
        ({"title": "Bericht\x00"}, "Null"),
        ({"message": "y" * 100_000}, "Höchstens 2000 Zeichen"),
        ({"deadline": ""}, "Frist"),
    ],
)
def test_bad_input_gets_a_german_message_and_stores_nothing(as_role, asked, changes, message):
    response = as_role("coordinator").post(reverse("evaluation:reporting_rounds"), _form(**changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Nichts wurde gespeichert" in html
    assert not ReportingRound.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(as_role, role, asked, users):
    reporting_round = make_round(users)
    client = as_role(role)
    listing = client.get(reverse("evaluation:reporting_rounds"))
    created = client.post(reverse("evaluation:reporting_rounds"), _form(title="Zweite Runde"))
    detail = client.get(reporting_round.get_absolute_url())
    close_page = client.get(reverse("evaluation:reporting_round_close", args=[reporting_round.pk]))
    closed = client.post(reverse("evaluation:reporting_round_close", args=[reporting_round.pk]))
    reporting_round.refresh_from_db()
    if role == "anonymous":
        assert {r.status_code for r in (listing, created, detail, close_page, closed)} == {302}
        assert all("/accounts/login/" in r.url for r in (listing, detail, closed))
    if role == "coordinator":
        assert (listing.status_code, created.status_code, detail.status_code) == (200, 302, 200)
        assert (close_page.status_code, closed.status_code) == (200, 302)
        assert reporting_round.closed_at is not None
        assert ReportingRound.objects.filter(title="Zweite Runde").exists()
        return
    assert not ReportingRound.objects.filter(title="Zweite Runde").exists()
    assert reporting_round.closed_at is None
    if role == "anonymous":
        return
    assert (created.status_code, close_page.status_code, closed.status_code) == (403, 403, 403)
    assert (listing.status_code, detail.status_code) == (200, 200)
    html = detail.content.decode()
    # Editors see the bodies they answer for; the coordinator and the Kreistag see all.
    sees_hitzacker = role in ("editor_own", "samtgemeinde_editor", "council")
    sees_gorleben = role in ("editor_other", "council")
    assert ("Hitzacker (Elbe):" in html) == sees_hitzacker
    assert ("Gorleben:" in html) == sees_gorleben


def test_completeness_counts_notes_in_the_round_and_current_values(asked, users):
    reporting_round = make_round(users)
    hitzacker, gorleben = asked["hitzacker"], asked["gorleben"]
    # Before the period: does not count. In January, before the deadline: counts.
    ProgressNote.objects.create(
        measure=hitzacker, noted_on=datetime.date(2025, 12, 31), status="in_progress", text="Alt."
    )
    ProgressNote.objects.create(
        measure=gorleben, noted_on=datetime.date(2026, 11, 30), status="in_progress", text="Gut."
    )
    bodies = completeness(reporting_round)
    listed = [b.municipality for b in bodies.values()]
    assert {b.slug for b in listed} == {"hitzacker-elbe", "gorleben"}
    assert listed == sorted(listed, key=lambda b: b.tree_path)
    by_slug = {b.municipality.slug: b for b in bodies.values()}
    assert (by_slug["hitzacker-elbe"].with_note, by_slug["hitzacker-elbe"].missing_values) == (0, 1)
    assert by_slug["gorleben"].complete
    ProgressNote.objects.create(
        measure=hitzacker, noted_on=datetime.date(2026, 12, 1), status="in_progress", text="Neu."
    )
    indicator = hitzacker.indicators.get()
    MeasurementFactory(indicator=indicator, period=datetime.date(2026, 1, 1), value=45)
    assert completeness(reporting_round)[hitzacker.lead_municipality_id].complete


def test_reminders_a_week_and_a_day_before_each_once(asked, users):
    reporting_round = make_round(users)
    ProgressNote.objects.create(
        measure=asked["gorleben"],
        noted_on=datetime.date(2026, 12, 1),
        status="in_progress",
        text="Alles nach Plan.",
    )
    sent = {}
    day = datetime.date(2026, 12, 1)
    while day <= datetime.date(2027, 1, 26):
        with time_machine.travel(
            datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC), tick=False
        ):
            count = send_reminders()
        if count:
            sent[day] = count
        day += datetime.timedelta(days=1)
    # Only Hitzacker owes something; Gorleben has written its Sachstand.
    assert sent == {datetime.date(2027, 1, 18): 1, datetime.date(2027, 1, 24): 1}
    assert [m.to for m in mail.outbox] == [["hitzacker@example.org"]] * 2
    assert "in 7 Tagen" in mail.outbox[0].body and "morgen" in mail.outbox[1].body
    assert "Sachstand" in mail.outbox[0].subject
    notices = set(reporting_round.notices.values_list("notice", flat=True))
    assert notices == {RoundNotice.FIRST_REMINDER, RoundNotice.LAST_REMINDER}


def test_a_closed_round_reminds_nobody(asked, users):
    reporting_round = make_round(users, deadline=datetime.date(2026, 12, 5))
    reporting_round.closed_at = NOW
    reporting_round.save()
    assert send_reminders(today=datetime.date(2026, 12, 4)) == 0
    assert not mail.outbox


def test_my_tasks_name_the_missing_sachstand(as_role, asked, users):
    make_round(users)
    page = as_role("editor_own").get(reverse("measures:dashboard", args=["hitzacker-elbe"]))
    html = page.content.decode()
    assert "Berichtsrunde „Sachstandsbericht 2026“" in html
    assert "Zu 1 von 1 Maßnahmen fehlt ein Sachstand (Online-Anträge im Bürgerbüro)" in html
    assert "1 Wert fehlt" in html
    other = as_role("editor_other").get(reverse("measures:dashboard", args=["hitzacker-elbe"]))
    assert "Berichtsrunde" not in other.content.decode()


@pytest.mark.parametrize("role", ["coordinator", "council", "editor_own"])
def test_a_missing_sachstand_links_to_writing_it(as_role, role, asked, users, measure):
    reporting_round = make_round(users)
    html = as_role(role).get(reporting_round.get_absolute_url()).content.decode()
    link = reverse("evaluation:progress_create", args=[measure.pk])
    # The body writes its own; the coordinator enters it on the body's behalf; the Kreistag
    # only reads.
    assert (f'href="{link}">Sachstand schreiben' in html) == (role == "editor_own")
    assert (f'href="{link}">im Auftrag eintragen' in html) == (role == "coordinator")
