"""Freezing a draft has a confirmation step: GET says what happens, POST freezes."""

import pytest
from django.urls import reverse

from drafts.models import DraftState, RenderState
from drafts.workflow import DraftError, freeze

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "editor_own", "editor_other", "samtgemeinde_editor", "council"]


def test_confirmation_page_states_the_consequence_and_changes_nothing(as_role, measures, draft):
    client = as_role("coordinator")
    detail = client.get(draft.get_absolute_url()).content.decode()
    url = reverse("drafts:freeze", args=[draft.pk])
    assert f'href="{url}"' in detail  # a link (keyboard, no JavaScript), not a one-click form
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    # measures fixture: 12 accepted, 1 submitted (not accepted), 1 draft
    assert "12 angenommene Maßnahmen werden in ihrer angenommenen Fassung übernommen" in text
    assert "danach ändert sich der Entwurf nicht mehr" in text
    assert "1 eingereichte Maßnahme ist noch nicht angenommen" in text
    assert "Jetzt einfrieren und PDF erzeugen" in text
    assert '<form method="post" data-busy-text="Der Entwurf wird eingefroren' in text
    draft.refresh_from_db()
    assert draft.state == DraftState.EDITING and draft.snapshot is None


def test_post_freezes_and_the_page_after_shows_the_render_progress(
    as_role, measures, draft, django_capture_on_commit_callbacks
):
    client = as_role("coordinator")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("drafts:freeze", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.state == DraftState.FROZEN and draft.render_state == RenderState.QUEUED
    text = response.content.decode()
    assert "Der Entwurf ist eingefroren" in text
    assert 'id="render-state"' in text and 'data-busy="1"' in text
    assert "in der Warteschlange" in text


def test_a_frozen_draft_has_no_confirmation_page(as_role, measures, draft, users):
    from drafts.workflow import freeze

    freeze(draft, users["coordinator"], render=False)
    response = as_role("coordinator").get(reverse("drafts:freeze", args=[draft.pk]), follow=True)
    assert "bereits eingefroren" in response.content.decode()


def test_without_accepted_measures_the_page_says_so_and_offers_no_button(as_role, draft):
    text = as_role("coordinator").get(reverse("drafts:freeze", args=[draft.pk])).content.decode()
    assert "noch keine angenommene Maßnahme" in text
    assert "Jetzt einfrieren" not in text


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_roles_may_neither_see_nor_freeze(as_role, role, method, measures, draft):
    response = getattr(as_role(role), method)(reverse("drafts:freeze", args=[draft.pk]))
    assert response.status_code == (302 if role == "anonymous" else 403)
    draft.refresh_from_db()
    assert draft.state == DraftState.EDITING


def test_freezing_without_accepted_measures_is_refused(district, draft, users):
    with pytest.raises(DraftError, match="keine angenommene"):
        freeze(draft, users["coordinator"])
