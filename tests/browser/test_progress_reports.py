"""The Sachstandsberichte pages in Chromium: the public list, the coordinator's list and the
confirmation before presenting, free of axe violations and reflowing at 320 px."""

import datetime

import pytest

from evaluation import report
from tests.evaluation.report_fixtures import at, two_years  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def built(request, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    request.getfixturevalue("two_years")
    with at(datetime.date(2027, 1, 15)):
        return report.render(
            report.build(
                "Sachstandsbericht 2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
            )
        )


def test_report_pages_are_accessible(page, built, login, assert_accessible):
    page.goto("/evaluierung/berichte/")
    page.get_by_text("Noch hat die Kreisverwaltung keinen Sachstandsbericht").wait_for()
    assert_accessible(page)
    login("koordination")
    page.goto("/evaluierung/berichte/")
    page.get_by_role("link", name="Dem Kreistag vorlegen").click()
    page.get_by_role("heading", name="dem Kreistag zur Kenntnisnahme vorlegen?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt dem Kreistag vorlegen").click()
    page.get_by_text("wurde dem Kreistag zur Kenntnisnahme vorgelegt").wait_for()
    assert_accessible(page)


def test_a_bodys_report_goes_to_its_council_accessibly(
    page, request, settings, tmp_path, district, login, assert_accessible
):
    settings.MEDIA_ROOT = tmp_path / "media"
    request.getfixturevalue("two_years")
    with at(datetime.date(2027, 1, 15)):
        report.render(
            report.build(
                "Sachstand Elbtalaue",
                datetime.date(2026, 1, 1),
                datetime.date(2026, 12, 31),
                body=district["elbtalaue"],
            )
        )
    council = "Samtgemeinderat der Samtgemeinde Elbtalaue"
    login("koordination")
    page.goto("/evaluierung/berichte/")
    page.get_by_role("link", name=f"Dem {council} vorlegen").click()
    page.get_by_role("heading", name=f"dem {council} zur Kenntnisnahme vorlegen?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name=f"Jetzt dem {council} vorlegen").click()
    page.get_by_text(f"wurde dem {council} zur Kenntnisnahme vorgelegt").wait_for()
    assert_accessible(page)
    page.context.clear_cookies()
    page.goto("/evaluierung/berichte/")
    page.get_by_text(f"dem {council} am").wait_for()
    assert_accessible(page)


def test_the_sachstand_on_behalf_form_is_accessible(page, request, users, login, assert_accessible):
    measures = request.getfixturevalue("two_years")
    login("koordination")
    page.goto(f"/evaluierung/massnahme/{measures['portal'].pk}/sachstand/neu/")
    page.get_by_role("heading", name="Sachstand im Auftrag eintragen").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Sachstand speichern").click()
    page.get_by_text("woher der Sachstand stammt").wait_for()
    assert_accessible(page)
    page.get_by_label("Schreiben vom").check()
    page.get_by_label("Datum der Quelle").fill("2026-11-20")
    page.locator("#id_text").fill("Die Bezahlfunktion ist beauftragt.")
    page.get_by_role("button", name="Sachstand speichern").click()
    page.get_by_text("wurde mit seiner Quelle gespeichert").wait_for()
