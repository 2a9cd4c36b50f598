"""The council members' filter "Maßnahmen der Vorlage" with few and many measures.

Apart from tests/drafts/test_vorlage_measures.py, which builds its measures once for the
module: this test starts from an empty list and adds measures itself.
"""

import datetime

import pytest
from django.urls import reverse

from drafts.models import StrategyDraft
from measures.models import Measure

from ..factories import MeasureFactory
from .conftest import accept
from .test_vorlage_measures import present

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["anonymous", "council"])
def test_the_filtered_list_has_a_flat_query_count(
    as_role, role, draft, users, district, django_assert_max_num_queries
):
    from fields_of_action.models import FieldOfAction

    fields = list(FieldOfAction.objects.all())
    bodies = [district["hitzacker"], district["gorleben"], district["dannenberg"]]
    counts = []
    client = as_role(role)
    for size in (3, 40):
        for i in range(size - Measure.objects.count()):
            accept(
                MeasureFactory(lead_municipality=bodies[i % 3], field_of_action=fields[i % 6]),
                users,
            )
        version = StrategyDraft.objects.create(
            title="Strategie",
            version_label=f"Entwurf {size}",
            resolution_date=datetime.date(2026, 6, 18),
            created_by=users["coordinator"],
        )
        present(version, users)
        with django_assert_max_num_queries(14) as captured:
            response = client.get(reverse("measures:list"), {"vorgelegt": "1", "sort": "title"})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == size
        counts.append(len(captured))
    assert counts[0] == counts[1]
