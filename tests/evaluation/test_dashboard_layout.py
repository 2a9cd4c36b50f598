"""The evaluation page: in-page navigation, and one clear empty state (issue 8 §9)."""

import pytest
from django.urls import reverse

from .factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_public_evaluation_before_publication_shows_one_empty_state(client, measure):
    IndicatorFactory(measure=measure)  # internal only: the measure is not published
    page = client.get(reverse("evaluation:overview")).content.decode()
    assert "Noch keine Evaluierung veröffentlicht" in page
    assert "<svg" not in page
    assert "Nach Handlungsfeld" not in page


def test_internal_evaluation_has_a_table_of_contents(as_role, measure):
    IndicatorFactory(measure=measure)
    page = as_role("coordinator").get(reverse("evaluation:overview")).content.decode()
    assert 'aria-label="Inhalt dieser Seite"' in page
    for anchor in ("nach-handlungsfeld", "nach-kommune", "nach-massnahme", "handlungsbedarf"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert "Noch keine Evaluierung" not in page
