"""End-to-end in headless Chromium: the evaluation pages have zero axe-core violations and
reflow at 320 CSS px (the shared ``page`` and ``assert_accessible`` of tests/conftest.py)."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from evaluation.models import CollectionRound
from measures.models import Status
from tests.factories import MeasureFactory

from .factories import AssessmentFactory, IndicatorFactory, MeasurementFactory

pytestmark = pytest.mark.browser


def login(context, client, user, live_server):
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


@pytest.fixture
def evaluation_data(district, fields_of_action):
    measure = MeasureFactory(
        lead_municipality=district["hitzacker"],
        status=Status.IN_PROGRESS,
        title="Online-Anträge im Bürgerbüro",
    )
    MeasureFactory(lead_municipality=district["gorleben"], status=Status.IN_PROGRESS)
    online = IndicatorFactory(
        measure=measure,
        name="Anteil online gestellter Anträge",
        baseline_value=D("12"),
        baseline_date=datetime.date(2024, 1, 1),
        target_value=D("60"),
    )
    days = IndicatorFactory(
        measure=measure,
        name="Bearbeitungszeit in Tagen",
        unit="Tage",
        direction="decrease",
        baseline_value=D("30"),
        target_value=D("10"),
        frequency="quarterly",
    )
    for year, value in ((2024, "12"), (2025, "24,5"), (2026, "31")):
        MeasurementFactory(
            indicator=online, period=datetime.date(year, 1, 1), value=D(value.replace(",", "."))
        )
    MeasurementFactory(indicator=days, period=datetime.date(2026, 7, 1), value=D("22"))
    AssessmentFactory(measure=measure)
    round_ = CollectionRound.objects.create(
        title="Jahreswerte 2026",
        period=datetime.date(2026, 12, 31),
        deadline=datetime.date(2027, 1, 31),
    )
    return {"measure": measure, "indicator": online, "round": round_}


def test_evaluation_pages_are_accessible(
    page, live_server, client, users, evaluation_data, assert_accessible
):
    login(page.context, client, users["coordinator"], live_server)
    urls = [
        reverse("evaluation:overview"),
        reverse("evaluation:municipality_overview", args=["sg-elbtalaue"]),
        evaluation_data["indicator"].get_absolute_url(),
        evaluation_data["measure"].get_absolute_url(),
        reverse("evaluation:indicator_create", args=[evaluation_data["measure"].pk]),
        reverse("evaluation:round_detail", args=[evaluation_data["round"].pk]),
        reverse("evaluation:round_close", args=[evaluation_data["round"].pk]),
        reverse(
            "evaluation:measurement_delete",
            args=[evaluation_data["indicator"].measurements.first().pk],
        ),
        reverse("evaluation:round_entry", args=[evaluation_data["round"].pk, "hitzacker-elbe"]),
        reverse("evaluation:import"),
        reverse("evaluation:overdue_list"),
    ]
    for url in urls:
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert_accessible(page)


def test_editor_enters_a_value_and_sees_it(
    page, live_server, client, users, evaluation_data, assert_accessible
):
    login(page.context, client, users["editor_own"], live_server)
    page.goto(evaluation_data["indicator"].get_absolute_url())
    page.get_by_label("Zeitraum").fill("2023")
    page.get_by_label("Wert in %").fill("8,5")
    page.get_by_role("button", name="Wert speichern").click()
    page.wait_for_load_state()
    assert "Der Wert für 2023 wurde gespeichert." in page.content()
    assert page.get_by_role("row", name="2023").count() == 1
    assert_accessible(page)

    # A correction by more than ten times asks for a confirmation and a note first.
    page.get_by_label("Zeitraum").fill("2026")
    page.get_by_label("Wert in %").fill("2,5")
    page.get_by_role("button", name="Wert speichern").click()
    page.wait_for_load_state()
    assert "mehr als das Zehnfache" in page.content()
    assert_accessible(page)
    page.get_by_label("Ja, die große Korrektur ist richtig.").check()
    page.get_by_label("Notiz").fill("Zählfehler im Bürgerbüro")
    page.get_by_role("button", name="Wert speichern").click()
    page.wait_for_load_state()
    assert "Der Wert für 2026 wurde korrigiert." in page.content()
    assert "Zählfehler im Bürgerbüro" in page.content()  # in the correction log
    assert_accessible(page)

    # An invalid value: the error is shown next to the field and the page stays accessible.
    page.get_by_label("Zeitraum").fill("nächstes Jahr")
    page.get_by_label("Wert in %").fill("viel")
    page.get_by_role("button", name="Wert speichern").click()
    page.wait_for_load_state()
    assert "Bitte geben Sie eine Zahl an" in page.content()
    assert_accessible(page)
