"""Demo content is marked wherever it appears: lists, public pages, the PDF (issue 8 §9)."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from drafts.models import StrategyDraft
from drafts.pdf import DraftPDFGenerator
from drafts.workflow import freeze
from measures.models import Measure
from measures.review import ReviewState, measure_snapshot, transition_to

pytestmark = pytest.mark.django_db


def test_demo_measures_are_marked_in_lists_public_pages_and_the_pdf(client, demo_district):
    demo = Measure.objects.with_related().filter(is_demo=True).order_by("pk").first()
    coordinator = get_user_model().objects.get(username="koordination")
    client.force_login(coordinator)
    for path in ("/massnahmen/", f"/massnahmen/kommune/{demo.lead_municipality.slug}/"):
        assert "Demo-Inhalt" in client.get(path).content.decode(), path
    client.logout()
    demo.public_snapshot = measure_snapshot(demo)
    demo.public_since = datetime.datetime.now(datetime.UTC)
    demo.save()
    assert "Demo-Inhalt" in client.get(f"/massnahmen/{demo.pk}/").content.decode()
    if demo.review_state == ReviewState.DRAFT:
        transition_to(demo, ReviewState.SUBMITTED, coordinator)
    if demo.review_state == ReviewState.SUBMITTED:
        transition_to(demo, ReviewState.ACCEPTED, coordinator)
    draft = StrategyDraft.objects.create(
        title="Interkommunale Digitalisierungsstrategie",
        version_label="Entwurf 1",
        resolution_date=datetime.date(2026, 6, 18),
        created_by=coordinator,
    )
    freeze(draft, coordinator, render=False)
    html = DraftPDFGenerator(StrategyDraft.objects.get(pk=draft.pk)).get_html()
    assert f"{demo.title} (Demo-Inhalt)" in html
    assert "Demo-Maßnahme" in html
