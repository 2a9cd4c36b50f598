"""The draft form when the draft was frozen between loading and saving (no threads)."""

from django.urls import reverse

from drafts.models import DraftState, StrategyDraft
from drafts.workflow import freeze
from tests.race import interleave


def test_draft_frozen_meanwhile_is_not_reopened(as_role, measures, draft, users):
    data = {
        "title": draft.title,
        "version_label": draft.version_label,
        "resolution_date": "2026-06-18",
        "deadline": "",
        "introduction": "Neu geschriebene Einleitung",
    }
    with interleave(
        "drafts.views.draft.DraftForm",
        lambda: freeze(StrategyDraft.objects.get(pk=draft.pk), users["coordinator"], render=False),
    ):
        response = as_role("coordinator").post(reverse("drafts:update", args=[draft.pk]), data)
    assert response.status_code == 409
    assert "Neu geschriebene Einleitung" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == DraftState.FROZEN and draft.snapshot["measures"]
    assert draft.introduction == "Der Kreistag hat die Kreisverwaltung beauftragt."
