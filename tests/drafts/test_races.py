"""Draft forms and publication against concurrent writers (PostgreSQL, threads)."""

from django.test import Client
from django.urls import reverse

from drafts.models import DraftState, StrategyDraft
from drafts.workflow import freeze, publish, store_pdf
from measures.models import Measure
from tests.measures.test_races import unchanged_form_data
from tests.race import Pause, race_test, start

pytestmark = race_test


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _draft_post(draft, **overrides):
    data = {
        "title": draft.title,
        "version_label": draft.version_label,
        "resolution_date": "2026-06-18",
        "deadline": "",
        "introduction": "Neu geschriebene Einleitung",
    }
    data.update(overrides)
    return data


def test_draft_frozen_while_its_form_is_saved_stays_frozen(measures, draft, users):
    client = _client(users["coordinator"])
    url = reverse("drafts:update", args=[draft.pk])
    with Pause("drafts.views.draft.DraftForm", "editor", after=True) as pause:
        editor = start(lambda: client.post(url, _draft_post(draft)), "editor")
        pause.wait_reached()  # loaded while editable
        freeze(draft, users["coordinator"], render=False)
        pause.resume()
        response = editor.outcome()

    draft.refresh_from_db()
    assert draft.state == DraftState.FROZEN
    assert draft.snapshot["measures"]
    assert draft.introduction == "Der Kreistag hat die Kreisverwaltung beauftragt."
    assert response.status_code == 409
    assert "Neu geschriebene Einleitung" in response.content.decode()
    assert "inzwischen eingefroren" in response.content.decode()


def test_edit_loaded_before_publication_keeps_the_published_version(measures, draft, users):
    measure = measures["accepted"][0]
    freeze(draft, users["coordinator"], render=False)
    store_pdf(StrategyDraft.objects.get(pk=draft.pk), b"%PDF-1.7 test", 1)
    client = _client(users["coordinator"])
    url = reverse("measures:update", args=[measure.pk])
    data = unchanged_form_data(measure, title="Nach der Vorlage geändert")
    with Pause("measures.views.measure._validate", "editor") as pause:
        editor = start(lambda: client.post(url, data), "editor")
        pause.wait_reached()
        publish(
            StrategyDraft.objects.get(pk=draft.pk), users["coordinator"], without_consultation=True
        )
        pause.resume()
        assert editor.outcome().status_code == 302

    measure = Measure.objects.get(pk=measure.pk)
    assert measure.title == "Nach der Vorlage geändert"
    assert measure.public_since is not None
    assert measure.public_snapshot["title"] == measures["accepted"][0].title
