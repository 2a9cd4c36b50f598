"""The people list shows for each body who acts for it, open invitations and, highlighted,
"niemand" with a link to invite someone; the coordinator's Übersicht counts those bodies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipalities.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory, UserFactory


def _section(html, body):
    """The part of the list about one body (up to the next body's heading)."""
    start = html.index(f'id="kommune-{body.pk}"')
    end = html.find('<h2 class="h5" id="kommune-', start + 1)
    return html[start : end if end != -1 else len(html)]


@pytest.fixture
def invited(as_role, district):
    response = as_role("coordinator").post(
        reverse("people:invite"),
        {
            "first_name": "Greta",
            "last_name": "Neu",
            "email": "greta.neu@gartow.de",
            "municipality": district["gartow"].pk,
            "role": Role.EDITOR,
        },
    )
    assert response.status_code == 302


def test_each_body_shows_who_acts_for_it(as_role, users, district, invited):
    html = as_role("coordinator").get(reverse("people:list")).content.decode()
    sg_name = users["samtgemeinde_editor"].get_full_name()
    # A town with its own editor: hers, and the Samtgemeinde's administration besides.
    hitzacker = _section(html, district["hitzacker"])
    assert f"Redaktion von Hitzacker (Elbe): {users['editor_own'].get_full_name()}" in hitzacker
    assert f"außerdem Verwaltung der Samtgemeinde Elbtalaue: {sg_name}" in hitzacker
    # A town without: the Samtgemeinde's administration acts and gets the notices.
    dannenberg = _section(html, district["dannenberg"])
    assert f"Verwaltung der Samtgemeinde Elbtalaue: {sg_name}" in dannenberg
    assert "die Verwaltung der Samtgemeinde Elbtalaue (keine eigene Redaktion)" in dannenberg
    assert "niemand</strong>" not in dannenberg
    # Samtgemeinde Gartow: only an invitation not yet taken up, so nobody, in words, with a
    # link that invites someone for exactly this body.
    gartow = _section(html, district["gartow"])
    assert "<strong" in gartow and "niemand</strong>" in gartow
    assert "Greta Neu</a> (Link gültig bis" in gartow
    invite = f"{reverse('people:invite')}?kommune={district['gartow'].pk}"
    assert f'href="{invite}"' in gartow
    # The district and Gartow lack anyone (the coordinator does not answer for a body).
    assert "2 Kommunen ohne jemanden, der für sie antworten kann" in html


def test_the_invite_link_preselects_the_body_and_the_editor_role(as_role, district):
    client = as_role("coordinator")
    html = client.get(reverse("people:invite"), {"kommune": district["gartow"].pk}).content
    html = html.decode()
    assert f'<option value="{district["gartow"].pk}" selected>' in html
    assert '<option value="editor" selected>' in html
    for junk in ["x", "²", "9" * 30, "-1", "1\x00"]:
        assert client.get(reverse("people:invite"), {"kommune": junk}).status_code == 200


def test_only_the_bodies_nobody_can_answer_for(as_role, users, district):
    client = as_role("coordinator")
    html = client.get(reverse("people:list"), {"niemand": "1"}).content.decode()
    shown = html.split("Letzte Änderungen")[0]
    assert f'id="kommune-{district["gartow"].pk}"' in shown
    assert f'id="kommune-{district["district"].pk}"' in shown
    assert f'id="kommune-{district["hitzacker"].pk}"' not in shown
    assert f'id="kommune-{district["dannenberg"].pk}"' not in shown
    # Gorleben's editor is deactivated: now nobody acts for Gorleben either.
    users["editor_other"].is_active = False
    users["editor_other"].save()
    html = client.get(reverse("people:list"), {"niemand": "1"}).content.decode()
    assert f'id="kommune-{district["gorleben"].pk}"' in html


def test_the_coordinators_overview_counts_the_bodies_nobody_can_answer_for(
    as_role, users, district
):
    url = reverse("measures:dashboard", args=[district["district"].slug])
    html = as_role("coordinator").get(url).content.decode()
    assert "2 Kommunen ohne jemanden, der für sie antworten kann" in html
    assert f'href="{reverse("people:list")}?niemand=1"' in html
    MembershipFactory(user=users["editor_own"], municipality=district["gartow"], role=Role.EDITOR)
    html = as_role("coordinator").get(url).content.decode()
    assert "1 Kommune ohne jemanden, der für sie antworten kann" in html
    # Only the coordinator is shown the count, and only on the district's page.
    other = as_role("council").get(url).content.decode()
    assert "ohne jemanden, der für sie antworten kann" not in other


def test_people_list_query_count_does_not_grow_with_bodies_and_editors(as_role, district):
    client = as_role("coordinator")
    client.get(reverse("people:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("people:list"))
    for i in range(10):
        body = MunicipalityFactory(
            name=f"Neudorf {i}", ars=f"0335454060{60 + i}", parent=district["elbtalaue"]
        )
        if i % 2:
            MembershipFactory(user=UserFactory(), municipality=body, role=Role.EDITOR)
        MembershipFactory(user=UserFactory(), municipality=district["gartow"], role=Role.EDITOR)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("people:list")).content.decode()
    assert "Neudorf 9" in html
    assert len(many.captured_queries) == len(few.captured_queries)
