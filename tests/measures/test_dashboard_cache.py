"""A body's dashboard keeps its counts in the cache until the data changes (issue 13)."""

from django.test import Client
from django.urls import reverse

from measures.models import Partnership, PartnershipState, Status
from tests.factories import MeasureFactory

GARTOW = reverse("measures:dashboard", args=["sg-gartow"])
DISTRICT = reverse("measures:dashboard", args=["landkreis-luechow-dannenberg"])


def council(users):
    client = Client()
    client.force_login(users["council"])
    return client


def test_counts_follow_every_change(users, district, django_assert_max_num_queries):
    client = council(users)
    measure = MeasureFactory(lead_municipality=district["hitzacker"], status=Status.PLANNED)
    assert client.get(GARTOW).context["total"] == 0
    with django_assert_max_num_queries(100) as cold:
        assert client.get(DISTRICT).context["total"] == 1
    with django_assert_max_num_queries(100) as warm:
        assert client.get(DISTRICT).context["total"] == 1
    assert len(warm.captured_queries) < len(cold.captured_queries)
    # A confirmed partnership makes the measure Gartow's (its member Gorleben) at once.
    partnership = Partnership.objects.create(measure=measure, municipality=district["gorleben"])
    assert client.get(GARTOW).context["total"] == 0  # only requested: not counted
    partnership.state = PartnershipState.CONFIRMED
    partnership.save()
    assert client.get(GARTOW).context["total"] == 1
    # A new status moves the count to its column.
    measure.status = Status.IN_PROGRESS
    measure.save()
    matrix = client.get(DISTRICT).context["matrix"]
    cells = {status: n for row in matrix for status, n in row["cells"] if n}
    assert cells == {Status.IN_PROGRESS: 1}
    # Members of a Samtgemeinde: the led counts follow a new lead.
    elbtalaue = reverse("measures:dashboard", args=["sg-elbtalaue"])
    members = dict(client.get(elbtalaue).context["members"])
    assert members[district["hitzacker"]] == 1
    measure.lead_municipality = district["dannenberg"]
    measure.save()
    members = dict(client.get(elbtalaue).context["members"])
    assert members[district["hitzacker"]] == 0 and members[district["dannenberg"]] == 1
