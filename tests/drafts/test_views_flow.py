"""The coordinator's whole flow for a draft: create, freeze, render, present, decide.

Apart from tests/drafts/test_views.py, which builds drafts once for the module: this test
starts without any draft.
"""

import datetime

import pytest
from django.urls import reverse

from core.locking import version_token
from drafts.models import DraftState, StrategyDraft

pytestmark = pytest.mark.django_db


def test_coordinator_flow(as_role, measures, users, django_capture_on_commit_callbacks):
    client = as_role("coordinator")
    data = {
        "title": "Interkommunale Digitalisierungsstrategie",
        "version_label": "Entwurf 1",
        "resolution_date": "2026-06-18",
        "deadline": "",
        "introduction": "Gemeinsam digital.",
        "intro_1": "Bürgerinnen und Bürger sollen Leistungen online erledigen.",
    }
    response = client.post(reverse("drafts:create"), data)
    draft = StrategyDraft.objects.get()
    assert response.status_code == 302
    assert draft.deadline == datetime.date(2026, 12, 18)
    assert draft.field_introductions.get(field_of_action__number=1).text.startswith("Bürger")
    # Publishing before freezing is refused with a reason (also its confirmation page).
    body = client.post(reverse("drafts:publish", args=[draft.pk]), follow=True).content.decode()
    assert "Nur ein eingefrorener" in body
    body = client.get(reverse("drafts:publish", args=[draft.pk]), follow=True).content.decode()
    assert "Nur ein eingefrorener" in body
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("drafts:freeze", args=[draft.pk]))
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "in der Warteschlange" in page  # the request did not wait for the render
    status = client.get(reverse("drafts:status", args=[draft.pk])).json()
    assert status["render_state"] == "queued"
    for callback in callbacks:
        callback()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "PDF herunterladen" in page and "fertig" in page
    # Frozen drafts cannot be edited any more.
    client.post(reverse("drafts:update", args=[draft.pk]), dict(data, title="Anders"))
    draft.refresh_from_db()
    assert draft.title == "Interkommunale Digitalisierungsstrategie"
    confirm = client.get(reverse("drafts:publish", args=[draft.pk])).content.decode()
    assert "12 Maßnahmen werden öffentlich sichtbar" in confirm and "keine Abstimmung" in confirm
    draft.refresh_from_db()
    assert draft.state == DraftState.FROZEN  # the confirmation page changes nothing
    # Without an Abstimmung, presenting needs the explicit confirmation.
    refused = client.post(reverse("drafts:publish", args=[draft.pk]))
    assert refused.status_code == 400
    assert "Bitte bestätigen Sie" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.state == DraftState.FROZEN
    client.post(reverse("drafts:publish", args=[draft.pk]), {"ohne_abstimmung": "1"})
    draft.refresh_from_db()
    assert draft.state == DraftState.PUBLISHED and draft.published_at
    client.post(
        reverse("drafts:decision", args=[draft.pk]),
        {
            "decision_date": "2026-12-10",
            "drucksache_number": "2026/123",
            "loaded_version": version_token(draft),
        },
    )
    draft.refresh_from_db()
    assert draft.state == DraftState.DECIDED
    assert draft.drucksache_number == "2026/123"
    listing = client.get(reverse("drafts:list")).content.decode()
    assert "vom Kreistag beschlossen" in listing and "Drucksache 2026/123" in listing
