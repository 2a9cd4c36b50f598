"""A body's Vorlage while it is being made, in the browser (issue 23 §10): the page says so in
a polite live region and, once the file is made, shows the download link without a reload; a
failed render shows its reason and the coordinator's button. axe at 1280 and 320 px."""

import pytest
from django.urls import reverse

from drafts import adoption, body_rendering
from drafts.adoption_models import DecisionProcedure
from drafts.models import BodyDocumentFile, RenderState
from tests.browser.test_adoption import _shot, presented  # noqa: F401 - fixture

# ruff: noqa: F811 - the imported fixture is a parameter of the tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 320])
def test_the_vorlage_page_waits_then_offers_the_file(
    page,
    presented,
    login,
    assert_accessible,
    width,  # noqa: F811
):
    draft, elbtalaue = presented
    adoption.set_up(draft, _coordinator())
    page.set_viewport_size({"width": width, "height": 900})
    url = reverse("drafts:body_document", args=[draft.pk, elbtalaue.slug])
    response = page.goto(url)  # the public, once presented
    assert response.status == 202
    status = page.get_by_role("status")
    assert "Die PDF-Datei wird erzeugt" in status.inner_text()
    assert_accessible(page)
    _shot(page, "body-document-waiting", width)
    link = page.get_by_role("link", name="Vorlage herunterladen (PDF)")
    link.wait_for(state="visible", timeout=15_000)
    assert "Die PDF-Datei ist fertig." in status.inner_text()
    assert (
        "Sekunden" not in status.inner_text() and "Stand aktualisieren" not in status.inner_text()
    )
    assert_accessible(page)
    _shot(page, "body-document-ready", width)


@pytest.mark.parametrize("width", [1280, 320])
def test_a_failed_vorlage_shows_the_reason_and_the_coordinators_button(
    page,
    presented,
    login,
    assert_accessible,
    width,  # noqa: F811
):
    draft, elbtalaue = presented
    adoption.set_up(draft, _coordinator())
    procedure = DecisionProcedure.objects.get(draft=draft, municipality=elbtalaue)
    procedure.draft = draft
    BodyDocumentFile.objects.create(
        procedure=procedure,
        html_sha256=body_rendering.current_key(procedure),
        render_state=RenderState.FAILED,
        render_error=body_rendering.RENDER_FAILED.format(reason="OSError: Schriftart fehlt"),
    )
    page.set_viewport_size({"width": width, "height": 900})
    login("koordination")
    page.goto(reverse("drafts:body_document", args=[draft.pk, elbtalaue.slug]))
    assert "OSError: Schriftart fehlt" in page.get_by_role("alert").inner_text()
    assert_accessible(page)
    _shot(page, "body-document-failed", width)
    # The POST is sent on to the server and answered there completely before the test goes on;
    # the browser is then not sent after the redirect: following it would fetch the new PDF
    # while the test's teardown already empties the database (an error at teardown, seen once).
    answers = []

    def post_without_following(route):
        answers.append(route.fetch(max_redirects=0).status)
        route.fulfill(status=204)

    render_url = reverse("drafts:body_document_render", args=[draft.pk, elbtalaue.slug])
    page.route(f"**{render_url}", post_without_following)
    page.get_by_role("button", name="Vorlage erneut erzeugen").click(no_wait_after=True)
    for _ in range(100):  # up to five seconds for the route handler to get the answer
        if answers:
            break
        page.wait_for_timeout(50)
    assert answers == [302]
    assert BodyDocumentFile.objects.get().render_state == RenderState.READY


def _coordinator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="koordination")
