"""Laying a draft before the Kreistag writes the published lead, field and partners."""

import pytest
from django.urls import reverse

from drafts.models import StrategyDraft
from drafts.tasks import render_now
from drafts.workflow import freeze, publish
from measures.models import Measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_draft(measures, draft, users):
    freeze(draft, users["coordinator"], render=False)
    frozen = render_now(StrategyDraft.objects.get(pk=draft.pk))
    return publish(frozen, users["coordinator"], without_consultation=True)


def test_publication_writes_the_published_columns(client, district, published_draft):
    published = {m["id"]: m for m in published_draft.snapshot["measures"]}
    measures = Measure.objects.filter(pk__in=published).prefetch_related("public_partners")
    assert len(measures) == len(published) == 12
    for measure in measures:
        snapshot = published[measure.pk]
        assert measure.public_snapshot == snapshot
        assert measure.public_lead_id == snapshot["lead"]["id"]
        assert measure.public_field.number == snapshot["field_of_action"]
        assert [p.pk for p in measure.public_partners.all()] == [
            p["id"] for p in snapshot["partners"]
        ]
        assert measure.public_changed_at == published_draft.published_at
    joint = next(m for m in measures if published[m.pk]["partners"])
    # An unreviewed edit drops the partner; the public still finds the measure by it.
    joint.partnerships.all().delete()
    found = client.get(reverse("measures:list"), {"municipality": "dannenberg-elbe"})
    assert joint.pk in {m.pk for m in found.context["page"].object_list}
