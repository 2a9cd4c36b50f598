"""Review state as a column and a filter of the measure list, for internal users only."""

import pytest
from django.urls import reverse

from measures.review import ReviewState

from ..factories import MeasureFactory, publish_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def measures(district):
    hitzacker = district["hitzacker"]
    return {
        "draft": MeasureFactory(lead_municipality=hitzacker, title="Noch Entwurf"),
        "returned": MeasureFactory(
            lead_municipality=hitzacker,
            title="Zurückgegebene",
            review_state=ReviewState.CHANGES_REQUESTED,
        ),
        "accepted": publish_now(
            MeasureFactory(
                lead_municipality=hitzacker,
                title="Angenommene",
                review_state=ReviewState.ACCEPTED,
            )
        ),
    }


def titles(response):
    return sorted(m.title for m in response.context["page"].object_list)


@pytest.mark.parametrize("role", ["editor_own", "editor_other", "coordinator", "council"])
def test_internal_users_filter_by_review_state_and_see_the_column(as_role, role, measures):
    client = as_role(role)
    response = client.get(reverse("measures:list"), {"review": ReviewState.CHANGES_REQUESTED})
    assert titles(response) == ["Zurückgegebene"]
    page = response.content.decode()
    assert '<th scope="col">Prüfung</th>' in page
    assert 'name="review"' in page and "Änderungen erbeten" in page
    everything = client.get(reverse("measures:list"))
    assert len(titles(everything)) == 3


def test_the_public_never_sees_or_filters_by_review_state(client, measures):
    response = client.get(reverse("measures:list"), {"review": ReviewState.DRAFT})
    page = response.content.decode()
    assert '<th scope="col">Prüfung</th>' not in page and 'name="review"' not in page
    assert titles(response) == ["Angenommene"]  # the parameter is ignored, published only


def test_the_export_follows_the_review_filter_for_internal_users(as_role, measures):
    response = as_role("coordinator").get(
        reverse("measures:export", args=["csv"]), {"review": ReviewState.DRAFT}
    )
    text = response.content.decode("utf-8")
    assert "Noch Entwurf" in text and "Angenommene" not in text
