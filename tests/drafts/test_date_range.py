"""Dates outside 1900–2100 in the draft form are refused with a German message."""

import pytest
from django.urls import reverse

from drafts.models import StrategyDraft


@pytest.mark.parametrize("day", ["0001-01-01", "2101-06-18"])
def test_draft_form_refuses_a_resolution_date_outside_the_range(as_role, draft, day):
    client = as_role("coordinator")
    page = client.get(reverse("drafts:update", args=[draft.pk])).content.decode()
    marker = 'name="loaded_version" value="'
    token = page[page.index(marker) + len(marker) :].split('"', 1)[0]
    response = client.post(
        reverse("drafts:update", args=[draft.pk]),
        {
            "title": draft.title,
            "version_label": draft.version_label,
            "resolution_date": day,
            "deadline": "2026-12-31",
            "introduction": draft.introduction,
            "loaded_version": token,
        },
    )
    assert response.status_code == 200
    assert "außerhalb der Jahre 1900 bis 2100" in response.content.decode()
    assert StrategyDraft.objects.get(pk=draft.pk).resolution_date.year == 2026
