"""The evaluation opens on the user's own body; every Gemeinde has its own view (issue 8 §5)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "slug"),
    [
        ("editor_own", "hitzacker-elbe"),
        ("editor_other", "gorleben"),
        ("samtgemeinde_editor", "sg-elbtalaue"),
    ],
)
def test_an_editors_overview_opens_on_their_body(as_role, role, slug, measure):
    response = as_role(role).get(reverse("evaluation:overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:municipality_overview", args=[slug])


@pytest.mark.parametrize("role", ["anonymous", "coordinator", "council"])
def test_district_roles_and_the_public_see_the_whole_district(as_role, role, measure):
    response = as_role(role).get(reverse("evaluation:overview"))
    assert response.status_code == 200
    assert response.context["municipality"] is None


def test_an_editor_can_still_see_the_whole_district(as_role, measure):
    client = as_role("editor_own")
    own = client.get(reverse("evaluation:municipality_overview", args=["hitzacker-elbe"]))
    assert f'href="{reverse("evaluation:overview")}?alle=1"' in own.content.decode()
    response = client.get(reverse("evaluation:overview"), {"alle": "1"})
    assert response.status_code == 200 and response.context["municipality"] is None


@pytest.mark.parametrize("slug", ["hitzacker-elbe", "dannenberg-elbe", "gorleben", "sg-gartow"])
def test_every_gemeinde_has_its_own_view_with_links_to_its_neighbours(client, district, slug):
    response = client.get(reverse("evaluation:municipality_overview", args=[slug]))
    assert response.status_code == 200
    assert response.context["municipality"].slug == slug
    page = response.content.decode()
    assert 'aria-label="Evaluierung nach Gemeinde"' in page
    members = sorted(b.slug for b in response.context["member_bodies"])
    expected = (
        ["gorleben"] if slug in ("gorleben", "sg-gartow") else ["dannenberg-elbe", "hitzacker-elbe"]
    )
    assert members == expected
